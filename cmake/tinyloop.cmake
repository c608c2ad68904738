# Build conventions shared by every part.

# Warnings are errors everywhere.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror)
# GCC 12 at -O2/-O3 reports false -Wrestrict overlaps inside std::string's own code for
# `"literal" + std::string` (GCC bug 105329, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()

# Freestanding parts (wire layer, TinyML runtime, device SDK core): the same flags on the host as on
# the device, so the host build already proves the rules of DEVELOPERS.md: no exceptions, no RTTI,
# no implicit float -> double promotion.
function(tl_freestanding target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti>
    -Wdouble-promotion -Wfloat-conversion)
endfunction()

# tl_component(NAME DIR [FREESTANDING] [DEPS a b ...]): a static library from every .cpp in DIR
# (non-recursive). A folder with no sources yet yields an INTERFACE library, so parts can arrive
# one file at a time.
function(tl_component name dir)
  cmake_parse_arguments(ARG "FREESTANDING" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${dir}/*.cpp")
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
    if(ARG_FREESTANDING)
      tl_freestanding(${name})
    endif()
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()

# tl_test(NAME DIR LIBS...): one GoogleTest executable from every .cpp in DIR.
function(tl_test name dir)
  file(GLOB sources CONFIGURE_DEPENDS "${dir}/*.cpp")
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARGN} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    TL_SOURCE_DIR="${CMAKE_SOURCE_DIR}" TL_SHARED_DIR="${TL_SHARED_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()

# tl_mbedtls: the system's mbedTLS (Debian's libmbedtls-dev) as an interface target, defined once
# by whichever folder needs it first (src/dtls on host builds; the server's folders in the fuzz
# preset, which has no host parts). Its headers are not warning-clean under our flags: SYSTEM.
function(tl_use_mbedtls)
  if(TARGET tl_mbedtls)
    return()
  endif()
  find_path(TL_MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
  find_library(TL_MBEDTLS_LIBRARY mbedtls REQUIRED)
  find_library(TL_MBEDX509_LIBRARY mbedx509 REQUIRED)
  find_library(TL_MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
  add_library(tl_mbedtls INTERFACE)
  target_include_directories(tl_mbedtls SYSTEM INTERFACE "${TL_MBEDTLS_INCLUDE_DIR}")
  target_link_libraries(tl_mbedtls INTERFACE
    "${TL_MBEDTLS_LIBRARY}" "${TL_MBEDX509_LIBRARY}" "${TL_MBEDCRYPTO_LIBRARY}")
endfunction()

# tl_server_parts(PART...): the server's folders src/server/PART not added yet, in the order given.
# Host builds add them all (src/server); the fuzz preset has no host parts, so the server's fuzz
# targets, and the folders they bring in, add what they link.
function(tl_server_parts)
  foreach(part ${ARGN})
    if(NOT TARGET tl_server_${part})
      add_subdirectory("${CMAKE_SOURCE_DIR}/src/server/${part}" "${CMAKE_BINARY_DIR}/server_${part}")
    endif()
  endforeach()
endfunction()
