# ud_add_test(NAME name COMMAND cmd... [WORKING_DIRECTORY dir]): add_test() that also records
# the name in the UD_ALL_TESTS global property, so that the coverage check can run after every
# test. Needs nothing else (the fuzz harnesses use it in builds without cmocka).
include_guard(GLOBAL)

function(ud_add_test)
  cmake_parse_arguments(T "" "NAME;WORKING_DIRECTORY" "COMMAND" ${ARGN})
  if(T_WORKING_DIRECTORY)
    add_test(NAME ${T_NAME} COMMAND ${T_COMMAND} WORKING_DIRECTORY ${T_WORKING_DIRECTORY})
  else()
    add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  endif()
  set_property(GLOBAL APPEND PROPERTY UD_ALL_TESTS ${T_NAME})
endfunction()
