// Passwords hidden in URLs and messages. A URL that parse_url accepts is redacted exactly where
// libpq reads its password; anything else (a refused URL, a URL inside a message, a libpq
// keyword/value string) is redacted generously, since hiding too much only costs readability.
#include <algorithm>
#include <cctype>

#include "backend/url_layout.hpp"
#include "migtest/url.hpp"

namespace migtest {

namespace detail {

namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Hides the spans libpq reads as passwords in an accepted URI.
std::string redact_layout(std::string_view url, const PgLayout& l) {
  std::vector<Span> hidden;
  if (l.password.present() && l.password.end > l.password.begin) hidden.push_back(l.password);
  for (const RawParameter& p : l.parameters) {
    auto key = percent_decode(p.key.of(url));
    if (key && is_password_key(*key)) hidden.push_back(p.value);
  }
  std::string out(url);
  for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
    out.replace(it->begin, it->end - it->begin, "***");
  }
  return out;
}

// The redacted form when `url` is exactly a PostgreSQL URL that parse_url accepts.
std::optional<std::string> redact_accepted(std::string_view url) {
  if (postgres_prefix(url) == 0 || has_control(url)) return std::nullopt;
  PgLayout l;
  DatabaseUrl u;
  if (!split_postgres(url, l).empty() || !decode_postgres(url, l, u).empty()) return std::nullopt;
  return redact_layout(url, l);
}

// Whether the '&' at `amp` starts a parameter libpq knows (a raw '&' in a password does not).
bool starts_known_parameter(std::string_view url, std::size_t amp) {
  const std::size_t eq = url.find('=', amp + 1);
  if (eq == npos || eq > url.find('&', amp + 1)) return false;
  const auto key = percent_decode(url.substr(amp + 1, eq - amp - 1));
  const auto& keys = postgres_keywords();
  return key &&
         (*key == "ssl" || std::binary_search(keys.begin(), keys.end(), std::string_view(*key)));
}

// password= values in a URL's query, each up to the next parameter libpq knows.
std::string redact_query_passwords(std::string url) {
  std::size_t p = url.find('?');
  while (p != npos && p < url.size()) {
    const std::size_t next = url.find('&', p + 1);
    const std::size_t eq = url.find('=', p + 1);
    const auto key =
        eq < next ? percent_decode(std::string_view(url).substr(p + 1, eq - p - 1)) : std::nullopt;
    if (!key || !is_password_key(*key)) {
      p = next;
      continue;
    }
    std::size_t end = next;
    while (end != npos && !starts_known_parameter(url, end)) end = url.find('&', end + 1);
    url.replace(eq + 1, (end == npos ? url.size() : end) - eq - 1, "***");
    p = end == npos ? npos : eq + 4;  // the '&' after ***
  }
  return url;
}

std::string redact_any(std::string_view url) {
  if (auto exact = redact_accepted(url)) return *exact;
  return redact_refused(url);
}

bool is_boundary(char c) { return std::string_view(" \t\r\n'\"`(<[=").find(c) != npos; }

// Where the scheme of the "://" at `pos` starts (== pos when there is none).
std::size_t scheme_start(std::string_view text, std::size_t pos) {
  std::size_t s = pos;
  while (s > 0 && (std::isalnum(static_cast<unsigned char>(text[s - 1])) ||
                   std::string_view("+-.").find(text[s - 1]) != npos)) {
    --s;
  }
  return s < pos && std::isalpha(static_cast<unsigned char>(text[s])) ? s : pos;
}

// The next URL from `from`: a scheme at the start of the text or after a space, quote, bracket.
std::size_t next_url(std::string_view text, std::size_t from) {
  for (std::size_t pos = text.find("://", from); pos != npos; pos = text.find("://", pos + 3)) {
    const std::size_t s = scheme_start(text, pos);
    if (s != pos && s >= from && (s == 0 || is_boundary(text[s - 1]))) return s;
  }
  return npos;
}

// Where the URL starting at `start` ends in a message: at its closing quote when quoted (a quote
// followed by punctuation, a space or the end), else at the end of the line or the next URL.
std::size_t url_end(std::string_view text, std::size_t start) {
  const std::size_t auth = text.find("://", start) + 3;
  const char q = start > 0 ? text[start - 1] : '\0';
  if (q == '\'' || q == '"' || q == '`') {
    for (std::size_t i = text.find(q, auth); i != npos; i = text.find(q, i + 1)) {
      if (i + 1 == text.size() || std::string_view(" \t\r\n:,;.)]").find(text[i + 1]) != npos) {
        return i;
      }
    }
  }
  return std::min({text.find('\n', auth), next_url(text, auth), text.size()});
}

std::size_t find_case_insensitive(std::string_view text, std::string_view word, std::size_t from) {
  if (from > text.size()) return npos;
  auto it =
      std::search(text.begin() + from, text.end(), word.begin(), word.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
  return it == text.end() ? npos : static_cast<std::size_t>(it - text.begin());
}

// The end of a keyword's value: libpq's keyword/value strings end an unquoted value at a space
// and let a backslash escape the next character; a URL query ends a value at '&'.
std::size_t value_end(std::string_view text, std::size_t i, bool quoted, bool in_query) {
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_query && c == '\\' && i + 1 < text.size()) {
      ++i;
      continue;
    }
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    const bool query_end = in_query && (c == '&' || c == '\'' || c == '"');
    if (quoted ? c == '\'' : (space || query_end)) break;
  }
  return i;
}

// A value redacted before: *** then a quote, a space or the end. Redacting it again would take
// the quote that closes the text around it.
bool already_redacted(std::string_view text, std::size_t at) {
  if (text.substr(at, 3) != "***") return false;
  return at + 3 == text.size() || std::string_view("'\" \t\r\n&").find(text[at + 3]) != npos;
}

// password=value and sslpassword=value, 'quoted' or not, wherever they stand.
std::string redact_keyword_values(std::string text) {
  for (std::string_view key : {"password", "sslpassword"}) {
    for (std::size_t p = find_case_insensitive(text, key, 0); p != npos;
         p = find_case_insensitive(text, key, p + 1)) {
      const char before = p > 0 ? text[p - 1] : ' ';
      const bool in_query = before == '?' || before == '&';
      if (!in_query && !is_boundary(before) && before != ',' && before != ';') continue;
      std::size_t v = p + key.size();
      while (v < text.size() && text[v] == ' ') ++v;
      if (v >= text.size() || text[v] != '=') continue;
      ++v;
      while (!in_query && v < text.size() && text[v] == ' ') ++v;
      const bool quoted = !in_query && v < text.size() && text[v] == '\'';
      const std::size_t from = quoted ? v + 1 : v;
      if (already_redacted(text, from)) continue;
      text.replace(from, value_end(text, from, quoted, in_query) - from, "***");
    }
  }
  return text;
}

}  // namespace

std::string redact_refused(std::string_view url) {
  std::string out(url);
  const std::size_t scheme_end = out.find("://");
  if (scheme_end != npos) {
    const std::size_t auth = scheme_end + 3;
    const std::size_t at = out.rfind('@');
    const std::size_t colon = out.find(':', auth);
    if (auth < out.size() && out[auth] != '/' && at != npos && at > auth && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  return redact_query_passwords(std::move(out));
}

}  // namespace detail

std::string redact(std::string_view text) {
  using namespace detail;
  if (auto exact = redact_accepted(text)) return *exact;
  // Text that starts with a URL is all URL, even across lines (a raw newline in a password).
  if (next_url(text, 0) == 0) return redact_keyword_values(redact_refused(text));
  // A message: each URL in it on its own, keyword/value strings in the text between.
  std::string out;
  std::size_t copied = 0;
  for (std::size_t s = next_url(text, 0); s != npos; s = next_url(text, copied)) {
    const std::size_t e = url_end(text, s);
    out += redact_keyword_values(std::string(text.substr(copied, s - copied)));
    out += redact_any(text.substr(s, e - s));
    copied = e;
  }
  return out + redact_keyword_values(std::string(text.substr(copied)));
}

std::string DatabaseUrl::redacted() const { return redact(original); }

}  // namespace migtest
