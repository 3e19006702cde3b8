#include "testdb/reaper.hpp"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <regex>
#include <set>

#include "backend/dialect_rules.hpp"
#include "migtest/error.hpp"
#include "migtest/url.hpp"
#include "testdb/name.hpp"
#include "testdb/owner.hpp"
#include "testdb/server.hpp"

namespace migtest {

namespace fs = boost::filesystem;

namespace detail {

namespace {

// Temporary files (.db) in the temporary directory, templates being built (.tmp) in the
// cache directory: a temporary name each, with SQLite's siblings.
void scan_directory(const std::string& directory, const char* extension, bool only_gone,
                    bool remove, std::vector<Leftover>& out) {
  boost::system::error_code ec;
  if (directory.empty() || !fs::is_directory(directory, ec)) return;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    const auto name = TemporaryName::parse(file);
    if (!name || name->suffix().rfind(extension, 0) != 0) continue;
    if (only_gone && !name->owner().gone()) continue;
    if (remove) {
      boost::system::error_code rec;
      fs::remove(it->path(), rec);
      if (rec) continue;
    }
    out.push_back({"file", it->path().string(), name->owner().pid(), name->owner().host()});
  }
}

// Ours to reap (a provably migtest database): its owner is gone, and its COMMENT, if any,
// names the same pid (a marker naming another process is a contradiction: leave it).
bool reapable(const ServerDatabase& db, const TemporaryName& name) {
  return name.owner().gone() &&
         (db.comment.empty() || marker_pid(db.comment) == name.owner().pid());
}

struct Reaped {
  std::mutex mutex;
  std::set<std::string> done;
  bool first(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex);
    return done.insert(key).second;
  }
};

Reaped& reaped() {
  static Reaped r;
  return r;
}

}  // namespace

std::vector<Leftover> scan_server(Connection& admin, bool only_gone, bool remove) {
  std::vector<Leftover> out;
  for (const auto& db : migtest_databases(admin)) {
    const auto name = TemporaryName::parse(db.name);
    if (!name || !name->suffix().empty() || !provably_migtest(db.name, db.comment)) continue;
    if (only_gone && !reapable(db, *name)) continue;
    if (remove) {
      try {
        drop_migtest_database(admin, db.name);
      } catch (const error& e) {
        std::cerr << "migtest: could not reap database " << db.name << ": " << e.what() << "\n";
        continue;
      }
    }
    out.push_back({"database", db.name, name->owner().pid(), name->owner().host()});
  }
  return out;
}

void reap_once(const std::string& temp_directory, const std::string& cache_directory,
               const std::string& server_url) {
  if (!reaping_enabled()) return;
  if (!reaped().first(temp_directory + "|" + cache_directory + "|" + server_url)) return;
  try {
    reap_leftovers(temp_directory, cache_directory, server_url);
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not reap leftovers: " << redact(e.what()) << "\n";
  }
}

void reap_default_directories_once() {
  if (!reaping_enabled()) return;
  try {
    const std::string temp = default_temp_directory();
    reap_once(temp, default_cache_directory(temp), "");
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not reap leftovers: " << redact(e.what()) << "\n";
  }
}

void reap_server_once(Connection& connection) {
  if (!reaping_enabled() || !dialect_object(connection.dialect()).has_server()) return;
  if (!reaped().first("||" + connection.url())) return;
  try {
    scan_server(connection, true, true);
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not reap leftovers: " << redact(e.what()) << "\n";
  }
}

}  // namespace detail

bool reaping_enabled() {
  const char* reap = std::getenv("MIGTEST_REAP");
  return !(reap && std::string(reap) == "0");
}

std::vector<Leftover> reap_leftovers(const std::string& temp_directory,
                                     const std::string& cache_directory,
                                     const std::string& server_url) {
  std::vector<Leftover> out;
  detail::scan_directory(temp_directory, ".db", true, true, out);
  detail::scan_directory(cache_directory, ".tmp", true, true, out);
  if (!server_url.empty()) {
    auto server = detail::Server::get(server_url);
    std::lock_guard<std::mutex> lock(server->mutex);
    for (auto& l : detail::scan_server(server->admin(), true, true)) out.push_back(std::move(l));
  }
  return out;
}

std::vector<Leftover> list_temporaries(const std::string& temp_directory,
                                       const std::string& cache_directory,
                                       const std::string& server_url) {
  std::vector<Leftover> out;
  detail::scan_directory(temp_directory, ".db", false, false, out);
  detail::scan_directory(cache_directory, ".tmp", false, false, out);
  if (!server_url.empty()) {
    auto server = detail::Server::get(server_url);
    std::lock_guard<std::mutex> lock(server->mutex);
    for (auto& l : detail::scan_server(server->admin(), false, false)) out.push_back(std::move(l));
  }
  return out;
}

std::vector<Leftover> list_left_behind(const std::string& temp_directory,
                                       const std::string& cache_directory,
                                       const std::string& server_url) {
  auto out = list_temporaries(temp_directory, cache_directory, server_url);
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const Leftover& l) {
                             return detail::Owner(l.host, l.pid).on_this_host() &&
                                    detail::process_alive(l.pid);
                           }),
            out.end());
  return out;
}

void check_server(const std::string& server_url) {
  detail::Server::get(server_url)->check_maintenance();
}

std::vector<std::string> drop_templates(const std::string& server_url) {
  auto server = detail::Server::get(server_url);
  std::lock_guard<std::mutex> lock(server->mutex);
  std::vector<std::string> dropped;
  static const std::regex tpl("^migtest_tpl_[0-9a-f]{16}$");
  for (const auto& db : detail::migtest_databases(server->admin())) {
    if (!std::regex_match(db.name, tpl) || db.comment.rfind("migtest template;", 0) != 0) continue;
    server->drop_database(db.name);
    dropped.push_back(db.name);
  }
  return dropped;
}

}  // namespace migtest
