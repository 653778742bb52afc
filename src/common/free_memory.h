// ReturnFreedMemory: gives the heap's free pages back to the operating system.
//
// glibc keeps memory a program frees for its next allocations, in one arena per thread that used
// it. After a large transient — every page of a list of 10,000 pods parsed and dropped — that
// would stay in the process's RSS for good although nothing uses it. Called after such a
// transient; a no-op where the C library has no malloc_trim.
#pragma once

namespace sidecar {

void ReturnFreedMemory();

}  // namespace sidecar
