// The cache's lifecycle: what is kept (templates, pool databases, verification results),
// when each was last used, and removing what is stale or everything, never what is in use.
//
// In use means: a file's lock file is held (a build, a verification); a database has a
// connection open to it, or a lock on it (CREATE DATABASE ... TEMPLATE holds one while it
// copies); a pool database is claimed (the advisory lock pool_lock_key(name)). Removal checks
// again at the moment it removes, so what comes into use after the listing is still kept:
// a file goes only while we hold its lock file; a database is dropped without FORCE (a
// connection makes the DROP fail) and with a lock_timeout (a copy makes it time out).
#include "testdb/cache.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

#include "file_lock.hpp"
#include "migtest/error.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/pool.hpp"
#include "testdb/server.hpp"

namespace migtest {

namespace fs = boost::filesystem;
using Clock = std::chrono::system_clock;

namespace detail {

namespace {

constexpr std::chrono::hours kDay{24};
// How long a DROP or a COMMENT waits for a copy in progress before leaving it for later.
constexpr int kLockTimeoutMs = 200;
constexpr std::string_view kUsed = "; used=";
constexpr const char* kTemplateMarker = "migtest template;";
constexpr const char* kPoolMarker = "migtest pool;";
// SQLSTATEs of a database in use: connections open (object_in_use), a lock held by a copy
// (lock_not_available, after lock_timeout).
constexpr const char* kObjectInUse = "55006";
constexpr const char* kLockNotAvailable = "55P03";

bool is_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// `name` is prefix + 16 hex digits + suffix: the 16 digits, else "".
std::string key16_in(std::string_view name, std::string_view prefix, std::string_view suffix) {
  if (name.size() != prefix.size() + 16 + suffix.size() ||
      name.substr(0, prefix.size()) != prefix || name.substr(prefix.size() + 16) != suffix) {
    return "";
  }
  const std::string_view key = name.substr(prefix.size(), 16);
  return is_hex(key) ? std::string(key) : "";
}

std::string utc_date(Clock::time_point t) {
  const std::time_t s = Clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&s, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// The last second of the UTC day `date` (YYYY-MM-DD) names: a use recorded by the day counts
// as late in that day as it could have been, so nothing goes before its age has passed.
std::optional<Clock::time_point> end_of_day(const std::string& date) {
  std::tm tm{};
  const char* end = ::strptime(date.c_str(), "%Y-%m-%d", &tm);
  if (date.size() != 10 || !end || *end != '\0') return std::nullopt;
  return Clock::from_time_t(::timegm(&tm)) + kDay - std::chrono::seconds(1);
}

// The `used=` date of a template's COMMENT, "" when it has none.
std::string used_date(const std::string& comment) {
  const auto at = comment.find(kUsed);
  return at == std::string::npos ? "" : comment.substr(at + kUsed.size(), 10);
}

std::string with_used_date(const std::string& comment, const std::string& date) {
  std::string out = comment;
  if (const auto at = comment.find(kUsed); at != std::string::npos) {
    const auto next = comment.find(';', at + 1);
    out = comment.substr(0, at) + (next == std::string::npos ? "" : comment.substr(next));
  }
  return out + std::string(kUsed) + date;
}

Clock::time_point mtime_of(const struct stat& st) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

// ---- files ---------------------------------------------------------------------------------

std::string lock_file_of(const std::string& path) {
  return fs::path(path).replace_extension(".lock").string();
}

// The cache entry `path` names (size, last use and use left out), if it names one.
std::optional<CacheEntry> file_entry(const fs::path& path) {
  const std::string name = path.filename().string();
  CacheEntry e;
  e.name = path.string();
  if (e.key16 = key16_in(name, "migtest_tpl_", ".db"); !e.key16.empty()) {
    e.kind = CacheKind::template_database;
    e.backend = Backend::sqlite;
    return e;
  }
  if (e.key16 = key16_in(name, "migtest_verify_", ".toml"); !e.key16.empty()) {
    e.kind = CacheKind::verification;
    return e;
  }
  if (e.key16 = key16_in(name, "migtest_reset_", ".state"); !e.key16.empty()) {
    e.kind = CacheKind::reset_state;
    e.backend = Backend::postgresql;
    return e;
  }
  if (e.key16 = key16_in(name, "migtest_history_", ".stamp"); !e.key16.empty()) {
    e.kind = CacheKind::history_stamp;  // the key of its directory's path, not of a template
    return e;
  }
  return std::nullopt;
}

// The entries in `directory` that this user owns (a cache directory shared by several
// users shows each only their own).
std::vector<CacheEntry> scan_directory(const std::string& directory) {
  std::vector<CacheEntry> out;
  boost::system::error_code ec;
  if (directory.empty() || !fs::is_directory(directory, ec)) return out;
  const fs::path dir = fs::absolute(directory).lexically_normal();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto e = file_entry(it->path());
    struct stat st {};
    if (!e || ::lstat(e->name.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != ::geteuid()) {
      continue;
    }
    e->size = static_cast<std::uint64_t>(st.st_size);
    e->last_used = mtime_of(st);
    e->in_use = FileLock::try_existing(lock_file_of(e->name)).held_elsewhere();
    out.push_back(std::move(*e));
  }
  return out;
}

// How many names in `directory` are cache entries' (their files left unread).
std::size_t count_named_entries(const std::string& directory) {
  std::size_t n = 0;
  boost::system::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    n += file_entry(it->path()) ? 1 : 0;
  }
  return n;
}

enum class Outcome { removed, in_use, failed };

// Removes the file and its lock file while holding the lock, so that no build or
// verification is under way. (A process that opened the lock file before and waits on it
// then locks a file no longer in the directory, next to one that a newcomer creates: two
// builds of one template at worst, each published by an atomic rename.)
Outcome remove_file(const CacheEntry& e, std::string& error) {
  const std::string lock = lock_file_of(e.name);
  FileLock probe = FileLock::try_existing(lock);
  if (probe.held_elsewhere()) return Outcome::in_use;
  if (::unlink(e.name.c_str()) != 0 && errno != ENOENT) {
    error = fmt::format("cannot remove '{}': {}", e.name, std::strerror(errno));
    return Outcome::failed;
  }
  ::unlink(lock.c_str());
  return Outcome::removed;
}

void touch(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::futimens(fd, nullptr);
    ::close(fd);
  }
}

// ---- PostgreSQL ----------------------------------------------------------------------------

// A lock_timeout on the maintenance connection for as long as this lives.
class LockTimeout {
 public:
  LockTimeout(Connection& c, int ms) : c_(c) {
    c_.execute(fmt::format("SET lock_timeout = {}", ms));
  }
  ~LockTimeout() {
    try {
      c_.execute("RESET lock_timeout");
    } catch (...) {
    }
  }
  LockTimeout(const LockTimeout&) = delete;
  LockTimeout& operator=(const LockTimeout&) = delete;

 private:
  Connection& c_;
};

// The cache's databases that the connected role owns, with their COMMENT and whether a
// connection or a lock (a copy in progress) is on them: one catalog query.
constexpr const char* kListSql = R"(
SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), ''),
       EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a
               WHERE a.datid = d.oid AND a.pid <> pg_backend_pid())
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                  WHERE l.locktype = 'object' AND l.classid = 'pg_catalog.pg_database'::regclass
                    AND l.objid = d.oid AND l.pid <> pg_backend_pid())
FROM pg_catalog.pg_database d
WHERE d.datname ~ '^migtest_(tpl_[0-9a-f]{16}|pool_[0-9a-f]{16}_[0-9a-f]{8})$'
  AND d.datdba = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
ORDER BY d.datname)";

// The advisory locks other sessions hold, as pg_advisory_lock(bigint) keys: the claims.
constexpr const char* kClaimsSql = R"(
SELECT (l.classid::bigint << 32) | l.objid::bigint FROM pg_catalog.pg_locks l
WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.pid <> pg_backend_pid())";

// The database's size; nullopt when it went while we looked (a pool database dropped by
// its user, say).
std::optional<std::uint64_t> database_size(Connection& admin, const std::string& name) {
  try {
    const Value v = admin.scalar("SELECT pg_database_size($1)", {name});
    return v.is_null() ? 0 : static_cast<std::uint64_t>(v.as_int());
  } catch (const database_error&) {
    return std::nullopt;
  }
}

// A server entry from its catalog row; nullopt when its COMMENT does not mark it as what
// its name says (not provably migtest's: left alone).
std::optional<CacheEntry> server_entry(const Row& row) {
  const std::string name = row[0].as_text(), comment = row[1].as_text();
  CacheEntry e;
  e.backend = Backend::postgresql;
  e.name = name;
  e.in_use = row[2].as_bool();
  if (e.key16 = key16_in(name, "migtest_tpl_", ""); !e.key16.empty()) {
    if (comment.rfind(kTemplateMarker, 0) != 0) return std::nullopt;
    e.kind = CacheKind::template_database;
    e.last_used = end_of_day(used_date(comment));
    return e;
  }
  // No COMMENT: a clone the pool sent that nobody claimed yet (pool.cpp); the pool takes it too.
  if (!comment.empty() && comment.rfind(kPoolMarker, 0) != 0) return std::nullopt;
  e.kind = CacheKind::pool_database;
  e.key16 = name.substr(std::string("migtest_pool_").size(), 16);
  return e;
}

std::vector<CacheEntry> scan_server(Server& server) {
  Connection& admin = server.admin();
  std::set<std::int64_t> claims;
  for (const auto& row : admin.query(kClaimsSql).rows) claims.insert(row[0].as_int());
  std::vector<CacheEntry> out;
  for (const auto& row : admin.query(kListSql).rows) {
    auto e = server_entry(row);
    if (!e) continue;
    const auto size = database_size(admin, e->name);
    if (!size) continue;
    e->size = *size;
    if (e->kind == CacheKind::pool_database) e->in_use |= claims.count(pool_lock_key(e->name)) > 0;
    out.push_back(std::move(*e));
  }
  // Pools follow their template: used when it was, stale (never used) without one.
  for (auto& pool : out) {
    if (pool.kind != CacheKind::pool_database) continue;
    for (const auto& t : out) {
      if (t.kind == CacheKind::template_database && t.key16 == pool.key16)
        pool.last_used = t.last_used;
    }
  }
  return out;
}

// Claims pool database `name` for as long as this lives, the way a process using it does;
// claimed() is false when another session holds the claim (on any database of the server).
class PoolClaim {
 public:
  PoolClaim(Connection& admin, const std::string& name) : admin_(admin), key_(pool_lock_key(name)) {
    const auto r =
        admin_.query(std::string("SELECT pg_try_advisory_lock($1), EXISTS (") + kClaimsSql +
                         " AND " + "((l.classid::bigint << 32) | l.objid::bigint) = $1)",
                     {static_cast<long long>(key_)});
    locked_ = r.rows.at(0)[0].as_bool();
    claimed_ = locked_ && !r.rows.at(0)[1].as_bool();
  }
  ~PoolClaim() {
    try {
      if (locked_) admin_.execute("SELECT pg_advisory_unlock($1)", {static_cast<long long>(key_)});
    } catch (...) {
    }
  }
  PoolClaim(const PoolClaim&) = delete;
  PoolClaim& operator=(const PoolClaim&) = delete;
  bool claimed() const { return claimed_; }

 private:
  Connection& admin_;
  std::int64_t key_;
  bool locked_ = false, claimed_ = false;
};

// Drops a template or pool database unless something uses it. The caller holds the mutex.
Outcome drop_database_entry(Server& server, const CacheEntry& e, std::string& error) {
  Connection& admin = server.admin();
  std::optional<PoolClaim> claim;
  if (e.kind == CacheKind::pool_database && !claim.emplace(admin, e.name).claimed()) {
    return Outcome::in_use;
  }
  const std::string name = quote_ident(e.name);
  const bool is_template = e.kind == CacheKind::template_database;
  LockTimeout timeout(admin, kLockTimeoutMs);
  try {
    // A template must stop being one to be dropped; this does not wait for copies.
    if (is_template) admin.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE false");
    admin.execute("DROP DATABASE IF EXISTS " + name);  // no FORCE: a connection keeps it
    return Outcome::removed;
  } catch (const database_error& ex) {
    try {
      if (is_template) admin.execute("ALTER DATABASE " + name + " WITH IS_TEMPLATE true");
    } catch (...) {
    }
    if (ex.code() == kObjectInUse || ex.code() == kLockNotAvailable) return Outcome::in_use;
    error = fmt::format("cannot drop database '{}': {}", e.name, ex.what());
    return Outcome::failed;
  }
}

// Writes today's `used=` into the template's COMMENT unless it holds it already; false when
// nothing was written: today's date was there; the template is another role's (several users
// share one server: its owner records its use); or a copy in progress kept the COMMENT locked
// (the next process writes it). One catalog read otherwise. The caller holds the mutex.
bool record_use_today(Server& server, const std::string& database) {
  const auto r = server.admin().query(
      "SELECT coalesce(shobj_description(oid, 'pg_database'), ''), pg_has_role(datdba, 'USAGE') "
      "FROM pg_catalog.pg_database WHERE datname = $1",
      {database});
  if (r.rows.empty() || !r.rows[0][1].as_bool()) return false;
  const std::string comment = r.rows[0][0].as_text();
  const std::string today = utc_date(Clock::now());
  if (comment.rfind(kTemplateMarker, 0) != 0 || used_date(comment) == today) return false;
  LockTimeout timeout(server.admin(), kLockTimeoutMs);
  try {
    server.set_comment(database, with_used_date(comment, today));
  } catch (const database_error& e) {
    if (e.code() == kLockNotAvailable) return false;
    throw;
  }
  return true;
}

// ---- removing --------------------------------------------------------------------------------

using Doomed = std::function<bool(const CacheEntry&)>;

void remove_entry(const CacheEntry& e, Server* server, CacheCleanup& out) {
  std::string error;
  const Outcome outcome = e.in_use ? Outcome::in_use
                          : server ? drop_database_entry(*server, e, error)
                                   : remove_file(e, error);
  if (outcome == Outcome::removed) out.removed.push_back(e);
  if (outcome == Outcome::failed) out.errors.push_back(error);
  if (outcome == Outcome::in_use) {
    out.kept_in_use.push_back(e);
    out.kept_in_use.back().in_use = true;
  }
}

// Removes the doomed entries of `directory` and of the server of `url`. With
// `date_unrecorded`, a template whose use was never recorded (built before the cache kept
// dates, or just built) gets today's date instead of being judged.
CacheCleanup remove_where(const std::string& directory, const std::string& url,
                          const Doomed& doomed, bool date_unrecorded) {
  CacheCleanup out;
  for (const auto& e : scan_directory(directory)) {
    if (doomed(e)) remove_entry(e, nullptr, out);
  }
  if (url.empty()) return out;
  auto server = Server::get(url);
  std::lock_guard<std::mutex> lock(server->mutex);
  for (const auto& e : scan_server(*server)) {
    if (date_unrecorded && e.kind == CacheKind::template_database && !e.last_used) {
      record_use_today(*server, e.name);
    } else if (doomed(e)) {
      remove_entry(e, server.get(), out);
    }
  }
  return out;
}

Doomed unused_for(std::chrono::seconds max_age) {
  const auto limit = Clock::now() - max_age;
  return [limit](const CacheEntry& e) { return !e.last_used || *e.last_used < limit; };
}

// ---- automatic pruning -----------------------------------------------------------------------

// MIGTEST_CACHE_MAX_AGE for automatic pruning: nullopt when it is 0 (off) or malformed
// (said once on stderr).
std::optional<std::chrono::seconds> automatic_max_age() {
  try {
    const auto age = cache_max_age();
    if (age.count() > 0) return age;
  } catch (const error& e) {
    static std::once_flag said;
    std::call_once(said,
                   [&] { std::cerr << "migtest: not pruning the cache: " << e.what() << "\n"; });
  }
  return std::nullopt;
}

void report(const CacheCleanup& r, const std::string& where) {
  for (const auto& e : r.errors) std::cerr << "migtest: pruning the cache: " << redact(e) << "\n";
  if (r.removed.empty()) return;
  std::uint64_t bytes = 0;
  for (const auto& e : r.removed) bytes += e.size;
  std::cerr << fmt::format(
      "migtest: pruned {} cache entr{} ({}) unused for longer than "
      "MIGTEST_CACHE_MAX_AGE from {}\n",
      r.removed.size(), r.removed.size() == 1 ? "y" : "ies", human_size(bytes), redact(where));
}

// Prunes the cache directory `file` lives in, unless its stamp says that was done less than
// a day ago.
void prune_directory_daily(const std::string& file) {
  const auto max_age = automatic_max_age();
  if (!max_age) return;
  const std::string directory = fs::path(file).parent_path().string();
  const std::string stamp = directory + "/" + kPruneStamp;
  struct stat st {};
  if (::stat(stamp.c_str(), &st) == 0) {
    const auto age = Clock::now() - mtime_of(st);
    if (age >= Clock::duration::zero() && age < kDay) return;
  }
  if (count_named_entries(directory) <= 1) return;  // only the template in use: none stale
  touch(stamp);
  report(remove_where(directory, "", unused_for(*max_age), false), directory);
}

struct Noted {
  std::mutex mutex;
  std::set<std::string> done;
  bool first(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex);
    return done.insert(key).second;
  }
};

Noted& noted() {
  static Noted n;
  return n;
}

}  // namespace

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double v = static_cast<double>(bytes) / 1024;
  for (const char* unit : {"KiB", "MiB", "GiB"}) {
    if (v < 1024 || std::string(unit) == "GiB") return fmt::format("{:.1f} {}", v, unit);
    v /= 1024;
  }
  return "";  // not reached
}

std::string format_last_used(const CacheEntry& e) {
  if (!e.last_used) return "never recorded";
  // PostgreSQL records the day only.
  if (e.backend == Backend::postgresql) return utc_date(*e.last_used);
  const std::time_t s = Clock::to_time_t(*e.last_used);
  std::tm tm{};
  ::gmtime_r(&s, &tm);
  return fmt::format("{} {:02}:{:02}", utc_date(*e.last_used), tm.tm_hour, tm.tm_min);
}

std::string read_cache_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void write_cache_file(const std::string& path, const std::string& bytes) {
  const std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) {
      std::remove(tmp.c_str());
      return;
    }
  }
  ::chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) std::remove(tmp.c_str());
}

void note_file_used(const std::string& path) {
  if (noted().first("file|" + path)) ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
}

void note_template_used(const Template& t) {
  const bool sqlite = t.backend == Backend::sqlite;
  const std::string where = sqlite ? t.file : redact(t.server_url) + " " + t.database;
  if (!noted().first("template|" + (sqlite ? t.file : t.server_url + "|" + t.database))) return;
  try {
    if (sqlite) {
      ::utimensat(AT_FDCWD, t.file.c_str(), nullptr, 0);
      prune_directory_daily(t.file);
      return;
    }
    bool first_today = false;
    {
      auto server = Server::get(t.server_url);
      std::lock_guard<std::mutex> lock(server->mutex);
      first_today = record_use_today(*server, t.database);
    }
    // The first process of the day to use this template prunes the server.
    const auto max_age = first_today ? automatic_max_age() : std::nullopt;
    if (max_age) report(remove_where("", t.server_url, unused_for(*max_age), true), t.server_url);
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not record the use of template " << where << ": "
              << redact(e.what()) << "\n";
  }
}

}  // namespace detail

std::string to_string(CacheKind kind) {
  switch (kind) {
    case CacheKind::template_database:
      return "template";
    case CacheKind::pool_database:
      return "pool";
    case CacheKind::verification:
      return "verification";
    case CacheKind::reset_state:
      return "reset-state";
    case CacheKind::history_stamp:
      return "history-stamp";
  }
  return "?";
}

bool CacheEntry::operator==(const CacheEntry& o) const {
  return std::tie(kind, backend, name, key16, size, last_used, in_use) ==
         std::tie(o.kind, o.backend, o.name, o.key16, o.size, o.last_used, o.in_use);
}

std::string to_string(const CacheEntry& e) {
  return fmt::format("{} {} {} {}, last used {}{}", to_string(e.kind),
                     e.backend ? to_string(*e.backend) : "-", e.name, detail::human_size(e.size),
                     detail::format_last_used(e), e.in_use ? ", in use" : "");
}

std::vector<CacheEntry> list_cache(const std::string& cache_directory,
                                   const std::string& server_url) {
  std::vector<CacheEntry> out = detail::scan_directory(cache_directory);
  if (!server_url.empty()) {
    auto server = detail::Server::get(server_url);
    std::lock_guard<std::mutex> lock(server->mutex);
    for (auto& e : detail::scan_server(*server)) out.push_back(std::move(e));
  }
  auto order = [](const CacheEntry& e) {
    return std::make_tuple(e.backend ? static_cast<int>(*e.backend) : 2, e.kind, e.name);
  };
  std::sort(out.begin(), out.end(),
            [&](const CacheEntry& a, const CacheEntry& b) { return order(a) < order(b); });
  return out;
}

CacheCleanup prune_cache(std::chrono::seconds max_age, const std::string& cache_directory,
                         const std::string& server_url) {
  if (max_age.count() <= 0) {
    throw config_error("a cache entry's age must be more than 0 to prune it (clear removes all)");
  }
  return detail::remove_where(cache_directory, server_url, detail::unused_for(max_age), true);
}

CacheCleanup clear_cache(const std::string& cache_directory, const std::string& server_url) {
  return detail::remove_where(
      cache_directory, server_url, [](const CacheEntry&) { return true; }, false);
}

std::chrono::seconds parse_age(std::string_view text) {
  if (text == "0") return std::chrono::seconds(0);
  const auto bad = [&] {
    return config_error(fmt::format(
        "'{}' is not an age: write a number and a unit (s, m, h, d or w), e.g. 12h or 7d", text));
  };
  const std::size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
  if (digits == 0 || digits > 9 || digits + 1 != text.size()) throw bad();
  const long long n = std::stoll(std::string(text.substr(0, digits)));
  switch (text.back()) {
    case 's':
      return std::chrono::seconds(n);
    case 'm':
      return std::chrono::minutes(n);
    case 'h':
      return std::chrono::hours(n);
    case 'd':
      return std::chrono::hours(24 * n);
    case 'w':
      return std::chrono::hours(24 * 7 * n);
    default:
      throw bad();
  }
}

std::chrono::seconds cache_max_age() {
  const char* v = std::getenv("MIGTEST_CACHE_MAX_AGE");
  if (!v || !*v) return std::chrono::hours(24 * 7);
  try {
    return parse_age(v);
  } catch (const config_error& e) {
    throw config_error(fmt::format("MIGTEST_CACHE_MAX_AGE: {}", e.what()),
                       error_fields::caused_by(std::current_exception()));
  }
}

}  // namespace migtest
