# Test registration helpers. Every test goes through these so that the coverage check can run
# after all of them (it depends on the names recorded in the UD_ALL_TESTS global property).

find_library(CMOCKA_LIBRARY NAMES cmocka REQUIRED)
find_path(CMOCKA_INCLUDE_DIR NAMES cmocka.h REQUIRED)

include(UdAddTest) # ud_add_test()

# ud_add_cmocka_test(name SOURCES a.c b.c LIBS lib...)
function(ud_add_cmocka_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${CMOCKA_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE ${T_LIBS} ${CMOCKA_LIBRARY})
  ud_warnings(${name})
  ud_add_test(NAME ${name} COMMAND ${name})
endfunction()
