# Adds the benchmark targets to a build whose top-level CMakeLists.txt does not add bench/:
#   cmake -S . -B build -DCMAKE_PROJECT_INCLUDE=$PWD/bench/cmake/add_bench.cmake
# CMake includes this file inside project(), before the project's own targets exist, so the
# bench/ list file is read at the end of the top-level one (a deferred call may not add a
# subdirectory, but it may include a list file). When the top-level file adds bench/ itself,
# nothing more happens.
function(sidecar_include_bench_once)
  if(NOT TARGET bench-bare-listener)
    include(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../CMakeLists.txt)
  endif()
endfunction()
cmake_language(DEFER CALL sidecar_include_bench_once)
