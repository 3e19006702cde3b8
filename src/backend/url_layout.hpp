// Where libpq sees each part of a postgresql:// URI: shared by parsing and redaction. Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/url.hpp"

namespace migtest::detail {

inline constexpr std::size_t npos = std::string_view::npos;

/// [begin, end) in the URL; begin == npos when the part is absent.
struct Span {
  std::size_t begin = npos, end = npos;
  bool present() const { return begin != npos; }
  std::string_view of(std::string_view s) const {
    return present() ? s.substr(begin, end - begin) : std::string_view{};
  }
};

struct RawParameter {
  Span key, value;
};

struct PgLayout {
  std::size_t separator = npos;  // the '@' that ends the user information
  Span user, password;           // password absent: no ':' in the user information
  std::vector<Span> hosts, ports;
  std::size_t hosts_end = npos;  // the '/', '?' or end that stops the host list
  Span path;                     // after the '/', up to '?'
  std::vector<RawParameter> parameters;
};

/// Length of "postgresql://" or "postgres://" at the start of `url`, else 0.
std::size_t postgres_prefix(std::string_view url);

/// libpq's decoding: %XY with two hex digits, %00 forbidden; nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view s);

/// key=value&key=value from `p` on; "" or why libpq would refuse it.
std::string split_query(std::string_view url, std::size_t p, std::vector<RawParameter>& out);

/// Splits a postgresql:// URI where libpq splits it; "" or why libpq would refuse it.
std::string split_postgres(std::string_view url, PgLayout& layout);

/// Decodes and checks the parts of a split URI into `u`; "" or why migtest refuses it
/// (never quoting a part that could hold a password).
std::string decode_postgres(std::string_view url, const PgLayout& layout, DatabaseUrl& u);

bool is_password_key(std::string_view key);

/// A URL parse_url refuses, shown: libpq's first '@' may not be the one its writer meant, so
/// everything from the ':' after the user name to the last '@' is hidden, and password= values.
std::string redact_refused(std::string_view url);

/// Control bytes as \xNN, so that a message stays one line.
std::string printable(std::string_view s);

}  // namespace migtest::detail
