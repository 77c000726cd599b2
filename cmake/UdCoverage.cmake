# Coverage (the `coverage` preset: gcc --coverage -O0, UD_COVERAGE=ON). Included from
# tests/CMakeLists.txt. Registers, once every test of the tree is known:
#
#   coverage_floor           lcov capture + HTML report (<build>/html) + per-directory line and
#                            branch percentages; fails if a floor of cmake/coverage-floor.txt is
#                            not met. Runs after every test recorded in UD_ALL_TESTS.
#   coverage_floor_negative  the same check on the same data with a floor of `core 101`: it must
#                            fail (WILL_FAIL), which shows the check has teeth. Runs last.
#
# Tests must be registered with ud_add_test()/ud_add_cmocka_test() (cmake/UdTesting.cmake) to be
# counted: coverage_floor DEPENDS on each of them, so it sees their .gcda files.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  message(WARNING "UD_COVERAGE: the coverage check expects gcc (gcov); compiler is "
                  "${CMAKE_C_COMPILER_ID}")
endif()

find_program(UD_LCOV lcov)
find_program(UD_GENHTML genhtml)
if(NOT UD_LCOV OR NOT UD_GENHTML)
  message(FATAL_ERROR "UD_COVERAGE needs lcov and genhtml: run tools/deps.sh test")
endif()

# gcov must match the compiler version: prefer gcov-<major> next to gcc-<major>.
string(REGEX MATCH "^[0-9]+" _ud_gcc_major "${CMAKE_C_COMPILER_VERSION}")
find_program(UD_GCOV NAMES gcov-${_ud_gcc_major} gcov)
if(NOT UD_GCOV)
  message(FATAL_ERROR "UD_COVERAGE: gcov not found")
endif()

# Saved now: the deferred call below runs in another directory scope.
set_property(GLOBAL PROPERTY UD_COVERAGE_SRC "${PROJECT_SOURCE_DIR}")
set_property(GLOBAL PROPERTY UD_COVERAGE_BIN "${PROJECT_BINARY_DIR}")

# _ud_tests_below(dir out): the tests add_test() registered in @dir and its subdirectories.
function(_ud_tests_below dir out)
  get_property(tests DIRECTORY "${dir}" PROPERTY TESTS)
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(d IN LISTS subdirs)
    _ud_tests_below("${d}" below)
    list(APPEND tests ${below})
  endforeach()
  set(${out} "${tests}" PARENT_SCOPE)
endfunction()

# Runs at the end of the top-level directory, when every ud_add_test() has been seen.
function(_ud_coverage_register)
  get_property(all_tests GLOBAL PROPERTY UD_ALL_TESTS)
  get_property(src GLOBAL PROPERTY UD_COVERAGE_SRC)
  get_property(bin GLOBAL PROPERTY UD_COVERAGE_BIN)
  # A test added with add_test() alone is no dependency of coverage_floor: ctest may run it
  # during or after the capture, so what it covers counts or not by chance (test_vdc_reset_actual
  # ran 282nd of 285, in the gap before coverage_floor only because another test was still
  # running). Disabled tests (UD_DISABLED_TESTS) never run.
  _ud_tests_below("${src}" registered)
  get_property(disabled GLOBAL PROPERTY UD_DISABLED_TESTS)
  list(REMOVE_ITEM registered ${all_tests} ${disabled})
  if(registered)
    message(FATAL_ERROR "UD_COVERAGE: tests not added with ud_add_test(), so not counted "
                        "before coverage_floor: ${registered}")
  endif()
  set(script "${src}/cmake/coverage.sh")
  list(LENGTH all_tests n)

  add_test(NAME coverage_floor COMMAND bash "${script}" --build-dir "${bin}" --source-dir "${src}"
           --gcov-tool "${UD_GCOV}" --floor-file "${src}/cmake/coverage-floor.txt")
  set_tests_properties(coverage_floor PROPERTIES
    DEPENDS "${all_tests}" LABELS coverage TIMEOUT 600)

  # Negative control: an impossible floor must make the same check fail.
  set(neg "${bin}/coverage-floor-negative.txt")
  file(WRITE "${neg}" "# written by cmake/UdCoverage.cmake: must fail\ncore 101\n")
  add_test(NAME coverage_floor_negative COMMAND bash "${script}"
           --info "${bin}/lcov/coverage.info" --floor-file "${neg}" --no-html)
  set_tests_properties(coverage_floor_negative PROPERTIES
    DEPENDS "coverage_floor;${all_tests}" WILL_FAIL TRUE LABELS coverage
    REQUIRED_FILES "${bin}/lcov/coverage.info;${neg}")
  message(STATUS "coverage_floor runs after ${n} tests")
endfunction()

# Deferred to the end of udcore's top-level directory (still being processed while tests/ is).
cmake_language(DEFER DIRECTORY "${PROJECT_SOURCE_DIR}" CALL _ud_coverage_register)
