// Copies of a template held for tests: temporary databases here, pool databases in pool.cpp.
#include "testdb/copy.hpp"

#include <iostream>

#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/pool.hpp"
#include "testdb/reset.hpp"
#include "testdb/server.hpp"

namespace migtest::detail {

std::string HeldCopy::redacted_url() const { return redact(url()); }

Connection& HeldCopy::connection() {
  if (!conn_) conn_ = open();
  return *conn_;
}

namespace {
std::string allow_connections_sql(const std::string& name, bool allow) {
  return "ALTER DATABASE " + quote_ident(name) + " ALLOW_CONNECTIONS " + (allow ? "true" : "false");
}

// On the server's maintenance connection: a session cannot disallow its own database.
void allow_connections(const Template& t, const std::string& name, bool allow) {
  auto server = Server::get(t.server_url);
  std::lock_guard<std::mutex> lock(server->mutex);
  server->admin().execute(allow_connections_sql(name, allow));
}
}  // namespace

void HeldCopy::seal() {
  if (tpl_->backend != Backend::postgresql || sealed_) return;
  connection();  // open before: nothing else can
  allow_connections(*tpl_, name(), false);
  sealed_ = true;
}

bool HeldCopy::unseal() noexcept {
  if (!sealed_) return true;
  try {
    allow_connections(*tpl_, name(), true);
    sealed_ = false;
    return true;
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not open " << redacted_url()
              << " to other connections again: " << e.what() << "\n";
    return false;
  }
}

void HeldCopy::watch_writes() noexcept {
  if (!clean_ || !mark_.empty()) return;
  try {
    mark_ = write_mark(connection());
  } catch (const std::exception&) {
    mark_.clear();  // the test's reset inspects the copy
  }
}

bool HeldCopy::reset_postgres() {
  if (!clean_ || !unseal()) return false;
  const ResetResult r = reset_copy(connection(), *clean_, mark_);
  mark_ = r.mark;
  if (r.reset && !r.keep_connection) close();
  return r.reset;
}

bool HeldCopy::restore_rolled_back() {
  if (!sealed_ || !clean_) return restore();
  if (!reset_rolled_back(connection(), *clean_).reset) return restore();
  close();
  return unseal();
}

namespace {

// A temporary database cloned from the template, named after this process: deleted when
// let go of, reaped if the process is killed. Reset in place between tests: SQLite by
// rewriting the file with the template's bytes, PostgreSQL by reset_copy().
class TemporaryCopy final : public HeldCopy {
 public:
  explicit TemporaryCopy(const std::shared_ptr<const Template>& t) : HeldCopy(t), db_(t->clone()) {
    connection();
    if (t->backend == Backend::postgresql) {
      try {
        clean_ = clean_state(*t, connection());  // a new clone: the template's state
      } catch (const std::exception&) {
        // An old server: this copy is dropped after its test instead of reset.
      }
    }
  }
  ~TemporaryCopy() override { close(); }  // before db_ deletes it

  const std::string& url() const override { return db_.url(); }
  const std::string& name() const override { return db_.name(); }

  bool restore() override {
    if (tpl()->backend == Backend::sqlite) {
      try {
        return db_.restore(tpl()->image, connection());
      } catch (const std::exception& e) {
        std::cerr << "migtest: " << e.what() << "; the next test gets a new copy\n";
        return false;
      }
    }
    return reset_postgres();
  }
  void give_back() override { discard(); }
  void discard() override {
    close();
    db_.remove();
  }
  std::string keep() override {
    unseal();
    close();
    return db_.keep();
  }

 protected:
  std::unique_ptr<Connection> open() const override { return db_.connect(); }

 private:
  TemporaryDatabase db_;
};

}  // namespace

std::unique_ptr<HeldCopy> make_copy(const std::shared_ptr<const Template>& tpl,
                                    const TestConfig& config) {
  if (tpl->backend == Backend::postgresql) {
    const int size = config.pool_size();
    if (size > 0) return Pool::get(tpl)->claim({size, config.max_clones_in_flight()});
  }
  return std::make_unique<TemporaryCopy>(tpl);
}

}  // namespace migtest::detail
