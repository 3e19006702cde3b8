// Templates: a database migrated to a target once, then copied for every use.
//
// SQLite: <cache>/migtest_tpl_<key16>.db, built as a temporary name with the .tmp extension
// (migtest_<key8>_<host>_<pid>_<rand>.tmp) under an flock on <cache>/migtest_tpl_<key16>.lock
// and renamed into place (rename is atomic), so a reader sees a complete template or none.
// Each process reads it once into memory (sqlite3_serialize); a copy is one write of those
// bytes to a new file.
//
// PostgreSQL: migtest_tpl_<key16>, built as an ordinary temporary database under an
// advisory lock, marked (COMMENT) and renamed into place last: the name exists only once the
// build succeeded, so a half-built template is never copied. Templates stay on the server
// across runs (a cache, like the SQLite files); drop_templates() removes them.
//
// A build killed at any point leaves only temporary names, which the reaper removes.
#include "testdb/template.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "backend/backend.hpp"
#include "file_lock.hpp"
#include "migtest/error.hpp"
#include "migtest/runner.hpp"
#include "runner/version_table.hpp"
#include "source/sha256.hpp"
#include "sql_quote.hpp"
#include "testdb/cache.hpp"
#include "testdb/directories.hpp"
#include "testdb/fault.hpp"
#include "testdb/name.hpp"
#include "testdb/reaper.hpp"
#include "testdb/server.hpp"

namespace migtest::detail {

namespace fs = boost::filesystem;

namespace {

struct ProcessTemplates {
  std::mutex mutex;
  // Either a template or the message of the error that building it gave.
  std::map<std::string, std::shared_ptr<const Template>> templates;
  // What each failed build threw, thrown again to every later test of that template; a
  // migration failure stays a migration_error, so the fixtures report it at its revision.
  std::map<std::string, std::shared_ptr<const error>> failures;
};

ProcessTemplates& process() {
  static ProcessTemplates p;
  return p;
}

[[noreturn]] void throw_failure(const error& e) {
  if (const auto* m = dynamic_cast<const migration_error*>(&e)) throw *m;
  throw e;
}

constexpr int kBuildLockTimeoutMs =
    30 * 60 * 1000;  // another process may be migrating 1,000 revisions

// The bytes of a SQLite database, consistent whatever its journal mode.
std::string serialize(const std::string& path) {
  ConnectOptions o;
  o.create = false;
  o.read_only = true;
  auto conn = connect("sqlite:///" + path, o);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(sqlite_handle_of(*conn), "main", &size, 0);
  if (!bytes)
    throw error(fmt::format("cannot read the template '{}' (sqlite3_serialize failed)", path));
  std::string image(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  return image;
}

void fsync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void migrate(Connection& connection, const Template& t) {
  RunOptions options;
  options.version_table = t.version_table;
  Runner runner(connection, t.history->get(), options);
  runner.upgrade(t.target);
}

void build_sqlite(Template& t, const std::string& cache_directory) {
  const std::string dir = ensure_directory(cache_directory);
  const std::string base = dir + "/migtest_tpl_" + t.key.substr(0, 16);
  t.file = base + ".db";
  if (!fs::exists(t.file)) {
    FileLock lock(base + ".lock", kBuildLockTimeoutMs, "the template lock");
    if (!fs::exists(t.file)) {
      const std::string tmp = dir + "/" + TemporaryName::make(t.tag).stem() + ".tmp";
      try {
        {
          auto conn = connect("sqlite:///" + tmp);
          kill_point("database-created");
          // A file nobody reads until it is renamed: no need to sync each revision's commit.
          conn->execute("PRAGMA synchronous = OFF");
          migrate(*conn, t);
          // Copies must not inherit WAL mode (their -wal/-shm would come and go per test).
          conn->query("PRAGMA journal_mode = DELETE");
        }
        fsync_file(tmp);
        kill_point("template-built");
        if (::rename(tmp.c_str(), t.file.c_str()) != 0) {
          throw error(
              fmt::format("cannot publish template '{}': {}", t.file, std::strerror(errno)));
        }
      } catch (...) {
        for (const char* suffix : {"", "-journal", "-wal", "-shm"})
          ::unlink((tmp + suffix).c_str());
        throw;
      }
    }
  }
  t.image = serialize(t.file);
}

void build_postgres(Template& t) {
  auto server = Server::get(t.server_url);
  t.database = "migtest_tpl_" + t.key.substr(0, 16);
  auto complete = [&] {
    std::lock_guard<std::mutex> lock(server->mutex);
    auto comment = server->comment(t.database);
    if (!comment) return false;
    // The name exists only after a successful build; the marker says it is ours and for
    // this key (16 digits of a name could in principle be shared by two keys).
    if (comment->rfind("migtest template; key=" + t.key + ";", 0) != 0) {
      throw state_error(fmt::format(
          "database '{}' exists but is not migtest's template for this history (its comment is "
          "'{}'); drop it",
          t.database, *comment));
    }
    return true;
  };
  if (complete()) return;
  ConnectionLock lock(server->admin(), "migtest:template:" + t.key, kBuildLockTimeoutMs,
                      &server->mutex);
  if (complete()) return;
  TemporaryDatabase build = TemporaryDatabase::postgresql(t.server_url, t.tag);
  {
    auto conn = build.connect();
    migrate(*conn, t);
  }
  std::lock_guard<std::mutex> guard(server->mutex);
  // Marked first, renamed last: the rename is the moment it becomes visible as complete.
  server->set_comment(build.name(), template_marker(t.key));
  // No one may connect to it (CREATE DATABASE ... TEMPLATE fails while anyone is).
  server->admin().execute("ALTER DATABASE " + quote_ident(build.name()) +
                          " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
  kill_point("template-built");
  server->rename_database(build.name(), t.database);
  build.release();
}

// The process's cache key: the template's key and where it lives.
std::string process_key(const Template& t, const std::string& cache_directory) {
  return fmt::format("{}|{}|{}|{}|{}", to_string(t.backend), t.key,
                     t.backend == Backend::sqlite ? cache_directory : t.server_url,
                     t.temp_directory, t.version_table);
}

}  // namespace

// A C++ revision whose code the build did not hash (no migtest_hash_revisions) could change
// without changing the history's hash; its template is then keyed on the program.
std::string executable_identity() {
  struct stat st {};
  if (::stat("/proc/self/exe", &st) != 0) return fmt::format("pid {}", ::getpid());
  return fmt::format("exe {}:{}:{}:{}.{}", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

TemplateHistory::TemplateHistory(std::shared_ptr<const History> loaded)
    : directory_(loaded->directory()), hash_(loaded->content_hash()), history_(std::move(loaded)) {}

std::shared_ptr<const TemplateHistory> TemplateHistory::of(History history) {
  return std::make_shared<const TemplateHistory>(
      std::make_shared<const History>(std::move(history)));
}

TemplateHistory::TemplateHistory(std::string directory, std::string content_hash,
                                 std::function<std::shared_ptr<const History>()> load)
    : directory_(std::move(directory)), hash_(std::move(content_hash)), load_(std::move(load)) {}

bool TemplateHistory::loaded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return history_ != nullptr;
}

bool TemplateHistory::has_unhashed_code() const {
  // Only a history of files alone is known by its stamp, and files are hashed.
  return loaded() && !get().unhashed_code().empty();
}

const History& TemplateHistory::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!history_) {
    auto h = load_();
    if (h->content_hash() != hash_) {
      throw error(fmt::format(
          "the revision files in '{}' changed while this process used them: run the tests again",
          directory_));
    }
    history_ = std::move(h);
  }
  return *history_;
}

std::string Template::cache_directory_of(const TemplateSpec& spec) {
  if (!spec.cache_directory.empty()) return spec.cache_directory;
  return default_cache_directory(spec.temp_directory.empty() ? default_temp_directory()
                                                             : spec.temp_directory);
}

std::string Template::key_of(const TemplateSpec& spec) {
  if (!spec.history) throw config_error("a template needs a history");
  // The version table's DDL stands for its format: a template an older migtest built, with a
  // table of another shape, is not this one.
  std::string key =
      fmt::format("migtest template 1\n{}\n{}\n{}\n{}", to_string(spec.backend),
                  spec.history->content_hash(), spec.target, version_table_ddl(spec.version_table));
  if (spec.history->has_unhashed_code()) key += "\n" + executable_identity();
  return sha256_hex(key);
}

std::shared_ptr<const Template> Template::acquire(const TemplateSpec& spec) {
  auto t = std::make_shared<Template>();
  t->backend = spec.backend;
  t->key = key_of(spec);
  t->tag = t->key.substr(0, 8);
  t->history = spec.history;
  t->target = spec.target;
  t->version_table = spec.version_table;
  t->temp_directory = spec.temp_directory.empty() ? default_temp_directory() : spec.temp_directory;
  t->server_url = spec.server_url.empty() ? default_postgres_url() : spec.server_url;
  const std::string cache = cache_directory_of(spec);
  t->cache_directory = cache;
  const std::string key = process_key(*t, cache);
  auto& p = process();
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (auto it = p.templates.find(key); it != p.templates.end()) return it->second;
    if (auto it = p.failures.find(key); it != p.failures.end()) throw_failure(*it->second);
  }
  const std::string dialect = to_string(spec.backend);
  try {
    // A history known by its stamp alone was checked when its template was built; the
    // Runner checks it again should the template have to be built now.
    if (t->history->loaded()) t->history->get().check(spec.backend);
    if (spec.backend == Backend::sqlite) {
      t->temp_directory = ensure_directory(t->temp_directory);
      reap_once(t->temp_directory, ensure_directory(cache), "");
      build_sqlite(*t, cache);
    } else {
      // The safety check comes before anything is created.
      Server::get(t->server_url)->check_maintenance();
      reap_once("", "", t->server_url);
      build_postgres(*t);
    }
  } catch (const std::exception& e) {
    const std::string& directory = t->history->directory();
    const std::string message = fmt::format(
        "cannot prepare the {} template of '{}' at {}: {}", dialect,
        directory.empty() ? std::string("C++ revisions") : directory, spec.target, e.what());
    std::shared_ptr<const error> failure;
    if (const auto* m = dynamic_cast<const migration_error*>(&e)) {
      failure = std::make_shared<migration_error>(
          message, error_fields{m->where(), m->code(), m->statement(), m->cause()},
          m->partially_applied());
    } else {
      failure = std::make_shared<error>(message);
    }
    {
      std::lock_guard<std::mutex> lock(p.mutex);
      p.failures[key] = failure;
    }
    throw_failure(*failure);
  }
  note_template_used(*t);
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.templates.emplace(key, std::move(t)).first->second;
}

TemporaryDatabase Template::clone() const {
  if (backend == Backend::sqlite) return TemporaryDatabase::sqlite_copy(image, temp_directory, tag);
  return TemporaryDatabase::postgresql(server_url, tag, database);
}

}  // namespace migtest::detail
