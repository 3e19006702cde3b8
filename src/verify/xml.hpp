// XML text escaping for the JUnit reports of verify and lint. Internal.
//   out += "<failure message=\"" + detail::xml(summary) + "\">";
#pragma once

#include <string>
#include <string_view>

namespace migtest::detail {

/// `s` escaped for XML 1.0 text and attribute values.
inline std::string xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace migtest::detail
