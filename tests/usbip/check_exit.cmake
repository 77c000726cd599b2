# cmake -DEXPECT_EXIT=N -DEXPECT_MATCH=REGEX -P check_exit.cmake -- COMMAND...: run COMMAND
# (at most 10 s) and require exit status N and output (stdout + stderr) matching REGEX.
set(cmd)
set(seen FALSE)
foreach(i RANGE ${CMAKE_ARGC})
  if(seen)
    list(APPEND cmd "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(seen TRUE)
  endif()
endforeach()
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out
                TIMEOUT 10)
if(NOT rc STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_EXIT}; output:\n${out}")
endif()
if(NOT out MATCHES "${EXPECT_MATCH}")
  message(FATAL_ERROR "output does not match '${EXPECT_MATCH}':\n${out}")
endif()
