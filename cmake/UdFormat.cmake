# The `format` test: every C source matches .clang-format (cmake/check-format.sh).
# On only where UD_FORMAT_CHECK is set (the dev preset), so that one clang-format version
# decides; clang-format 14 is what Debian 12 ships.
option(UD_FORMAT_CHECK "Register the clang-format check as the test `format`" OFF)
if(UD_FORMAT_CHECK)
  find_program(UD_CLANG_FORMAT NAMES clang-format-14 clang-format)
  if(NOT UD_CLANG_FORMAT)
    message(FATAL_ERROR "UD_FORMAT_CHECK needs clang-format: run tools/deps.sh test")
  endif()
  ud_add_test(NAME format
    COMMAND bash "${PROJECT_SOURCE_DIR}/cmake/check-format.sh" --clang-format "${UD_CLANG_FORMAT}")
  set_tests_properties(format PROPERTIES LABELS format)
endif()
