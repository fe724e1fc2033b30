# cmake -DCXX=c++ -DINCLUDES="a|b" -DVISIBLE=x.hpp -DHIDDEN="y.hpp|z.hpp" -DWORK=dir -P check_header_visibility.cmake
# Proves the layering holds for one library: with only the include directories its users get,
# VISIBLE (one of its own headers) compiles, and every header in HIDDEN (another layer's, which
# it does not link) is not found. The first half keeps the second from passing vacuously.
string(REPLACE "|" ";" INCLUDES "${INCLUDES}")
string(REPLACE "|" ";" HIDDEN "${HIDDEN}")
set(flags "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags "-I${dir}")
endforeach()
file(MAKE_DIRECTORY "${WORK}")

function(try_header header result_var output_var)
  string(MAKE_C_IDENTIFIER "${header}" name)
  set(source "${WORK}/${name}.cpp")
  file(WRITE "${source}" "#include \"${header}\"\n")
  execute_process(COMMAND ${CXX} -std=c++20 -fsyntax-only ${flags} ${source}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${result_var} ${rc} PARENT_SCOPE)
  set(${output_var} "${out}" PARENT_SCOPE)
endfunction()

try_header("${VISIBLE}" rc out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${VISIBLE} should compile with ${INCLUDES}, but:\n${out}")
endif()
foreach(header IN LISTS HIDDEN)
  try_header("${header}" rc out)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${header} is visible through ${INCLUDES}: a layer can include what it does not link")
  endif()
  if(NOT out MATCHES "No such file")
    message(FATAL_ERROR "${header}: expected 'No such file', got:\n${out}")
  endif()
endforeach()
message(STATUS "${VISIBLE} visible; hidden: ${HIDDEN}")
