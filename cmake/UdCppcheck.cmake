# The `cppcheck` test: static analysis of core/ class/ port/ sim/ (cmake/cppcheck.sh), fed this
# build's compile_commands.json so that each file is checked with the -I and -D it is built
# with. On only where UD_CPPCHECK is set (the dev preset), so that one cppcheck version
# decides; cppcheck 2.10 is what Debian 12 ships.
option(UD_CPPCHECK "Register the cppcheck static analysis as the test `cppcheck`" OFF)
if(UD_CPPCHECK)
  find_program(UD_CPPCHECK_EXE NAMES cppcheck)
  find_program(UD_JQ NAMES jq)
  if(NOT UD_CPPCHECK_EXE OR NOT UD_JQ)
    message(FATAL_ERROR "UD_CPPCHECK needs cppcheck and jq: run tools/deps.sh test")
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS OR NOT UD_BUILD_SIM)
    message(FATAL_ERROR "UD_CPPCHECK needs CMAKE_EXPORT_COMPILE_COMMANDS=ON and UD_BUILD_SIM=ON "
                        "(the base preset sets both)")
  endif()
  ud_add_test(NAME cppcheck
    COMMAND bash "${PROJECT_SOURCE_DIR}/cmake/cppcheck.sh" --cppcheck "${UD_CPPCHECK_EXE}"
            "${CMAKE_BINARY_DIR}")
  set_tests_properties(cppcheck PROPERTIES LABELS cppcheck)
endif()
