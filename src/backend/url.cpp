#include "migtest/url.hpp"

#include <fmt/format.h>

#include "migtest/error.hpp"

namespace migtest {

namespace {
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
}  // namespace

std::string redact(std::string_view text) {
  // user:password@ inside any scheme://...; and password=... in query strings.
  std::string out(text);
  std::size_t pos = 0;
  while ((pos = out.find("://", pos)) != std::string::npos) {
    std::size_t start = pos + 3;
    std::size_t end = out.find_first_of("/?# \n\t", start);
    std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > start) {
      std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    pos = start;
  }
  for (std::string_view key : {"password=", "passwd="}) {
    std::size_t p = 0;
    while ((p = out.find(key, p)) != std::string::npos) {
      std::size_t v = p + key.size();
      std::size_t e = out.find_first_of("& \n\t'\"", v);
      if (e == std::string::npos) e = out.size();
      out.replace(v, e - v, "***");
      p = v + 3;
    }
  }
  return out;
}

std::string DatabaseUrl::redacted() const { return redact(original); }

namespace {
// A PostgreSQL URI around its path: "postgresql://auth", "db", "?query".
struct UriParts {
  std::string_view head, database, tail;
};
UriParts split_uri(std::string_view url) {
  DatabaseUrl u = parse_url(url);
  if (u.dialect != "postgresql") {
    throw usage_error(fmt::format("'{}' is not a PostgreSQL URL", redact(url)));
  }
  const std::size_t start = url.find("://") + 3;
  const std::size_t query = url.find('?', start);
  std::size_t slash = url.find('/', start);
  if (slash != std::string_view::npos && query != std::string_view::npos && slash > query) {
    slash = std::string_view::npos;
  }
  UriParts p;
  p.head = url.substr(0, slash != std::string_view::npos ? slash : query);
  p.tail = query == std::string_view::npos ? std::string_view{} : url.substr(query);
  if (slash != std::string_view::npos) p.database = url.substr(slash + 1, query == std::string_view::npos ? query : query - slash - 1);
  return p;
}
}  // namespace

std::string with_database(std::string_view url, std::string_view database) {
  const UriParts parts = split_uri(url);
  std::string tail(parts.tail);
  // A dbname= parameter would override the path: point it at the new database too.
  for (std::size_t p = tail.find("dbname="); p != std::string::npos; p = tail.find("dbname=", p + 1)) {
    if (tail[p - 1] != '?' && tail[p - 1] != '&') continue;
    std::size_t v = p + 7;
    std::size_t e = tail.find('&', v);
    tail.replace(v, (e == std::string::npos ? tail.size() : e) - v, database);
  }
  return fmt::format("{}/{}{}", parts.head, database, tail);
}

std::string database_of(std::string_view url) { return std::string(split_uri(url).database); }

DatabaseUrl parse_url(std::string_view url) {
  DatabaseUrl u;
  u.original = std::string(url);
  if (url.empty()) throw connection_error("empty database URL (expected sqlite:///path.db or postgresql://...)");
  if (starts_with(url, "sqlite:")) {
    u.dialect = "sqlite";
    if (!starts_with(url, "sqlite:///")) {
      throw connection_error(fmt::format(
          "malformed SQLite URL '{}': expected sqlite:///relative.db, sqlite:////absolute.db or "
          "sqlite:///:memory:",
          redact(url)));
    }
    std::string_view rest = url.substr(10);
    if (auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
    if (rest.empty()) throw connection_error(fmt::format("SQLite URL '{}' names no file", redact(url)));
    u.path = std::string(rest);
    return u;
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    u.dialect = "postgresql";
    std::string_view rest = url.substr(url.find("://") + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    if (authority.find_first_of(" \t\n") != std::string_view::npos) {
      throw connection_error(fmt::format("malformed PostgreSQL URL '{}'", redact(url)));
    }
    auto at = authority.rfind('@');
    std::string_view hostport = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (!hostport.empty() && hostport.front() != '[') {
      auto colon = hostport.rfind(':');
      if (colon != std::string_view::npos) {
        std::string_view port = hostport.substr(colon + 1);
        bool ok = !port.empty() && port.size() <= 5;
        for (char c : port) ok = ok && c >= '0' && c <= '9';
        if (!ok) {
          throw connection_error(
              fmt::format("malformed PostgreSQL URL '{}': bad port '{}'", redact(url), port));
        }
      }
    }
    return u;
  }
  auto scheme_end = url.find(':');
  throw connection_error(fmt::format(
      "unknown database URL scheme '{}' in '{}' (expected sqlite or postgresql)",
      scheme_end == std::string_view::npos ? url : url.substr(0, scheme_end), redact(url)));
}

}  // namespace migtest
