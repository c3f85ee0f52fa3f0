# Turns a file into a C++ source holding its bytes, so that the program carries it and needs
# nothing beside it at run time. A byte array rather than raw string literals: compilers
# limit the length of one literal, and the bytes need no escaping.
#
#   cmake -DINPUT=file.js -DOUTPUT=file.cpp -DSYMBOL=name -DNAMESPACE=a::b
#         [-DDROP_FROM="//# sourceMappingURL="] -P embed_file.cmake
#
# defines `const unsigned char NAMESPACE::SYMBOL[]` and `const std::size_t
# NAMESPACE::SYMBOL_size`. DROP_FROM cuts the file at the last occurrence of that text (for
# a source-map comment that would point at a file that is not shipped).
foreach(_var INPUT OUTPUT SYMBOL NAMESPACE)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "embed_file.cmake: ${_var} is not set")
  endif()
endforeach()

file(READ "${INPUT}" _hex HEX)
if(DEFINED DROP_FROM AND NOT DROP_FROM STREQUAL "")
  string(HEX "${DROP_FROM}" _drop_hex)
  string(FIND "${_hex}" "${_drop_hex}" _at REVERSE)
  math(EXPR _odd "${_at} % 2")
  if(_at GREATER_EQUAL 0 AND _odd EQUAL 0)
    string(SUBSTRING "${_hex}" 0 ${_at} _hex)
  endif()
endif()
string(LENGTH "${_hex}" _hex_length)
math(EXPR _size "${_hex_length} / 2")
# Sixteen bytes a line; CMake's regular expressions have no {n} repetition.
string(REPEAT "[0-9a-f]" 32 _line_pattern)
string(REGEX REPLACE "(${_line_pattern})" "\\1\n" _hex "${_hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
get_filename_component(_name "${INPUT}" NAME)

file(WRITE "${OUTPUT}.tmp"
"// Generated from ${_name} by cmake/embed_file.cmake; do not edit.
#include <cstddef>

namespace ${NAMESPACE} {

extern const unsigned char ${SYMBOL}[];
extern const std::size_t ${SYMBOL}_size;
const unsigned char ${SYMBOL}[] = {
${_bytes}
};
const std::size_t ${SYMBOL}_size = ${_size};

} // namespace ${NAMESPACE}
")
# Only a changed output is rewritten, so an unchanged input recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
