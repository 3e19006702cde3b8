// A PostgreSQL server that temporary databases are created on: its maintenance connection,
// and the rules for what migtest may drop there.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "migtest/connection.hpp"

namespace migtest::detail {

/// A database named migtest_..., as the catalog shows it.
struct ServerDatabase {
  std::string name, comment;
};

/// Every database named migtest_... on the server `admin` is connected to: one catalog query.
std::vector<ServerDatabase> migtest_databases(Connection& admin);

/// Provably migtest's: named migtest_... and commented with a migtest marker, or named as a
/// temporary database (owner in the name) and not commented yet (its creator was killed
/// between CREATE DATABASE and COMMENT), or named as a pool database and not commented yet
/// (a clone sent in the background). A COMMENT someone else wrote means: not ours.
bool provably_migtest(const std::string& name, const std::string& comment);

/// The pid a marker names, 0 when it names none.
long marker_pid(const std::string& comment);

/// Drops `name` through `admin` (connections ended first, IS_TEMPLATE cleared) when it is
/// provably migtest's; state_error otherwise. Nothing when it is gone already.
void drop_migtest_database(Connection& admin, const std::string& name);

/// The COMMENT of a temporary database tagged `tag` (host and pid of its owner, for people:
/// the name is what the reaper reads).
std::string temporary_marker(const std::string& tag);
/// The COMMENT of a complete template for `key`.
std::string template_marker(const std::string& key);

/// The maintenance connection to a server: creates, renames and drops databases and
/// holds the advisory locks. One per server URL per process.
class Server {
 public:
  /// The process's Server for `url` (connected on first use, then cached).
  static std::shared_ptr<Server> get(const std::string& url);
  explicit Server(std::string url);

  const std::string& url() const { return url_; }
  std::string url_for(const std::string& database) const;
  Connection& admin() { return *admin_; }

  /// config_error when the URL's own database holds user tables: fixtures create and drop
  /// databases on the server, so their URL must name an empty maintenance database.
  /// (Checked once; verify's scratch databases, made next to a user's database, skip it.)
  void check_maintenance();
  /// CREATE DATABASE name [TEMPLATE template_name], then COMMENT it with `marker`.
  void create_database(const std::string& name, const std::string& template_name,
                       const std::string& marker);
  /// The database's COMMENT; nullopt when there is no such database.
  std::optional<std::string> comment(const std::string& name);
  bool exists(const std::string& name);
  /// drop_migtest_database on the maintenance connection.
  void drop_database(const std::string& name);
  /// ALTER DATABASE from RENAME TO to (waits for closing connections to go).
  void rename_database(const std::string& from, const std::string& to);
  void set_comment(const std::string& name, const std::string& marker);

  std::mutex mutex;  // one statement sequence at a time on admin()

 private:
  std::string url_;
  std::unique_ptr<Connection> admin_;
  bool checked_ = false;
};

}  // namespace migtest::detail
