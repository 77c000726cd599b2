# Cross toolchain: GNU Arm Embedded (Debian gcc-arm-none-eabi + libnewlib-arm-none-eabi).
# UD_ARM_CPU selects the core: cortex-m0plus (default), cortex-m4 (hard-float FPU), cortex-m7.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY) # no startup code to link a test program

set(UD_ARM_CPU "cortex-m0plus" CACHE STRING "Cortex-M core: cortex-m0plus, cortex-m4, cortex-m7")
if(UD_ARM_CPU STREQUAL "cortex-m4")
  set(_ud_cpu "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
elseif(UD_ARM_CPU STREQUAL "cortex-m7")
  set(_ud_cpu "-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard")
else()
  set(_ud_cpu "-mcpu=${UD_ARM_CPU} -mthumb")
endif()
set(CMAKE_C_FLAGS_INIT "${_ud_cpu} -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -DNDEBUG")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
