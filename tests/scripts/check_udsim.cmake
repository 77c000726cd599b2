# Runs udsim on one script and checks its exit status and output against directives written
# in the script itself, so a negative test says what it expects next to what it does:
#
#   #@exit N         the exit status udsim must return (default 0)
#   #@match REGEX    a regular expression that stdout + stderr must match (repeatable)
#   #@args WORDS...  the whole udsim command line (default: --device minimal run SCRIPT);
#                    the word SCRIPT stands for the script's path
#
# udsim's stdin is the script too, so `#@args run -` runs it from stdin.
#
# Usage: cmake -DUDSIM=<udsim> -DSCRIPT=<file.uds> -P check_udsim.cmake
if(NOT UDSIM OR NOT SCRIPT)
  message(FATAL_ERROR "usage: cmake -DUDSIM=<udsim> -DSCRIPT=<file.uds> -P check_udsim.cmake")
endif()

file(STRINGS "${SCRIPT}" directives REGEX "^#@")
set(want_exit 0)
set(matches "")
set(args --device minimal run "${SCRIPT}")
foreach(d IN LISTS directives)
  if(d MATCHES "^#@exit[ \t]+([0-9]+)")
    set(want_exit "${CMAKE_MATCH_1}")
  elseif(d MATCHES "^#@match[ \t]+(.+)$")
    list(APPEND matches "${CMAKE_MATCH_1}")
  elseif(d MATCHES "^#@args[ \t]+(.+)$")
    separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
    list(TRANSFORM args REPLACE "^SCRIPT$" "${SCRIPT}")
  else()
    message(FATAL_ERROR "${SCRIPT}: unknown directive '${d}'")
  endif()
endforeach()

execute_process(COMMAND "${UDSIM}" ${args}
  INPUT_FILE "${SCRIPT}"
  RESULT_VARIABLE got_exit OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT got_exit STREQUAL want_exit)
  message(FATAL_ERROR "udsim ${args}: exit status ${got_exit}, expected ${want_exit}\n${all}")
endif()
foreach(re IN LISTS matches)
  if(NOT all MATCHES "${re}")
    message(FATAL_ERROR "udsim ${args}: output does not match '${re}'\n${all}")
  endif()
endforeach()
message(STATUS "exit ${got_exit} as expected; ${all}")
