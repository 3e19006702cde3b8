// Test support: a small, strict JSON reader, so tests check migtest's JSON output by parsing it
// back (RFC 8259: no trailing commas, no comments, no garbage after the value).
//   auto doc = migtest::test::parse_json(r.out);
//   EXPECT_EQ(doc["heads"][0].str(), "a1b2c3d4e5f6");
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace migtest::test {

class Json {
 public:
  enum class Type { null, boolean, number, string, array, object };

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool boolean() const { return expect(Type::boolean).b_; }
  double number() const { return expect(Type::number).n_; }
  const std::string& str() const { return expect(Type::string).s_; }
  const std::vector<Json>& array() const { return expect(Type::array).a_; }
  /// Members in document order.
  const std::vector<std::pair<std::string, Json>>& members() const {
    return expect(Type::object).o_;
  }
  bool has(const std::string& key) const {
    for (const auto& [k, v] : members()) {
      if (k == key) return true;
    }
    return false;
  }
  /// The member `key`: std::out_of_range naming it when absent.
  const Json& operator[](const std::string& key) const {
    for (const auto& [k, v] : members()) {
      if (k == key) return v;
    }
    throw std::out_of_range("no member '" + key + "'");
  }
  const Json& operator[](const char* key) const { return (*this)[std::string(key)]; }
  const Json& operator[](std::size_t i) const { return array().at(i); }
  const Json& operator[](int i) const { return array().at(static_cast<std::size_t>(i)); }
  std::size_t size() const { return type_ == Type::object ? o_.size() : array().size(); }
  /// An array of strings as a vector.
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const auto& v : array()) out.push_back(v.str());
    return out;
  }

 private:
  friend class JsonReader;
  const Json& expect(Type t) const {
    static const char* names[] = {"null", "boolean", "number", "string", "array", "object"};
    if (type_ != t) {
      throw std::runtime_error(std::string("JSON value is a ") + names[int(type_)] + ", not a " +
                               names[int(t)]);
    }
    return *this;
  }
  Type type_ = Type::null;
  bool b_ = false;
  double n_ = 0;
  std::string s_;
  std::vector<Json> a_;
  std::vector<std::pair<std::string, Json>> o_;
};

class JsonReader {
 public:
  explicit JsonReader(const std::string& text) : t_(text) {}

  Json document() {
    Json v = value();
    space();
    if (i_ != t_.size()) fail("text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("invalid JSON at offset " + std::to_string(i_) + ": " + why);
  }
  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t'))
      ++i_;
  }
  bool take(char c) {
    space();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void literal(const char* word) {
    for (const char* p = word; *p; ++p, ++i_) {
      if (i_ >= t_.size() || t_[i_] != *p) fail(std::string("expected ") + word);
    }
  }
  Json value() {
    space();
    if (i_ >= t_.size()) fail("unexpected end");
    Json v;
    const char c = t_[i_];
    if (c == '{') {
      v.type_ = Json::Type::object;
      ++i_;
      if (take('}')) return v;
      do {
        space();
        if (i_ >= t_.size() || t_[i_] != '"') fail("expected a member name");
        std::string k = string();
        if (!take(':')) fail("expected ':'");
        v.o_.emplace_back(std::move(k), value());
      } while (take(','));
      if (!take('}')) fail("expected ',' or '}'");
    } else if (c == '[') {
      v.type_ = Json::Type::array;
      ++i_;
      if (take(']')) return v;
      do {
        v.a_.push_back(value());
      } while (take(','));
      if (!take(']')) fail("expected ',' or ']'");
    } else if (c == '"') {
      v.type_ = Json::Type::string;
      v.s_ = string();
    } else if (c == 't' || c == 'f') {
      v.type_ = Json::Type::boolean;
      v.b_ = c == 't';
      literal(v.b_ ? "true" : "false");
    } else if (c == 'n') {
      literal("null");
    } else {
      v.type_ = Json::Type::number;
      v.n_ = number();
    }
    return v;
  }
  double number() {
    const std::size_t start = i_;
    if (t_[i_] == '-') ++i_;
    const auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
      if (i_ == from) fail("expected a digit");
    };
    if (i_ < t_.size() && t_[i_] == '0') {
      ++i_;
    } else {
      digits();
    }
    if (i_ < t_.size() && t_[i_] == '.') ++i_, digits();
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      digits();
    }
    return std::stod(t_.substr(start, i_ - start));
  }
  unsigned hex4() {
    if (i_ + 4 > t_.size()) fail("short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = t_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= unsigned(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= unsigned(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= unsigned(h - 'A' + 10);
      else
        fail("bad hex digit in \\u escape");
    }
    return v;
  }
  static void utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | (cp >> 6)), out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3f)),
          out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3f)),
          out += char(0x80 | ((cp >> 6) & 0x3f)), out += char(0x80 | (cp & 0x3f));
    }
  }
  std::string string() {
    ++i_;  // the opening quote
    std::string out;
    while (true) {
      if (i_ >= t_.size()) fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(t_[i_++]);
      if (c == '"') return out;
      if (c < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += char(c);
        continue;
      }
      if (i_ >= t_.size()) fail("unterminated escape");
      const char e = t_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xd800 && cp <= 0xdbff) {
            if (t_.compare(i_, 2, "\\u") != 0) fail("lone high surrogate");
            i_ += 2;
            const unsigned low = hex4();
            if (low < 0xdc00 || low > 0xdfff) fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            fail("lone low surrogate");
          }
          utf8(out, cp);
          break;
        }
        default:
          fail(std::string("bad escape \\") + e);
      }
    }
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

/// Parses a whole document; std::runtime_error naming the offset when it is not valid JSON.
inline Json parse_json(const std::string& text) { return JsonReader(text).document(); }

}  // namespace migtest::test
