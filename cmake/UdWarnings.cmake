# ud_warnings(target): the warning set every udcore target builds clean with, on gcc and clang.
# Applied only to udcore's own targets, never forced on a firmware that vendors udcore.
function(ud_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
    -Wundef -Wvla -Wformat=2)
  if(UD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_features(${target} PUBLIC c_std_11)
  # Strict C11 for our own targets: what a firmware's C11 compiler accepts.
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
endfunction()

# ud_library_warnings(target): ud_warnings() plus the rules of the code a firmware links
# (core/, class/, port/). Cross-context fields are touched only through ud_atomic.h's explicit
# macros; clang can tell an implicit (sequentially consistent) access, gcc cannot.
function(ud_library_warnings target)
  ud_warnings(${target})
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Watomic-implicit-seq-cst)
  endif()
endfunction()
