# Layering by construction: each library exports only its own headers.
#
# A library's users get one include directory, build/include/<library>/, which holds links to
# that library's own header folders and nothing else. A source that includes a header of a
# library it does not link then fails to compile, instead of building by accident because one
# include directory (the project root) exposed every layer at once. Headers keep their include
# paths ("ftp/command.hpp", "sim/engine/actions.hpp"); only what is visible changes.

# ftpsim_export_headers(TARGET BASE FOLDER...): FOLDER (relative to BASE) is included as
# "FOLDER/x.hpp" by TARGET's own sources and by everything that links TARGET.
function(ftpsim_export_headers target base)
  set(root "${PROJECT_BINARY_DIR}/include/${target}")
  foreach(folder IN LISTS ARGN)
    set(link "${root}/${folder}")
    get_filename_component(parent "${link}" DIRECTORY)
    file(MAKE_DIRECTORY "${parent}")
    if(NOT IS_SYMLINK "${link}")
      file(CREATE_LINK "${base}/${folder}" "${link}" SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PUBLIC "${root}")
endfunction()

# ftpsim_check_no_os_calls(TARGET): a test that TARGET's archive calls nothing that reads a clock,
# touches files or sockets, sleeps or draws OS randomness (the sans-IO rule: bytes, time and
# randomness are handed in). Reads the archive's undefined symbols with nm.
function(ftpsim_check_no_os_calls target)
  add_test(NAME layering.no_os_calls.${target}
           COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DARCHIVE=$<TARGET_FILE:${target}>
                   -P ${PROJECT_SOURCE_DIR}/cmake/check_no_os_calls.cmake)
endfunction()

# ftpsim_check_headers_hidden(TARGET VISIBLE HIDDEN...): a test that, with only the include
# directories TARGET's users get, its own header VISIBLE compiles and each HIDDEN header (of a
# layer TARGET does not link) is not found.
function(ftpsim_check_headers_hidden target visible)
  add_test(NAME layering.headers_hidden.${target}
           COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER}
                   "-DINCLUDES=$<JOIN:$<TARGET_PROPERTY:${target},INTERFACE_INCLUDE_DIRECTORIES>,|>"
                   -DVISIBLE=${visible} "-DHIDDEN=$<JOIN:${ARGN},|>"
                   -DWORK=${PROJECT_BINARY_DIR}/layering/${target}
                   -P ${PROJECT_SOURCE_DIR}/cmake/check_header_visibility.cmake)
endfunction()
