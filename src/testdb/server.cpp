#include "testdb/server.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

#include "backend/backend.hpp"  // drop_database
#include "migtest/error.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/fault.hpp"
#include "testdb/name.hpp"
#include "testdb/owner.hpp"
#include "testdb/pool.hpp"

namespace migtest::detail {

std::vector<ServerDatabase> migtest_databases(Connection& admin) {
  std::vector<ServerDatabase> out;
  for (const auto& row :
       admin
           .query("SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '') "
                  "FROM pg_catalog.pg_database WHERE datname LIKE 'migtest\\_%' ORDER BY datname")
           .rows) {
    out.push_back({row[0].as_text(), row[1].as_text()});
  }
  return out;
}

bool provably_migtest(const std::string& name, const std::string& comment) {
  if (name.rfind("migtest_", 0) != 0) return false;
  if (comment.rfind("migtest ", 0) == 0) return true;
  if (!comment.empty()) return false;
  // A pool's clone is committed before anyone can comment it: its name says whose it is.
  if (is_pool_name(name)) return true;
  const auto parsed = TemporaryName::parse(name);
  return parsed && parsed->suffix().empty();
}

long marker_pid(const std::string& comment) {
  static const std::regex re("^migtest [^;]*;.*; pid=([0-9]+)$");
  std::smatch m;
  if (!std::regex_match(comment, m, re)) return 0;
  return std::strtol(m[1].str().c_str(), nullptr, 10);
}

void drop_migtest_database(Connection& admin, const std::string& name) {
  if (name.rfind("migtest_", 0) != 0) {
    throw state_error(fmt::format("refusing to drop database '{}': not a migtest database", name));
  }
  auto r = admin.query(
      "SELECT coalesce(shobj_description(oid, 'pg_database'), ''), datistemplate "
      "FROM pg_catalog.pg_database WHERE datname = $1",
      {name});
  if (r.rows.empty()) return;
  if (!provably_migtest(name, r.rows[0][0].as_text())) {
    throw state_error(fmt::format(
        "refusing to drop database '{}': it does not carry migtest's marker comment", name));
  }
  if (r.rows[0][1].as_bool()) {
    admin.execute("ALTER DATABASE " + quote_ident(name) + " WITH IS_TEMPLATE false");
  }
  drop_database(admin, name);
}

std::string temporary_marker(const std::string& tag) {
  const bool scratch = tag == "verify" || tag == "check" || tag == "autogen";
  return fmt::format("migtest {} database; host={}; pid={}",
                     scratch ? tag + " scratch" : std::string("fixture"), host_name(), ::getpid());
}

std::string template_marker(const std::string& key) {
  return fmt::format("migtest template; key={}; host={}; pid={}", key, host_name(), ::getpid());
}

// ---- Server ----------------------------------------------------------------------------

std::shared_ptr<Server> Server::get(const std::string& url) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<Server>> servers;
  std::lock_guard<std::mutex> lock(mutex);
  auto& s = servers[url];
  if (!s) s = std::make_shared<Server>(url);
  return s;
}

Server::Server(std::string url) : url_(std::move(url)) {
  if (url_.empty()) {
    throw config_error(
        "no PostgreSQL server: set MIGTEST_POSTGRES_URL (or TestConfig::postgres_url)");
  }
  if (parse_url(url_).dialect != Dialect::postgresql) {
    throw config_error(fmt::format("'{}' is not a PostgreSQL URL", redact(url_)));
  }
  admin_ = connect(url_);
}

std::string Server::url_for(const std::string& database) const {
  return migtest::with_database(url_, database);
}

void Server::check_maintenance() {
  std::lock_guard<std::mutex> lock(mutex);
  if (checked_) return;
  // Refuse before anything is created: the maintenance database must hold no user data.
  const auto r = admin_->query(
      "SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' "
      "AND n.nspname <> 'information_schema' ORDER BY 1");
  if (!r.rows.empty()) {
    throw config_error(fmt::format(
        "refusing to run: {} points at database '{}', which holds {} user table(s) ({}{}); "
        "fixtures "
        "create and drop databases on that server, so point it at an empty maintenance database "
        "such as 'postgres'",
        "the PostgreSQL URL", migtest::database_of(url_), r.rows.size(),
        r.rows.front()[0].as_text(), r.rows.size() > 1 ? ", ..." : ""));
  }
  checked_ = true;
}

void Server::create_database(const std::string& name, const std::string& template_name,
                             const std::string& marker) {
  std::string sql = "CREATE DATABASE " + quote_ident(name);
  if (!template_name.empty()) sql += " TEMPLATE " + quote_ident(template_name);
  admin_->execute(sql);
  // A kill here leaves a database without its COMMENT: its name alone says whose it is.
  kill_point("database-created");
  try {
    set_comment(name, marker);
  } catch (...) {
    try {
      admin_->execute("DROP DATABASE IF EXISTS " + quote_ident(name));
    } catch (...) {
    }
    throw;
  }
}

std::optional<std::string> Server::comment(const std::string& name) {
  auto r = admin_->query(
      "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_catalog.pg_database "
      "WHERE datname = $1",
      {name});
  if (r.rows.empty()) return std::nullopt;
  return r.rows[0][0].as_text();
}

bool Server::exists(const std::string& name) {
  return !admin_->query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {name}).empty();
}

void Server::set_comment(const std::string& name, const std::string& marker) {
  admin_->execute("COMMENT ON DATABASE " + quote_ident(name) + " IS " + quote_literal(marker));
}

void Server::drop_database(const std::string& name) { drop_migtest_database(*admin_, name); }

void Server::rename_database(const std::string& from, const std::string& to) {
  admin_->execute("ALTER DATABASE " + quote_ident(from) + " RENAME TO " + quote_ident(to));
}

}  // namespace migtest::detail
