// JSON text for migtest's machine-readable output (`--format json` of the CLI, the verify and
// lint reports): the one JSON writer of the project. Internal.
//   detail::JsonWriter w;
//   w.begin_object().field("ok", true).key("heads").value(ids).end_object();
//   std::cout << w.str() << "\n";
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace migtest::detail {

/// `text` as a JSON string literal: quoted, with ", \ and control characters escaped. Bytes
/// that are not valid UTF-8 become U+FFFD, so the output always parses.
std::string json_string(std::string_view text);

/// Writes one JSON value, pretty-printed, checking the nesting as it goes: a misuse (a value
/// without a key inside an object, an end without a begin, str() on an unfinished document)
/// throws std::logic_error, which is a bug in the caller, never bad input.
class JsonWriter {
 public:
  /// `indent` spaces per level; 0 writes everything on one line.
  explicit JsonWriter(int indent = 2);

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The next member's name, inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool b);
  JsonWriter& value(double number);  // NaN and infinities, which JSON lacks, are written null
  template <typename Int,
            typename = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  JsonWriter& value(Int number) {
    return raw(std::to_string(number));
  }
  /// An array of strings.
  JsonWriter& value(const std::vector<std::string>& texts);
  JsonWriter& null();
  /// A string, or null when `text` is empty: for fields where "" means "not known".
  JsonWriter& value_or_null(std::string_view text);

  /// key(name).value(v).
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  JsonWriter& field_or_null(std::string_view name, std::string_view text) {
    key(name);
    return value_or_null(text);
  }

  /// The document, once exactly one complete value has been written (no final newline).
  const std::string& str() const;

 private:
  struct Frame {
    bool object;
    std::size_t members = 0;
    bool key_pending = false;
  };
  JsonWriter& raw(const std::string& token);
  void before_value();
  void newline();
  JsonWriter& close(bool object);

  int indent_;
  std::string out_;
  std::vector<Frame> stack_;
  bool done_ = false;
};

}  // namespace migtest::detail
