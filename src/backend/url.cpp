#include "migtest/url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cctype>

#include "backend/url_layout.hpp"
#include "edit_distance.hpp"
#include "migtest/error.hpp"
#include "strings.hpp"

// PostgreSQL URIs are split where libpq splits them (fe-connect.c, conninfo_uri_parse_options):
// the user information ends at the first '@' met before any '/'; the user name at the first ':'
// in it; hosts at ':', '/', '?' or ','; the path at '?'; parameters at '&' and '='. A URL that
// libpq would read otherwise than its writer evidently meant (a raw '@' left after that first
// '@', a password cut at a raw '/' into a "port") is refused, and no part of it that could hold a
// password is ever quoted back.

namespace migtest {

namespace detail {

namespace {

// One host (a name, an address or [IPv6]) and its optional :port, from `p`.
std::string split_host(std::string_view url, std::size_t& p, PgLayout& l) {
  Span host{p, p};
  if (p < url.size() && url[p] == '[') {
    const std::size_t close = url.find(']', p);
    if (close == npos) return "an IPv6 host without its closing ']'";
    if (close == p + 1) return "an empty IPv6 host '[]'";
    host = {p + 1, close};
    p = close + 1;
    if (p < url.size() && std::string_view(":/?,").find(url[p]) == npos) {
      return "a character other than ':', '/', '?' or ',' after an IPv6 host";
    }
  } else {
    p = std::min(url.find_first_of(":/?,", p), url.size());
    host.end = p;
  }
  Span port{p, p};
  if (p < url.size() && url[p] == ':') {
    p = std::min(url.find_first_of("/?,", p + 1), url.size());
    port = {port.begin + 1, p};
  }
  l.hosts.push_back(host);
  l.ports.push_back(port);
  return "";
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int n = std::stoi(std::string(port));
  return n >= 1 && n <= 65535;
}

// A comma-separated list of ports, each empty (the default) or a number.
bool valid_port_list(std::string_view ports) {
  while (true) {
    const std::size_t comma = ports.find(',');
    const std::string_view one = ports.substr(0, comma);
    if (!one.empty() && !valid_port(one)) return false;
    if (comma == npos) return true;
    ports.remove_prefix(comma + 1);
  }
}

std::string unknown_postgres_parameter(const std::vector<UrlParameter>& params, std::size_t i) {
  // A raw '&' in a password= value makes its tail look like a parameter: never quote that tail.
  if (i > 0 && is_password_key(params[i - 1].key)) {
    return "an unknown parameter after a password (write '&' in a password as %26)";
  }
  const std::string& key = params[i].key;
  std::string_view best;
  std::size_t best_distance = 3;  // suggest only what is at most two edits away
  for (std::string_view k : postgres_keywords()) {
    if (const std::size_t d = edit_distance(key, k); d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  const std::string hint = best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
  return fmt::format("unknown parameter '{}'{}; libpq's parameters are {}", printable(key), hint,
                     fmt::join(postgres_keywords(), ", "));
}

const char* const kBadPercent =
    "invalid percent-encoding: '%' must start %XY with two hex digits, and %00 is not allowed "
    "(write '%' itself as %25)";

// The query's parameters, decoded and checked against libpq's keywords.
std::string decode_postgres_parameters(std::string_view url, const PgLayout& l, DatabaseUrl& u) {
  for (const RawParameter& raw : l.parameters) {
    auto key = percent_decode(raw.key.of(url));
    auto value = percent_decode(raw.value.of(url));
    if (!key || !value) return kBadPercent;
    u.parameters.push_back({*key, *value});
  }
  const auto& keys = postgres_keywords();
  for (std::size_t i = 0; i < u.parameters.size(); ++i) {
    const UrlParameter& p = u.parameters[i];
    if (p.key == "ssl") {
      if (p.value != "true") return "parameter 'ssl' takes only 'true' (libpq's sslmode=require)";
      continue;
    }
    if (!std::binary_search(keys.begin(), keys.end(), std::string_view(p.key))) {
      return unknown_postgres_parameter(u.parameters, i);
    }
    if (p.key == "port" && !valid_port_list(p.value)) {
      return "parameter 'port' is not a number from 1 to 65535";
    }
  }
  return "";
}

std::string parse_sqlite(std::string_view url, DatabaseUrl& u) {
  const std::size_t start = std::string_view("sqlite:///").size();
  const std::size_t q = url.find('?', start);
  u.path = std::string(url.substr(start, q == npos ? npos : q - start));
  if (u.path.empty()) return "it names no file";
  if (q == npos) return "";
  std::vector<RawParameter> raw;
  if (std::string why = split_query(url, q + 1, raw); !why.empty()) return why;
  for (const RawParameter& p : raw) {
    const std::string_view key = p.key.of(url), value = p.value.of(url);
    if (key != "mode") {
      return fmt::format("unknown parameter '{}' (accepted: mode=ro, mode=rw, mode=rwc)", key);
    }
    if (u.sqlite_mode != SqliteMode::unspecified) return "mode= given twice";
    if (value == "ro")
      u.sqlite_mode = SqliteMode::read_only;
    else if (value == "rw")
      u.sqlite_mode = SqliteMode::read_write;
    else if (value == "rwc")
      u.sqlite_mode = SqliteMode::read_write_create;
    else
      return fmt::format("mode '{}' is not ro, rw or rwc", value);
    u.parameters.push_back({std::string(key), std::string(value)});
  }
  return "";
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::size_t postgres_prefix(std::string_view url) {
  for (std::string_view p : {"postgresql://", "postgres://"}) {
    if (starts_with(url, p)) return p.size();
  }
  return 0;
}

std::optional<std::string> percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const int hi = i + 1 < s.size() ? hex(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;  // libpq forbids %00
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string split_query(std::string_view url, std::size_t p, std::vector<RawParameter>& out) {
  while (p < url.size()) {
    const std::size_t end = std::min(url.find('&', p), url.size());
    const std::size_t eq = url.find('=', p);
    if (eq >= end) return "a query parameter without '=' (write '&' inside a value as %26)";
    if (url.find('=', eq + 1) < end) {
      return "a query parameter with a second '=' (write '=' inside a value as %3D)";
    }
    out.push_back({{p, eq}, {eq + 1, end}});
    p = end + 1;
  }
  return "";
}

std::string split_postgres(std::string_view url, PgLayout& l) {
  std::size_t p = postgres_prefix(url);
  const std::size_t at = url.find_first_of("@/", p);
  if (at != npos && url[at] == '@') {
    l.separator = at;
    const std::size_t colon = url.find(':', p);
    l.user = {p, std::min(colon, at)};
    if (colon < at) l.password = {colon + 1, at};
    p = at + 1;
  }
  for (;;) {
    if (std::string why = split_host(url, p, l); !why.empty()) return why;
    if (p >= url.size() || url[p] != ',') break;
    ++p;
  }
  l.hosts_end = p;
  if (p < url.size() && url[p] == '/') {
    const std::size_t q = std::min(url.find('?', p), url.size());
    l.path = {p + 1, q};
    p = q;
  }
  return p < url.size() ? split_query(url, p + 1, l.parameters) : "";
}

std::string decode_postgres(std::string_view url, const PgLayout& l, DatabaseUrl& u) {
  if (url.find('@', l.separator == npos ? postgres_prefix(url) : l.separator + 1) != npos) {
    return "a raw '@' after the user information: libpq ends the user name and password at the "
           "first '@' before any '/'; write '@' as %40 and '/' as %2F in user names, passwords "
           "and database names";
  }
  if (l.user.of(url).find('?') != npos) {
    return "a '?' in the user name (write it as %3F, or give the user as ?user=)";
  }
  auto user = percent_decode(l.user.of(url));
  auto password = percent_decode(l.password.of(url));
  auto database = percent_decode(l.path.of(url));
  if (!user || !password || !database) return kBadPercent;
  u.user = *user;
  u.password = *password;
  u.database = *database;
  for (std::size_t i = 0; i < l.hosts.size(); ++i) {
    auto host = percent_decode(l.hosts[i].of(url));
    auto port = percent_decode(l.ports[i].of(url));
    if (!host || !port) return kBadPercent;
    // The port is never quoted: a password cut at a raw '/' would show there.
    if (!port->empty() && !valid_port(*port)) {
      return "a port that is not a number from 1 to 65535 (write '/' in a password as %2F)";
    }
    u.hosts.push_back(*host);
    u.ports.push_back(*port);
  }
  return decode_postgres_parameters(url, l, u);
}

bool is_password_key(std::string_view key) { return key == "password" || key == "sslpassword"; }

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

}  // namespace detail

const std::vector<std::string_view>& postgres_keywords() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> k = {"application_name",
                                       "channel_binding",
                                       "client_encoding",
                                       "connect_timeout",
                                       "dbname",
                                       "fallback_application_name",
                                       "gssencmode",
                                       "gsslib",
                                       "host",
                                       "hostaddr",
                                       "keepalives",
                                       "keepalives_count",
                                       "keepalives_idle",
                                       "keepalives_interval",
                                       "krbsrvname",
                                       "options",
                                       "passfile",
                                       "password",
                                       "port",
                                       "replication",
                                       "requirepeer",
                                       "service",
                                       "ssl_max_protocol_version",
                                       "ssl_min_protocol_version",
                                       "sslcert",
                                       "sslcompression",
                                       "sslcrl",
                                       "sslcrldir",
                                       "sslkey",
                                       "sslmode",
                                       "sslpassword",
                                       "sslrootcert",
                                       "sslsni",
                                       "target_session_attrs",
                                       "tcp_user_timeout",
                                       "user"};
    std::sort(k.begin(), k.end());
    return k;
  }();
  return keys;
}

DatabaseUrl parse_url(std::string_view url) {
  using namespace detail;
  DatabaseUrl u;
  u.original = std::string(url);
  if (url.empty()) {
    throw connection_error("empty database URL (expected sqlite:///path.db or postgresql://...)");
  }
  auto refuse = [&](std::string_view kind, const std::string& why) {
    return connection_error(
        fmt::format("malformed {} URL '{}': {}", kind, printable(redact_refused(url)), why));
  };
  const bool control = std::any_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (starts_with(url, "sqlite:")) {
    u.dialect = Dialect::sqlite;
    if (!starts_with(url, "sqlite:///")) {
      throw refuse("SQLite",
                   "expected sqlite:///relative.db, sqlite:////absolute.db or sqlite:///:memory:");
    }
    if (control) throw refuse("SQLite", "a control character in the URL");
    if (std::string why = parse_sqlite(url, u); !why.empty()) throw refuse("SQLite", why);
    return u;
  }
  if (postgres_prefix(url) > 0) {
    u.dialect = Dialect::postgresql;
    if (control) throw refuse("PostgreSQL", "a control character (percent-encode it)");
    PgLayout l;
    std::string why = split_postgres(url, l);
    if (why.empty()) why = decode_postgres(url, l, u);
    if (!why.empty()) throw refuse("PostgreSQL", why);
    return u;
  }
  const std::size_t colon = url.find("://");
  const std::string_view scheme = url.substr(0, colon == npos ? 0 : colon);
  const bool named =
      !scheme.empty() && std::isalpha(static_cast<unsigned char>(scheme[0])) &&
      std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
      });
  if (!named) {
    throw connection_error(
        fmt::format("'{}' is not a database URL (expected sqlite:///path.db or postgresql://...)",
                    printable(redact(url))));
  }
  throw connection_error(
      fmt::format("unknown database URL scheme '{}' in '{}' (expected sqlite or postgresql)",
                  scheme, printable(redact(url))));
}

namespace {
// The layout of a URL parse_url accepts as PostgreSQL (config_error for any other URL).
detail::PgLayout postgres_layout(std::string_view url) {
  if (parse_url(url).dialect != Dialect::postgresql) {
    throw config_error(fmt::format("'{}' is not a PostgreSQL URL", redact(url)));
  }
  detail::PgLayout l;
  detail::split_postgres(url, l);
  return l;
}
}  // namespace

std::string with_database(std::string_view url, std::string_view database) {
  const detail::PgLayout l = postgres_layout(url);
  const std::string encoded = detail::percent_encode(database);
  std::string out = fmt::format("{}/{}", url.substr(0, l.hosts_end), encoded);
  char separator = '?';
  for (const detail::RawParameter& p : l.parameters) {
    out += separator;
    separator = '&';
    out.append(p.key.of(url));
    out += '=';
    // A dbname= parameter would override the path: point it at the new database too.
    const bool dbname = detail::percent_decode(p.key.of(url)).value_or("") == "dbname";
    out.append(dbname ? std::string_view(encoded) : p.value.of(url));
  }
  return out;
}

std::string database_of(std::string_view url) {
  const DatabaseUrl u = parse_url(url);
  if (u.dialect != Dialect::postgresql) {
    throw config_error(fmt::format("'{}' is not a PostgreSQL URL", redact(url)));
  }
  std::string database = u.database;
  for (const UrlParameter& p : u.parameters) {
    if (p.key == "dbname") database = p.value;
  }
  return database;
}

bool DatabaseUrl::names_missing_file() const {
  if (dialect != Dialect::sqlite || is_memory()) return false;
  boost::system::error_code ec;
  return !boost::filesystem::exists(path, ec);
}

}  // namespace migtest
