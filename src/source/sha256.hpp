// SHA-256 (FIPS 180-4), for checksums and cache keys. Internal: offered to the modules above
// source (testdb, verify) by src/CMakeLists.txt.
#pragma once

#include <string>
#include <string_view>

namespace migtest::detail {

/// SHA-256 of bytes, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace migtest::detail
