// Copies of a template held for tests: temporary databases here, pool databases in pool.cpp.
#include "testdb/copy.hpp"

#include <iostream>

#include "migtest/url.hpp"
#include "testdb/pool.hpp"
#include "testdb/reset.hpp"

namespace migtest::detail {

std::string HeldCopy::redacted_url() const { return redact(url()); }

Connection& HeldCopy::connection() {
  if (!conn_) conn_ = open();
  return *conn_;
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
    if (!clean_) return false;
    const ResetResult r = reset_copy(connection(), *clean_);
    if (r.reset && !r.keep_connection) close();
    return r.reset;
  }
  void give_back() override { discard(); }
  void discard() override {
    close();
    db_.remove();
  }
  std::string keep() override {
    close();
    return db_.keep();
  }

 protected:
  std::unique_ptr<Connection> open() const override { return db_.connect(); }

 private:
  TemporaryDatabase db_;
  std::shared_ptr<const CleanState> clean_;
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
