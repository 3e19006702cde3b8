// TemporaryDatabase: a SQLite file or a PostgreSQL database that goes with its object.
#include "testdb/temporary.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "migtest/error.hpp"
#include "migtest/testdb.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/directories.hpp"
#include "testdb/fault.hpp"
#include "testdb/name.hpp"
#include "testdb/server.hpp"

namespace migtest {

namespace fs = boost::filesystem;

struct TemporaryDatabase::Impl {
  Dialect dialect = Dialect::sqlite;
  std::string url;
  std::string name;  // path or database name
  std::shared_ptr<detail::Server> server;
  bool owned = true;

  void remove() {
    if (!owned) return;
    if (dialect == Dialect::sqlite) {
      // The database and every file SQLite may have made next to it.
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string p = name + suffix;
        if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
          throw error(fmt::format("cannot delete '{}': {}", p, std::strerror(errno)));
        }
      }
    } else {
      std::lock_guard<std::mutex> lock(server->mutex);
      server->drop_database(name);
    }
    owned = false;
  }

  ~Impl() {
    try {
      remove();
    } catch (const std::exception& e) {
      std::cerr << "migtest: could not remove temporary database " << redact(url) << ": "
                << e.what() << "\n";
    }
  }
};

TemporaryDatabase::TemporaryDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TemporaryDatabase::TemporaryDatabase(TemporaryDatabase&& other) noexcept = default;
TemporaryDatabase& TemporaryDatabase::operator=(TemporaryDatabase&& other) noexcept = default;
TemporaryDatabase::~TemporaryDatabase() = default;

namespace {
std::unique_ptr<TemporaryDatabase::Impl> new_sqlite_file(const std::string& directory,
                                                         const std::string& tag,
                                                         const std::string* image) {
  const std::string dir =
      detail::ensure_directory(directory.empty() ? default_temp_directory() : directory);
  const std::string path = dir + "/" + detail::TemporaryName::make(tag).stem() + ".db";
  // O_EXCL: the name is ours alone, even if the random part ever repeated.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw error(fmt::format("cannot create '{}': {}", path, std::strerror(errno)));
  }
  detail::kill_point("database-created");
  if (image) {
    const char* p = image->data();
    std::size_t left = image->size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        throw error(fmt::format("cannot write '{}': {}", path, std::strerror(err)));
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  ::close(fd);
  auto impl = std::make_unique<TemporaryDatabase::Impl>();
  impl->dialect = Dialect::sqlite;
  impl->name = path;
  impl->url = "sqlite:///" + path;
  return impl;
}
}  // namespace

TemporaryDatabase TemporaryDatabase::sqlite(const std::string& directory, const std::string& tag) {
  return TemporaryDatabase(new_sqlite_file(directory, tag, nullptr));
}

TemporaryDatabase TemporaryDatabase::sqlite_copy(const std::string& image,
                                                 const std::string& directory,
                                                 const std::string& tag) {
  return TemporaryDatabase(new_sqlite_file(directory, tag, &image));
}

TemporaryDatabase TemporaryDatabase::postgresql(const std::string& server_url,
                                                const std::string& tag,
                                                const std::string& template_name) {
  auto server = detail::Server::get(server_url.empty() ? default_postgres_url() : server_url);
  server->check_maintenance();
  return TemporaryDatabase::Factory::postgresql(std::move(server), tag, template_name);
}

TemporaryDatabase TemporaryDatabase::Factory::postgresql(std::shared_ptr<detail::Server> server,
                                                         const std::string& tag,
                                                         const std::string& template_name) {
  const std::string name = detail::TemporaryName::make(tag).stem();
  {
    std::lock_guard<std::mutex> lock(server->mutex);
    server->create_database(name, template_name, detail::temporary_marker(tag));
  }
  auto impl = std::make_unique<TemporaryDatabase::Impl>();
  impl->dialect = Dialect::postgresql;
  impl->name = name;
  impl->url = server->url_for(name);
  impl->server = std::move(server);
  return TemporaryDatabase(std::move(impl));
}

const std::string& TemporaryDatabase::url() const { return impl_->url; }
std::string TemporaryDatabase::redacted_url() const { return redact(impl_->url); }
Dialect TemporaryDatabase::dialect() const { return impl_->dialect; }
const std::string& TemporaryDatabase::name() const { return impl_->name; }
std::unique_ptr<Connection> TemporaryDatabase::connect() const {
  auto conn = migtest::connect(impl_->url);
  // A throwaway database needs no durability: commits skip fsync (tens of ms on some disks)
  // and keep their rollback journal in memory (no journal file made and deleted per commit).
  if (impl_->dialect == Dialect::sqlite)
    conn->execute_script("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY");
  return conn;
}
// The file's bytes are replaced while this connection holds SQLite's EXCLUSIVE lock, as
// another writer would replace them. At its next transaction the connection compares the
// header's change counter with the one it last read: a test that wrote has moved the
// counter past the image's, so the page cache is dropped; a test that wrote nothing left
// the image's bytes, so the cache is still right. The schema is reparsed only when the
// test changed it (the schema cookie differs), which is what makes this cheap.
bool TemporaryDatabase::restore(const std::string& image, Connection& connection) {
  if (impl_->dialect != Dialect::sqlite)
    throw state_error("TemporaryDatabase::restore: SQLite only");
  if (connection.in_transaction()) return false;
  const Row state = connection
                        .query(
                            "SELECT (SELECT count(*) FROM temp.sqlite_master), (SELECT count(*) "
                            "FROM pragma_database_list WHERE name NOT IN ('main', 'temp')), "
                            "(SELECT journal_mode FROM pragma_journal_mode), "
                            "(SELECT locking_mode FROM pragma_locking_mode)")
                        .rows.at(0);
  if (state[0].as_int() != 0 || state[1].as_int() != 0 || state[2].as_text() != "memory" ||
      state[3].as_text() != "normal") {
    return false;
  }
  // Settings back to connect()'s; no waiting for a lock another connection holds.
  const int busy_ms = ConnectOptions().busy_timeout_ms;
  connection.execute_script(
      "PRAGMA foreign_keys = ON; PRAGMA defer_foreign_keys = OFF; PRAGMA recursive_triggers = OFF; "
      "PRAGMA query_only = OFF; PRAGMA ignore_check_constraints = OFF; "
      "PRAGMA reverse_unordered_selects = OFF; PRAGMA case_sensitive_like = OFF; "
      "PRAGMA legacy_alter_table = OFF; PRAGMA writable_schema = OFF; PRAGMA mmap_size = 0; "
      "PRAGMA synchronous = OFF; PRAGMA busy_timeout = 0");  // journal_mode: checked above
  try {
    connection.execute("BEGIN EXCLUSIVE");
  } catch (const database_error&) {
    connection.execute(fmt::format("PRAGMA busy_timeout = {}", busy_ms));
    return false;
  }
  // Our descriptor is closed only after COMMIT (or when COMMIT throws): closing any
  // descriptor of the file drops every POSIX lock this process holds on it, SQLite's too.
  struct Descriptor {  // closed on every way out, COMMIT throwing included
    int fd;
    ~Descriptor() {
      if (fd >= 0) ::close(fd);
    }
  } file{::open(impl_->name.c_str(), O_WRONLY | O_CLOEXEC)};
  const int fd = file.fd;
  int failure = fd < 0 ? errno : 0;
  for (std::size_t done = 0; failure == 0 && done < image.size();) {
    const ssize_t n =
        ::pwrite(fd, image.data() + done, image.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      failure = n < 0 ? errno : EIO;
    else
      done += static_cast<std::size_t>(n);
  }
  if (failure == 0 && ::ftruncate(fd, static_cast<off_t>(image.size())) != 0) failure = errno;
  connection.execute("COMMIT");
  if (file.fd >= 0) ::close(file.fd);
  file.fd = -1;
  connection.execute(fmt::format("PRAGMA busy_timeout = {}", busy_ms));
  if (failure != 0) {
    throw error(fmt::format("cannot rewrite '{}': {}", impl_->name, std::strerror(failure)));
  }
  return true;
}

void TemporaryDatabase::remove() { impl_->remove(); }
void TemporaryDatabase::release() { impl_->owned = false; }
bool TemporaryDatabase::owned() const { return impl_ && impl_->owned; }

std::string TemporaryDatabase::keep() {
  if (!impl_->owned) return fmt::format("{} (not owned, left as it is)", redacted_url());
  // "migtest_kept_..." matches neither the reaper's pattern nor list_temporaries'.
  if (impl_->dialect == Dialect::sqlite) {
    fs::path p(impl_->name);
    const std::string kept =
        (p.parent_path() / ("migtest_kept_" + p.filename().string().substr(8))).string();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      const std::string from = impl_->name + suffix;
      if (::rename(from.c_str(), (kept + suffix).c_str()) != 0 && errno != ENOENT) {
        throw error(fmt::format("cannot rename '{}': {}", from, std::strerror(errno)));
      }
    }
    impl_->owned = false;
    impl_->name = kept;
    impl_->url = "sqlite:///" + kept;
    return fmt::format("{} (delete the file when done)", impl_->url);
  }
  const std::string kept = "migtest_kept_" + impl_->name.substr(8);
  {
    std::lock_guard<std::mutex> lock(impl_->server->mutex);
    impl_->server->rename_database(impl_->name, kept);
    impl_->server->set_comment(kept, fmt::format("migtest kept database; host={}; pid={}",
                                                 detail::host_name(), ::getpid()));
  }
  impl_->owned = false;
  impl_->name = kept;
  impl_->url = impl_->server->url_for(kept);
  return fmt::format("{} (DROP DATABASE {} when done)", redact(impl_->url),
                     detail::quote_ident(kept));
}

}  // namespace migtest
