# Install rules for the package config: after `cmake --install <build> --prefix P`, a project
# finds udcore with find_package(udcore) (CMAKE_PREFIX_PATH=P) and links udcore::core and
# udcore::port_vdc (and every other target in the udcoreTargets export set).
# The targets themselves are installed where they are defined (core/, port/, class/).
include(CMakePackageConfigHelpers)

set(UD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/udcore"
    CACHE STRING "Where udcoreConfig.cmake is installed, relative to the prefix")
mark_as_advanced(UD_INSTALL_CMAKEDIR)

install(EXPORT udcoreTargets
  NAMESPACE udcore::
  FILE udcoreTargets.cmake
  DESTINATION "${UD_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/udcoreConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/udcoreConfig.cmake"
  INSTALL_DESTINATION "${UD_INSTALL_CMAKEDIR}")

# 0.x: minor versions may break the API, so only the same minor version is compatible.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/udcoreConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion)

install(FILES
  "${PROJECT_BINARY_DIR}/udcoreConfig.cmake"
  "${PROJECT_BINARY_DIR}/udcoreConfigVersion.cmake"
  DESTINATION "${UD_INSTALL_CMAKEDIR}")
