# Runs promtool for a ctest test: cmake -DPROMTOOL=<path> -DARGS=<a;b;c> -P run_promtool.cmake
# Fails with a clear message when promtool is missing rather than skipping: CI installs it.
if(NOT PROMTOOL OR NOT EXISTS "${PROMTOOL}")
  message(FATAL_ERROR "promtool not found: install the Debian package `prometheus` and configure "
                      "the build again")
endif()
execute_process(COMMAND "${PROMTOOL}" ${ARGS} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  string(REPLACE ";" " " command_line "${ARGS}")
  message(FATAL_ERROR "promtool ${command_line} failed (${status})")
endif()
