// Test support: does a text show a password, or a piece of one?
#pragma once

#include <string>
#include <vector>

namespace migtest::test {

/// The pieces of `secret` of 3 characters or more that `text` shows, leaving out those that
/// `excused` (the rest of the URL, say) holds too: empty when nothing of the secret leaked.
inline std::vector<std::string> leaked_fragments(const std::string& text, const std::string& secret,
                                                 const std::string& excused = "") {
  std::vector<std::string> leaked;
  for (std::size_t n = secret.size(); n >= 3; --n) {
    for (std::size_t i = 0; i + n <= secret.size(); ++i) {
      const std::string piece = secret.substr(i, n);
      if (excused.find(piece) != std::string::npos) continue;
      if (text.find(piece) != std::string::npos) leaked.push_back(piece);
    }
    if (!leaked.empty()) break;  // the longest leaked pieces say enough
  }
  return leaked;
}

}  // namespace migtest::test
