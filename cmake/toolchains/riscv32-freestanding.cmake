# Cross toolchain: Debian gcc-riscv64-unknown-elf for rv32imac, freestanding. Debian ships this
# compiler without a C library, so <string.h> comes from cmake/freestanding/include: declarations
# only, as a freestanding firmware provides memcpy/memset/memmove itself.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT
    "-march=rv32imac -mabi=ilp32 -ffreestanding -ffunction-sections -fdata-sections -isystem ${CMAKE_CURRENT_LIST_DIR}/../freestanding/include")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -DNDEBUG")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
