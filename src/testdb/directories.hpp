// The directories temporary SQLite files and templates go to.
#pragma once

#include <string>

namespace migtest::detail {

/// Creates `directory` (mode 0700) when missing and returns its absolute path.
std::string ensure_directory(const std::string& directory);

}  // namespace migtest::detail
