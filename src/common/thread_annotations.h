// Clang's thread-safety analysis (-Wthread-safety): attributes that state which mutex guards a
// member and which a function needs, checked at compile time by clang builds. Other compilers see
// nothing. Use them through the wrappers of common/mutex.h.
#pragma once

#if defined(__clang__)
#define SIDECAR_THREAD_ATTRIBUTE(x) __attribute__((x))
#else
#define SIDECAR_THREAD_ATTRIBUTE(x)
#endif

// A class that is a lock.
#define CAPABILITY(x) SIDECAR_THREAD_ATTRIBUTE(capability(x))
// A class whose objects hold a lock for their lifetime.
#define SCOPED_CAPABILITY SIDECAR_THREAD_ATTRIBUTE(scoped_lockable)
// A member read and written only with the lock held.
#define GUARDED_BY(x) SIDECAR_THREAD_ATTRIBUTE(guarded_by(x))
// A pointer member whose pointee is guarded.
#define PT_GUARDED_BY(x) SIDECAR_THREAD_ATTRIBUTE(pt_guarded_by(x))
// A function called with the lock held (exclusively, or at least shared).
#define REQUIRES(...) SIDECAR_THREAD_ATTRIBUTE(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) SIDECAR_THREAD_ATTRIBUTE(requires_shared_capability(__VA_ARGS__))
// A function that takes or releases the lock.
#define ACQUIRE(...) SIDECAR_THREAD_ATTRIBUTE(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) SIDECAR_THREAD_ATTRIBUTE(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) SIDECAR_THREAD_ATTRIBUTE(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) SIDECAR_THREAD_ATTRIBUTE(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) SIDECAR_THREAD_ATTRIBUTE(release_generic_capability(__VA_ARGS__))
// A function that must be called without the lock (it takes it, or does I/O).
#define EXCLUDES(...) SIDECAR_THREAD_ATTRIBUTE(locks_excluded(__VA_ARGS__))
// A function that checks at run time that the lock is held.
#define ASSERT_CAPABILITY(x) SIDECAR_THREAD_ATTRIBUTE(assert_capability(x))
// Opts one function out of the analysis; say why where it is used.
#define NO_THREAD_SAFETY_ANALYSIS SIDECAR_THREAD_ATTRIBUTE(no_thread_safety_analysis)
