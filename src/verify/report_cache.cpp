// verify's report cache. The entry is TOML (the project's one structured-text library) and
// holds every field of the report, so a case in another process prints exactly what the
// verifying process would have. It is written to a temporary name and renamed into place
// (readers see a whole entry or none), under an flock that makes concurrent processes verify
// once. An entry is trusted only when it parses completely and names this key, format and
// migtest version; anything else is verified again.
#include "verify/report_cache.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "file_lock.hpp"
#include "migtest/dialect.hpp"
#include "migtest/error.hpp"
#include "migtest/format.hpp"
#include "migtest/url.hpp"
#include "migtest/version.hpp"
#include "source/sha256.hpp"
#include "testdb/cache.hpp"
#include "testdb/directories.hpp"
#include "testdb/name.hpp"
#include "testdb/owner.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

namespace {

constexpr std::int64_t kFormat = 2;  // 2: the digest line
constexpr const char* kDigestLine = "# sha256 of the lines below: ";
// No indentation (less to parse). Only basic strings, every control character escaped:
// toml++ writes a string that starts with a newline as a multi-line string whose first
// newline its parser then trims, and one with a newline but no quote as a literal string,
// where control characters are not allowed.
constexpr toml::format_flags kTomlFlags =
    toml::toml_formatter::default_flags & ~toml::format_flags::indentation &
    ~toml::format_flags::allow_multi_line_strings & ~toml::format_flags::allow_literal_strings;
// Another process may be verifying 1,000 revisions on PostgreSQL.
constexpr int kLockTimeoutMs = 30 * 60 * 1000;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// ---- the key -------------------------------------------------------------------------------

// Length-prefixed fields: no value (SQL with newlines, a glob) can read as another field.
class KeyText {
 public:
  void add(std::string_view name, std::string_view value) {
    text_ += fmt::format("{} {}:{}\n", name, value.size(), value);
  }
  void add(std::string_view name, const std::vector<std::string>& values) {
    add(name, std::to_string(values.size()));
    for (const auto& v : values) add("-", v);
  }
  void flag(std::string_view name, bool value) { add(name, std::string_view(value ? "1" : "0")); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::vector<std::string> check_names(const std::vector<Check>& checks) {
  std::vector<std::string> out;
  for (Check c : checks) out.emplace_back(to_string(c));
  return out;
}

void add_compare(KeyText& k, const CompareOptions& c) {
  k.add("ignore_tables", c.ignore_tables);
  k.flag("compare_column_order", c.compare_column_order);
  k.flag("compare_defaults", c.compare_defaults);
  k.flag("strict_names", c.strict_names);
  k.add("labels", std::vector<std::string>{c.actual_label, c.expected_label});
}

// Returns true when a seed inserts its rows with C++ code, which no hash covers.
bool add_seeds(KeyText& k, const std::vector<Seed>& seeds) {
  bool code = false;
  k.add("seeds", std::to_string(seeds.size()));
  for (const Seed& s : seeds) {
    k.add("seed", std::vector<std::string>{s.revision, s.sql, s.expect, s.until, s.file,
                                           std::to_string(s.line), s.code ? "code" : ""});
    code = code || static_cast<bool>(s.code);
  }
  return code;
}

void add_models(KeyText& k, const Metadata* metadata, Dialect dialect) {
  if (!metadata) {
    k.add("models", "none");
    return;
  }
  // What model_match compares against, and the DDL behind it: both printed, no database.
  // On PostgreSQL the server builds the expected schema from that DDL: the DDL and the
  // server (in the key) are all it depends on.
  if (dialect != Dialect::postgresql)
    k.add("models", to_string(expected_schema(*metadata, dialect)));
  k.add("create_all", create_all_sql(*metadata, dialect));
}

// ---- TOML ------------------------------------------------------------------------------------

// Fields at their default are left out, and read back as the default: every case process
// parses the whole entry, and the parse is most of what it costs.
toml::table encode(const Difference& d);
toml::table encode(const LintWarning& w);
toml::table encode(const CheckResult& c);
toml::table encode(const RevisionResult& r);

void put(toml::table& t, std::string_view key, const std::string& value) {
  if (!value.empty()) t.insert(key, value);
}
void put(toml::table& t, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  toml::array a;
  for (const auto& v : values) a.push_back(v);
  t.insert(key, std::move(a));
}
template <class T>
void put(toml::table& t, std::string_view key, const std::vector<T>& values) {
  if (values.empty()) return;
  toml::array a;
  for (const auto& v : values) a.push_back(encode(v));
  t.insert(key, std::move(a));
}

toml::table encode(const Difference& d) {
  toml::table t{{"kind", std::string(to_string(d.kind))}};
  put(t, "table", d.table);
  put(t, "object", d.object);
  put(t, "actual", d.actual);
  put(t, "expected", d.expected);
  return t;
}

toml::table encode(const LintWarning& w) {
  toml::table t{{"rule", w.rule}, {"line", static_cast<std::int64_t>(w.line)}};
  put(t, "revision", w.revision);
  put(t, "file", w.file);
  put(t, "message", w.message);
  put(t, "code", w.code);
  put(t, "severity", std::string(to_string(w.severity)));
  return t;
}

toml::table encode(const CheckResult& c) {
  toml::table t{{"check", std::string(to_string(c.check))},
                {"status", std::string(to_string(c.status))},
                {"elapsed_ms", c.elapsed_ms}};
  put(t, "summary", c.summary);
  put(t, "details", c.details);
  if (c.skip_reason != SkipReason::none)
    t.insert("skip_reason", std::string(to_string(c.skip_reason)));
  put(t, "differences", c.differences);
  put(t, "warnings", c.warnings);
  put(t, "where_file", c.where.file);
  if (c.where.line) t.insert("where_line", static_cast<std::int64_t>(c.where.line));
  put(t, "where_revision", c.where.revision);
  return t;
}

toml::table encode(const Revision& r) {
  toml::table t{{"id", r.id}};
  put(t, "down_revisions", r.down_revisions);
  put(t, "branch_labels", r.branch_labels);
  put(t, "depends_on", r.depends_on);
  put(t, "message", r.message);
  put(t, "created", r.created);
  put(t, "file", r.file);
  if (!r.transactional) t.insert("transactional", false);
  if (!r.reversible) t.insert("reversible", false);
  return t;
}

toml::table encode(const RevisionResult& r) {
  toml::table t{{"revision", encode(r.revision)}, {"up_ms", r.up_ms}, {"down_ms", r.down_ms}};
  put(t, "checks", r.checks);
  return t;
}

toml::table encode(const VerifyReport& r) {
  toml::table t{{"dialect", to_string(r.dialect)},
                {"elapsed_ms", r.elapsed_ms},
                {"steps_ms", r.steps_ms},
                {"reads_ms", r.reads_ms},
                {"rebuilds", static_cast<std::int64_t>(r.rebuilds)}};
  put(t, "revisions", r.revisions);
  put(t, "history", r.history);
  return t;
}

// A table read strictly: a field is absent (its default, where encode leaves defaults out)
// or present with its exact type; anything else is an error naming it.
class Reader {
 public:
  Reader(const toml::table& table, std::string where) : t_(table), where_(std::move(where)) {}

  bool has(std::string_view key) const { return t_.get(key) != nullptr; }
  const toml::node& node(std::string_view key) const {
    const toml::node* n = t_.get(key);
    if (!n) throw error(fmt::format("{}.{} is missing", where_, key));
    return *n;
  }
  template <class T>
  T get(std::string_view key) const {
    // value_exact: an integer is not a float here, nor a float an integer.
    if (auto v = node(key).value_exact<T>()) return *v;
    throw error(fmt::format("{}.{} has the wrong type", where_, key));
  }
  template <class T>
  T get_or(std::string_view key, T fallback) const {
    return has(key) ? get<T>(key) : fallback;
  }
  std::string text(std::string_view key) const { return get<std::string>(key); }
  std::string text_or_empty(std::string_view key) const {
    return get_or<std::string>(key, std::string());
  }
  // An absent array is empty.
  const toml::array& array(std::string_view key) const {
    static const toml::array none;
    if (!has(key)) return none;
    if (const auto* a = node(key).as_array()) return *a;
    throw error(fmt::format("{}.{} is not an array", where_, key));
  }
  std::vector<std::string> texts(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& n : array(key)) {
      auto v = n.value_exact<std::string>();
      if (!v) throw error(fmt::format("{}.{} holds a non-string", where_, key));
      out.push_back(*v);
    }
    return out;
  }
  // Each element of the array of tables `key`, read by `read`.
  template <class T, class F>
  std::vector<T> tables(std::string_view key, F read) const {
    std::vector<T> out;
    std::size_t i = 0;
    for (const auto& n : array(key)) {
      const auto* t = n.as_table();
      const std::string at = fmt::format("{}.{}[{}]", where_, key, i++);
      if (!t) throw error(at + " is not a table");
      out.push_back(read(Reader(*t, at)));
    }
    return out;
  }
  Reader table(std::string_view key) const {
    const auto* t = node(key).as_table();
    if (!t) throw error(fmt::format("{}.{} is not a table", where_, key));
    return Reader(*t, fmt::format("{}.{}", where_, key));
  }
  const std::string& where() const { return where_; }

 private:
  const toml::table& t_;
  std::string where_;
};

// The enum value whose to_string is `name`, among `values`.
template <class E>
E parse_enum(const Reader& r, std::string_view key, const std::vector<E>& values) {
  const std::string name = r.text(key);
  for (E v : values) {
    if (to_string(v) == name) return v;
  }
  throw error(fmt::format("{}.{}: unknown value '{}'", r.where(), key, name));
}

const std::vector<Difference::Kind>& difference_kinds() {
  static const std::vector<Difference::Kind> kinds = [] {
    std::vector<Difference::Kind> out;
    for (int i = 0; i <= static_cast<int>(Difference::Kind::function_changed); ++i)
      out.push_back(static_cast<Difference::Kind>(i));
    return out;
  }();
  return kinds;
}

Difference read_difference(const Reader& r) {
  return Difference{parse_enum(r, "kind", difference_kinds()), r.text_or_empty("table"),
                    r.text_or_empty("object"), r.text_or_empty("actual"),
                    r.text_or_empty("expected")};
}

LintWarning read_warning(const Reader& r) {
  return LintWarning{
      r.text("rule"),
      r.text_or_empty("revision"),
      r.text_or_empty("file"),
      static_cast<int>(r.get<std::int64_t>("line")),
      r.text_or_empty("message"),
      r.text_or_empty("code"),
      parse_enum(r, "severity",
                 std::vector<Severity>{Severity::notice, Severity::warning, Severity::error})};
}

CheckResult read_check(const Reader& r) {
  CheckResult c;
  c.check = parse_enum(r, "check", all_checks());
  c.status =
      parse_enum(r, "status",
                 std::vector<Status>{Status::ok, Status::failed, Status::warning, Status::skipped});
  c.summary = r.text_or_empty("summary");
  c.details = r.texts("details");
  c.elapsed_ms = r.get<double>("elapsed_ms");
  if (r.has("skip_reason")) {
    c.skip_reason = parse_enum(
        r, "skip_reason",
        std::vector<SkipReason>{SkipReason::not_selected, SkipReason::skip_list, SkipReason::floor,
                                SkipReason::irreversible, SkipReason::no_downgrade,
                                SkipReason::not_run, SkipReason::nothing});
  }
  c.differences = r.tables<Difference>("differences", read_difference);
  c.warnings = r.tables<LintWarning>("warnings", read_warning);
  c.where.file = r.text_or_empty("where_file");
  c.where.line = static_cast<int>(r.get_or<std::int64_t>("where_line", 0));
  c.where.revision = r.text_or_empty("where_revision");
  return c;
}

Revision read_revision(const Reader& r) {
  Revision rev;
  rev.id = r.text("id");
  rev.down_revisions = r.texts("down_revisions");
  rev.branch_labels = r.texts("branch_labels");
  rev.depends_on = r.texts("depends_on");
  rev.message = r.text_or_empty("message");
  rev.created = r.text_or_empty("created");
  rev.file = r.text_or_empty("file");
  rev.transactional = r.get_or("transactional", true);
  rev.reversible = r.get_or("reversible", true);
  return rev;
}

RevisionResult read_revision_result(const Reader& r) {
  RevisionResult rr;
  rr.revision = read_revision(r.table("revision"));
  rr.up_ms = r.get<double>("up_ms");
  rr.down_ms = r.get<double>("down_ms");
  rr.checks = r.tables<CheckResult>("checks", read_check);
  return rr;
}

VerifyReport read_report(const Reader& r) {
  VerifyReport report;
  report.dialect = parse_dialect(r.text("dialect"));
  report.elapsed_ms = r.get<double>("elapsed_ms");
  report.steps_ms = r.get<double>("steps_ms");
  report.reads_ms = r.get<double>("reads_ms");
  report.rebuilds = static_cast<int>(r.get<std::int64_t>("rebuilds"));
  report.revisions = r.tables<RevisionResult>("revisions", read_revision_result);
  report.history = r.tables<CheckResult>("history", read_check);
  return report;
}

// ---- files -----------------------------------------------------------------------------------

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The 22nd field of /proc/<pid>/stat, the process's start in clock ticks since boot: with the
// pid, it names one process (a pid is reused, a pid and a start time are not).
std::string start_time(long pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat;
  std::getline(in, stat);
  const auto paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos) return "";
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 22) return field;
  }
  return "";
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// The entry at `file` when it may stand for a verification of `key` in this run.
std::optional<VerifyCacheEntry> usable_entry(const std::string& file, const std::string& key) {
  const auto text = read_file(file);
  if (!text) return std::nullopt;
  VerifyCacheEntry entry;
  try {
    entry = entry_from_toml(*text);
  } catch (const std::exception&) {
    return std::nullopt;  // corrupt or foreign: verified again and replaced, never trusted
  }
  if (entry.key != key) return std::nullopt;
  if (!entry.report.ok() && (entry.run.empty() || entry.run != current_test_run()))
    return std::nullopt;
  return entry;
}

// Writes the entry under a temporary name (a dead writer's is reaped like a half-built
// template) and renames it into place. False, writing nothing, when the report would not
// read back equal (text that is not UTF-8 cannot be TOML).
bool store(const std::string& directory, const VerifyCacheEntry& entry) {
  std::string text;
  try {
    text = entry_to_toml(entry);
    if (!(entry_from_toml(text) == entry)) return false;
  } catch (const std::exception&) {
    return false;
  }
  const std::string tmp =
      directory + "/" + TemporaryName::make(entry.key.substr(0, 8)).stem() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      ::unlink(tmp.c_str());
      throw error(fmt::format("cannot write '{}'", tmp));
    }
  }
  const std::string file = verify_cache_file(directory, entry.key);
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw error(fmt::format("cannot publish '{}': {}", file, std::strerror(err)));
  }
  return true;
}

// A report read from its entry; the entry's mtime records the use (what pruning by age goes
// by, as for templates).
CachedReport from_entry(VerifyCacheEntry&& entry, std::string file) {
  note_file_used(file);
  return CachedReport{std::move(entry.report), true, std::move(file), entry.pid,
                      std::move(entry.written)};
}

}  // namespace

bool verify_cache_enabled() {
  const std::string v = env("MIGTEST_VERIFY_CACHE");
  return !(v == "0" || v == "off" || v == "false" || v == "no");
}

std::string verify_cache_key(const History& history, const VerifyOptions& options, Dialect dialect,
                             const std::string& server_url) {
  KeyText k;
  k.add("migtest verify cache", std::to_string(kFormat));
  k.add("version", version());
  k.add("dialect", to_string(dialect));
  k.add("server", redact(server_url));  // the password would only weaken the file name
  k.add("sqlite", sqlite3_libversion());
  k.add("history", history.content_hash());
  k.add("version_table", options.version_table);
  k.add("schemas", options.schemas);
  k.add("checks", check_names(options.checks));
  k.add("heads", options.heads);
  k.add("min_downgrade", options.min_downgrade);
  k.add("skip", options.skip);
  k.flag("lint_fails", options.lint_fails);
  k.add("lint_disabled",
        std::vector<std::string>(options.lint.disabled.begin(), options.lint.disabled.end()));
  for (const auto& [code, severity] : options.lint.severity) {
    k.add("lint_severity " + code, std::string(to_string(severity)));
  }
  k.flag("incremental_reflection", options.incremental_reflection);
  add_compare(k, options.compare);
  const bool seed_code = add_seeds(k, options.seeds);
  add_models(k, options.metadata, dialect);
  // Code no build hashed: the same bytes may hold other code after a rebuild.
  if (seed_code || !history.unhashed_code().empty()) k.add("program", executable_identity());
  return sha256_hex(k.text());
}

std::string entry_to_toml(const VerifyCacheEntry& entry) {
  const toml::table t{{"format", kFormat},
                      {"migtest", std::string(version())},
                      {"key", entry.key},
                      {"run", entry.run},
                      {"pid", static_cast<std::int64_t>(entry.pid)},
                      {"written", entry.written},
                      {"history", entry.history},
                      {"report", encode(entry.report)}};
  std::ostringstream body;
  body << toml::toml_formatter(t, kTomlFlags) << "\n";
  // A file cut short can still be valid TOML (a report with fewer revisions): the digest of
  // what follows it tells a whole entry from a part of one.
  return "# migtest verification cache (docs/reference/verify.md, \"The cache\"): a report\n"
         "# shared by the test processes of one history; safe to delete.\n" +
         std::string(kDigestLine) + sha256_hex(body.str()) + "\n" + body.str();
}

namespace {
// The TOML after the digest line, when the digest matches it.
std::string_view digested_body(std::string_view text) {
  const auto at = text.find(kDigestLine);
  const std::size_t hex = at == std::string_view::npos ? at : at + std::strlen(kDigestLine);
  if (hex == std::string_view::npos || text.size() < hex + 65 || text[hex + 64] != '\n') {
    throw error("no digest line: not an entry this migtest wrote");
  }
  const std::string_view body = text.substr(hex + 65);
  if (text.substr(hex, 64) != sha256_hex(body)) {
    throw error("its digest does not match: cut short or changed");
  }
  return body;
}
}  // namespace

VerifyCacheEntry entry_from_toml(std::string_view text) {
  toml::table t;
  try {
    t = toml::parse(digested_body(text));
  } catch (const toml::parse_error& e) {
    throw error(fmt::format("not TOML: {} (line {})", e.description(), e.source().begin.line));
  }
  const Reader r(t, "entry");
  if (r.get<std::int64_t>("format") != kFormat)
    throw error(fmt::format("entry.format is not {}", kFormat));
  if (r.text("migtest") != version())
    throw error(fmt::format("written by migtest {}, this is {}", r.text("migtest"), version()));
  VerifyCacheEntry entry;
  entry.key = r.text("key");
  entry.run = r.text("run");
  entry.pid = static_cast<long>(r.get<std::int64_t>("pid"));
  entry.written = r.text("written");
  entry.history = r.text("history");
  entry.report = read_report(r.table("report"));
  return entry;
}

std::string current_test_run() {
  if (env("CTEST_INTERACTIVE_DEBUG_MODE").empty() && env("DASHBOARD_TEST_FROM_CTEST").empty())
    return "";
  const long parent = static_cast<long>(::getppid());
  const std::string started = start_time(parent);
  if (parent <= 1 || started.empty()) return "";
  return fmt::format("ctest {} {} {}", Owner::this_host(), parent, started);
}

std::string verify_cache_file(const std::string& directory, const std::string& key) {
  return directory + "/migtest_verify_" + key.substr(0, 16) + ".toml";
}

std::string verify_cache_lock(const std::string& directory, const std::string& key) {
  return directory + "/migtest_verify_" + key.substr(0, 16) + ".lock";
}

CachedReport cached_verify(const std::string& directory, const std::string& key,
                           const std::string& history, const std::function<VerifyReport()>& run) {
  std::string dir, file;
  std::unique_ptr<FileLock> lock;
  try {
    dir = ensure_directory(directory);
    file = verify_cache_file(dir, key);
    if (auto entry = usable_entry(file, key)) return from_entry(std::move(*entry), file);
    lock = std::make_unique<FileLock>(verify_cache_lock(dir, key), kLockTimeoutMs,
                                      "the verification lock");
    // Whoever held the lock before us verified and wrote it.
    if (auto entry = usable_entry(file, key)) return from_entry(std::move(*entry), file);
  } catch (const std::exception& e) {
    std::cerr << "migtest: verification cache not used (" << e.what()
              << "): verifying in this process\n";
    return CachedReport{run(), false, "", static_cast<long>(::getpid()), utc_now()};
  }
  VerifyCacheEntry entry{
      key, current_test_run(), static_cast<long>(::getpid()), utc_now(), history, run()};
  try {
    if (!store(dir, entry)) {
      std::cerr << "migtest: verification cache: the report of " << history
                << " does not survive being written (text that is not UTF-8?); not cached\n";
      file.clear();
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest: verification cache not written (" << e.what() << ")\n";
    file.clear();
  }
  return CachedReport{std::move(entry.report), false, file, entry.pid, entry.written};
}

}  // namespace migtest::detail
