// Support for the cache's tests (testdb's and the CLI's): a PostgreSQL role of the test's own,
// so that what a test caches on the shared throwaway server is its alone (the cache lists,
// prunes and clears only what the connected role owns), and cache entries made to order:
// files last used some days ago, template and pool databases with a recorded last use.
#pragma once

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <string>

#include "migtest/connection.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/owner.hpp"

namespace migtest::test {

/// `url` connecting as `user` instead (no password: the throwaway server trusts local users).
inline std::string with_user(const std::string& url, const std::string& user) {
  const auto start = url.find("://") + 3;
  const auto at = url.find('@', start);
  const auto slash = url.find('/', start);
  const bool has_user = at != std::string::npos && (slash == std::string::npos || at < slash);
  return url.substr(0, start) + user + "@" + url.substr(has_user ? at + 1 : start);
}

/// A login role that may create databases, dropped with every database it owns at the end.
class OwnRole {
 public:
  explicit OwnRole(const std::string& server_url)
      : admin_url_(server_url),
        name_(fmt::format("migtest_cache_{}_{}", ::getpid(), detail::random_hex8())),
        url_(with_user(server_url, name_)) {
    connect(admin_url_)->execute("CREATE ROLE " + name_ + " LOGIN CREATEDB");
  }
  ~OwnRole() {
    try {
      auto admin = connect(admin_url_);
      admin->execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                     {name_});
      const auto owned = admin->query(
          "SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE "
          "rolname = $1)",
          {name_});
      for (const auto& row : owned.rows) {
        const std::string db = row[0].as_text();
        admin->execute("ALTER DATABASE \"" + db + "\" WITH IS_TEMPLATE false");
        admin->execute("DROP DATABASE \"" + db + "\" WITH (FORCE)");
      }
      admin->execute("DROP ROLE " + name_);
    } catch (...) {
    }
  }
  OwnRole(const OwnRole&) = delete;
  OwnRole& operator=(const OwnRole&) = delete;

  const std::string& name() const { return name_; }
  /// The server's URL, connecting as this role.
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_, name_, url_;
};

/// 64 random hex digits: a template key of nothing in particular.
inline std::string random_key() {
  std::string key;
  for (int i = 0; i < 8; ++i) key += detail::random_hex8();
  return key;
}

/// The UTC date `days` days ago, as a template's COMMENT records it.
inline std::string date_days_ago(int days) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() -
                                                             std::chrono::hours(24 * days));
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/// Creates `name` through `url` (owned by its user) with COMMENT `comment`.
inline void create_commented_database(const std::string& url, const std::string& name,
                                      const std::string& comment) {
  auto c = connect(url);
  c->execute("CREATE DATABASE " + detail::quote_ident(name));
  c->execute("COMMENT ON DATABASE " + detail::quote_ident(name) + " IS " +
             detail::quote_literal(comment));
}

/// A template database as migtest builds one, for `key`, its use recorded on `used` ("": not
/// recorded). Returns its name.
inline std::string make_template_database(const std::string& url, const std::string& key,
                                          const std::string& used) {
  const std::string name = "migtest_tpl_" + key.substr(0, 16);
  create_commented_database(url, name,
                            fmt::format("migtest template; key={}; host=test; pid=1{}", key,
                                        used.empty() ? "" : "; used=" + used));
  connect(url)->execute("ALTER DATABASE \"" + name +
                        "\" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
  return name;
}

/// A ready pool database of `key`'s template. Returns its name.
inline std::string make_pool_database(const std::string& url, const std::string& key) {
  const std::string name = "migtest_pool_" + key.substr(0, 16) + "_" + detail::random_hex8();
  create_commented_database(url, name, fmt::format("migtest pool; key={}; state=ready", key));
  return name;
}

/// The blog example's history copied into `directory` with a comment of its own: a history
/// (and so a template key) no other test shares, on a server where template names are
/// shared by every role. Returns the copy's versions directory.
inline std::string unique_blog_history(const std::string& directory) {
  namespace fs = boost::filesystem;
  const fs::path from = MIGTEST_SOURCE_DIR "/examples/blog/migrations/versions";
  const fs::path to = fs::path(directory) / "versions";
  if (fs::exists(to)) return to.string();
  fs::create_directories(to);
  for (fs::directory_iterator it(from), end; it != end; ++it) {
    fs::copy_file(it->path(), to / it->path().filename());
  }
  std::ofstream((to / "a1b2c3d4e5f6_add_karma_to_users.sql").string(), std::ios::app)
      << "\n-- a history of its own: " << random_key() << "\n";
  return to.string();
}

/// Whether database `name` exists on the server of `url`.
inline bool database_exists(const std::string& url, const std::string& name) {
  return !connect(url)->query("SELECT 1 FROM pg_database WHERE datname = $1", {name}).empty();
}

/// The COMMENT of database `name`.
inline std::string database_comment(const std::string& url, const std::string& name) {
  return connect(url)
      ->scalar("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
               {name})
      .as_text();
}

/// Writes a cache file `directory/name` last modified `days` days ago; returns its path.
inline std::string make_cache_file(const std::string& directory, const std::string& name, int days,
                                   const std::string& content = "cached") {
  boost::filesystem::create_directories(directory);
  const std::string path = directory + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  const std::time_t when = std::time(nullptr) - static_cast<std::time_t>(days) * 24 * 3600;
  boost::filesystem::last_write_time(path, when);
  return path;
}

/// A cache file's name: "migtest_tpl_<key16>.db" or "migtest_verify_<key16>.toml".
inline std::string template_file(const std::string& key) {
  return "migtest_tpl_" + key.substr(0, 16) + ".db";
}
inline std::string verify_file(const std::string& key) {
  return "migtest_verify_" + key.substr(0, 16) + ".toml";
}

}  // namespace migtest::test
