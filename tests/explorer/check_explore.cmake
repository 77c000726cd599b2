# Runs one udsim explorer command and checks what it must do (tests/explorer/CMakeLists.txt).
#
#   -DUDSIM=<udsim>        the program
#   -DARGS=<words>         its command line, one string (split like a shell would)
#   -DWORKDIR=<dir>        an empty directory to run in (counterexamples are written there)
#   -DEXIT=<n>             the exit status it must return
#   -DMATCH=<re>@@<re>...  regular expressions stdout + stderr must match
#   -DNOMATCH=<re>         a regular expression they must not match
#   -DCOMPARE=<file>       the counterexample it wrote (WORKDIR/found.uds) must take exactly the
#                          steps of this kept one (comments aside)
#   -DREPLAY=1             replaying WORKDIR/found.uds must fail again (exit 1)
#   -DREPLAY_ARGS="..."    udsim options for that replay (e.g. "--port fsdev")
#   -DTSHARK=<tshark> -DPCAP=<file>  tshark must dissect WORKDIR/PCAP with no malformed packet
#                          and find bulk or interrupt URBs in it
foreach(v UDSIM ARGS WORKDIR EXIT)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_explore.cmake: -D${v}=... missing")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${UDSIM}" ${args} WORKING_DIRECTORY "${WORKDIR}"
  RESULT_VARIABLE got OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT got STREQUAL EXIT)
  message(FATAL_ERROR "udsim ${ARGS}: exit status ${got}, expected ${EXIT}\n${all}")
endif()
if(DEFINED MATCH)
  string(REPLACE "@@" ";" matches "${MATCH}")
  foreach(re IN LISTS matches)
    if(NOT all MATCHES "${re}")
      message(FATAL_ERROR "udsim ${ARGS}: output does not match '${re}'\n${all}")
    endif()
  endforeach()
endif()
if(DEFINED NOMATCH AND all MATCHES "${NOMATCH}")
  message(FATAL_ERROR "udsim ${ARGS}: output matches '${NOMATCH}'\n${all}")
endif()

# The steps of a replay script: its lines without comments and blanks.
function(script_steps file outvar)
  file(STRINGS "${file}" lines)
  set(steps "")
  foreach(l IN LISTS lines)
    string(REGEX REPLACE "#.*$" "" l "${l}")
    string(STRIP "${l}" l)
    if(NOT l STREQUAL "")
      list(APPEND steps "${l}")
    endif()
  endforeach()
  set(${outvar} "${steps}" PARENT_SCOPE)
endfunction()

if(DEFINED COMPARE)
  script_steps("${WORKDIR}/found.uds" found)
  script_steps("${COMPARE}" kept)
  if(NOT found STREQUAL kept)
    message(FATAL_ERROR "the counterexample found differs from the kept ${COMPARE}:\n"
      "found: ${found}\nkept:  ${kept}\n(if the explorer changed on purpose, replace the "
      "kept file with ${WORKDIR}/found.uds)")
  endif()
endif()
if(REPLAY)
  separate_arguments(replay_args UNIX_COMMAND "${REPLAY_ARGS}")
  execute_process(COMMAND "${UDSIM}" ${replay_args} replay found.uds
    WORKING_DIRECTORY "${WORKDIR}"
    RESULT_VARIABLE rgot OUTPUT_VARIABLE rout ERROR_VARIABLE rerr)
  if(NOT rgot STREQUAL "1" OR NOT "${rout}${rerr}" MATCHES "violation")
    message(FATAL_ERROR "replaying found.uds: exit ${rgot}, expected 1 and a violation\n"
      "${rout}${rerr}")
  endif()
endif()
if(DEFINED PCAP)
  if(NOT TSHARK)
    message(FATAL_ERROR "tshark not found: install it (tools/deps.sh test)")
  endif()
  execute_process(COMMAND "${TSHARK}" -r "${WORKDIR}/${PCAP}" -V
    RESULT_VARIABLE tgot OUTPUT_VARIABLE tout ERROR_VARIABLE terr)
  if(NOT tgot EQUAL 0)
    message(FATAL_ERROR "tshark -r ${PCAP}: exit ${tgot}\n${terr}")
  endif()
  if(tout MATCHES "[Mm]alformed")
    message(FATAL_ERROR "tshark finds malformed packets in ${PCAP}:\n${tout}")
  endif()
  if(NOT tout MATCHES "URB type: URB_SUBMIT" OR NOT tout MATCHES "URB transfer type: URB_(BULK|INTERRUPT)")
    message(FATAL_ERROR "tshark does not see URBs of the data path in ${PCAP}:\n${tout}")
  endif()
endif()
message(STATUS "as expected:\n${all}")
