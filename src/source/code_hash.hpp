// The look-up side of the code hashes migtest_hash_revisions() registers
// (migtest::registration::register_code_hashes). Internal: the registry and its tests use it.
#pragma once

#include <string>
#include <string_view>

namespace migtest::detail {

/// The hash registered for revision `id` written in `file` (a __FILE__: absolute, relative to
/// the build directory, or rewritten by -fmacro-prefix-map), "" when none. Paths match on
/// their trailing components, the most shared winning; a tie between different hashes is "".
std::string find_code_hash(std::string_view file, std::string_view id);

}  // namespace migtest::detail
