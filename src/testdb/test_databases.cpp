// TestDatabases and TestScope: which copy a test gets and what happens to it after, by mode.
#include "migtest/testdb/test_databases.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <set>

#include "migtest/error.hpp"
#include "migtest/runner.hpp"
#include "migtest/url.hpp"
#include "testdb/copy.hpp"
#include "testdb/from_config.hpp"

namespace migtest {

using detail::HeldCopy;

struct TestDatabases::Impl {
  TestConfig config;
  std::optional<Backend> backend;
  std::mutex mutex;
  std::shared_ptr<const detail::Template> tpl;  // once acquired
  // Rollback mode: the copy every test runs in, inside a transaction.
  std::unique_ptr<HeldCopy> shared;
  bool shared_in_use = false;
  // Fresh mode: copies restored after their test, for the next one.
  std::vector<std::unique_ptr<HeldCopy>> idle;

  Backend effective_backend() const { return backend ? *backend : config.backend(); }

  const std::shared_ptr<const detail::Template>& acquire() {
    if (!tpl) tpl = detail::acquire_template(config, effective_backend());
    return tpl;
  }
};

struct TestScope::State {
  std::shared_ptr<TestDatabases::Impl> owner;
  std::string name;
  Backend backend = Backend::sqlite;
  Mode mode = Mode::rollback;
  std::unique_ptr<HeldCopy> own;  // fresh mode
  HeldCopy* shared = nullptr;     // rollback mode: owner->shared
  std::unique_ptr<Session> session;
  std::unique_ptr<TestDatabase> database;

  HeldCopy& copy() { return shared ? *shared : *own; }
};

namespace {

// Done with a copy whose state is unknown (or, `rolled_back`, a rollback-mode copy whose
// tests all rolled back): given back when a reset restores the template's state, else
// deleted or dropped. Never throws.
void let_go(std::unique_ptr<HeldCopy> copy, bool rolled_back = false) noexcept {
  if (!copy) return;
  try {
    if (rolled_back ? copy->restore_rolled_back() : copy->restore()) {
      copy->give_back();
    } else {
      copy->discard();
    }
  } catch (const std::exception& e) {
    std::cerr << "migtest: could not let go of " << copy->redacted_url() << ": " << e.what()
              << "\n";
  }
}

std::string test_name(const std::string& name) { return name.empty() ? "a test" : name; }

// The savepoint a rollback-mode test's transaction starts with: still there at the test's
// end only if that transaction is (a COMMIT sent as SQL, which the connection does not see,
// ends it, and a BEGIN after it starts one without the savepoint).
constexpr const char* kTestSavepoint = "migtest_test";

// A rollback-mode test's transaction begun on the shared copy.
void begin_rollback_test(TestDatabases::Impl& im) {
  Connection& c = im.shared->connection();
  c.begin();
  c.savepoint(kTestSavepoint);
  im.shared_in_use = true;
}

// Rolls the test's transaction back; false when it is not the one the test began with.
bool rolled_back(Connection& c) {
  if (!c.in_transaction()) return false;
  try {
    c.rollback_to(kTestSavepoint);
  } catch (const std::exception&) {
    c.rollback();
    return false;
  }
  c.rollback();
  return true;
}

// What is kept between tests, let go of: the rollback copy (unless a test holds it) and the
// reset fresh copies. Never throws.
void release_held(TestDatabases::Impl& im) noexcept {
  std::unique_ptr<HeldCopy> shared;
  std::vector<std::unique_ptr<HeldCopy>> idle;
  {
    std::lock_guard<std::mutex> lock(im.mutex);
    if (!im.shared_in_use) shared = std::move(im.shared);
    idle.swap(im.idle);
  }
  let_go(std::move(shared), true);
  for (auto& copy : idle) {
    try {
      copy->give_back();  // restored after its test already
    } catch (const std::exception& e) {
      std::cerr << "migtest: could not let go of " << copy->redacted_url() << ": " << e.what()
                << "\n";
    }
  }
}

// TestDatabases is usually a static object, destroyed at exit after statics that a query
// needs but that were created after it (libpqxx builds its encoding table at the first
// query): releasing from its destructor then read freed memory. So the first begin_test()
// registers, once its queries ran, an exit handler that releases every TestDatabases still
// alive; it runs before those statics go, and destructors running after it do nothing.
struct Alive {
  std::mutex mutex;
  std::set<TestDatabases::Impl*> all;
  bool exiting = false;
};
Alive& alive() {
  static Alive* a = new Alive;  // never destroyed: used at exit
  return *a;
}

void release_all_at_exit() {
  Alive& a = alive();
  std::lock_guard<std::mutex> lock(a.mutex);
  a.exiting = true;
  for (TestDatabases::Impl* im : a.all) release_held(*im);
}

void release_at_exit_from_now_on() {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(release_all_at_exit); });
}

}  // namespace

// ---- TestDatabases ---------------------------------------------------------------------

TestDatabases::TestDatabases(TestConfig config, std::optional<Backend> backend)
    : impl_(std::make_shared<Impl>()) {
  impl_->config = std::move(config);
  impl_->backend = backend;
  std::lock_guard<std::mutex> lock(alive().mutex);
  alive().all.insert(impl_.get());
}

TestDatabases::~TestDatabases() {
  {
    Alive& a = alive();
    std::lock_guard<std::mutex> lock(a.mutex);
    a.all.erase(impl_.get());
    if (a.exiting) return;  // released by the exit handler
  }
  release();
}

const TestConfig& TestDatabases::config() const { return impl_->config; }
Backend TestDatabases::backend() const { return impl_->effective_backend(); }
Mode TestDatabases::mode() const { return impl_->config.mode(); }

void TestDatabases::prepare() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->acquire();
}

void TestDatabases::release() noexcept { release_held(*impl_); }

TestScope TestDatabases::begin_test(std::string name) {
  auto st = std::make_unique<TestScope::State>();
  st->owner = impl_;
  st->name = std::move(name);
  st->backend = impl_->effective_backend();
  st->mode = impl_->config.mode();
  Impl& im = *impl_;
  std::unique_lock<std::mutex> lock(im.mutex);
  const auto tpl = im.acquire();
  if (st->mode == Mode::rollback) {
    if (im.shared_in_use) {
      throw state_error(fmt::format(
          "{} began before the previous test ended: rollback mode runs one test at a time",
          test_name(st->name)));
    }
    if (!im.shared) {
      im.shared = detail::make_copy(tpl, im.config);
      im.shared->seal();
    }
    begin_rollback_test(im);
    st->shared = im.shared.get();
  } else if (!im.idle.empty()) {
    st->own = std::move(im.idle.back());
    im.idle.pop_back();
  } else {
    lock.unlock();  // a copy may take a while; nothing shared is touched
    st->own = detail::make_copy(tpl, im.config);
    st->own->watch_writes();
  }
  HeldCopy& copy = st->copy();
  st->session = std::make_unique<Session>(copy.connection(), st->mode);
  st->database = std::make_unique<TestDatabase>(copy.connection(), copy.url(), copy.name(),
                                                im.config.version_table(), im.config.models(),
                                                im.config.schemas());
  release_at_exit_from_now_on();
  return TestScope(std::move(st));
}

// ---- TestScope -------------------------------------------------------------------------

TestScope::TestScope(std::unique_ptr<State> state) : state_(std::move(state)) {}
TestScope::TestScope(TestScope&& other) noexcept = default;
TestScope& TestScope::operator=(TestScope&& other) noexcept {
  if (this != &other) {
    try {
      if (state_) end();
    } catch (const std::exception& e) {
      std::cerr << "migtest: " << e.what() << "\n";
    }
    state_ = std::move(other.state_);
  }
  return *this;
}

TestScope::~TestScope() {
  if (!state_) return;
  try {
    end();
  } catch (const std::exception& e) {
    std::cerr << "migtest: " << e.what() << "\n";
  }
}

namespace {
[[noreturn]] void ended() {
  throw state_error("the test's database is gone: its TestScope has ended");
}

// Rollback mode's end: the transaction rolled back, or, when the test ended it itself (a
// COMMIT sent through the session too) or the rollback failed, the copy reset (or replaced)
// for the next test.
void end_rollback(TestDatabases::Impl& im, const std::string& name) {
  HeldCopy& copy = *im.shared;
  std::string trouble;
  try {
    if (rolled_back(copy.connection())) return;
    trouble = " ended the rollback-mode transaction itself";
  } catch (const std::exception& e) {
    trouble = std::string(": could not roll back: ") + e.what();
  }
  std::cerr << "migtest: " << test_name(name) << trouble
            << "; the next test gets the template's state again\n";
  if (!copy.restore()) let_go(std::move(im.shared));
}
}  // namespace

std::string TestScope::end(ScopeEnd how) {
  if (!state_) return "";
  const bool keep = how == ScopeEnd::keep_database;
  std::unique_ptr<State> st = std::move(state_);  // ended, whatever happens below
  st->session.reset();
  st->database.reset();
  TestDatabases::Impl& im = *st->owner;
  if (st->shared) {
    std::lock_guard<std::mutex> lock(im.mutex);
    im.shared_in_use = false;
    if (!keep) {
      end_rollback(im, st->name);
      return "";
    }
    // The failed test's rows are in the outer transaction: committed, then kept.
    try {
      if (im.shared->connection().in_transaction()) im.shared->connection().commit();
    } catch (const std::exception&) {
    }
    auto copy = std::move(im.shared);
    const std::string url = copy->redacted_url();
    try {
      return copy->keep();
    } catch (const std::exception& e) {
      throw error(fmt::format("could not keep {}: {}", url, e.what()));
    }
  }
  if (keep) {
    const std::string url = st->own->redacted_url();
    try {
      return st->own->keep();
    } catch (const std::exception& e) {
      throw error(fmt::format("could not keep {}: {}", url, e.what()));
    }
  }
  if (st->own->restore()) {
    std::lock_guard<std::mutex> lock(im.mutex);
    im.idle.push_back(std::move(st->own));
    return "";
  }
  try {
    st->own->discard();
  } catch (const std::exception& e) {
    throw error(fmt::format("could not remove the test's database: {}", e.what()));
  }
  return "";
}

Session& TestScope::session() {
  if (!state_) ended();
  return *state_->session;
}

TestDatabase& TestScope::database() {
  if (!state_) ended();
  return *state_->database;
}

Backend TestScope::backend() const {
  if (!state_) ended();
  return state_->backend;
}

Mode TestScope::mode() const {
  if (!state_) ended();
  return state_->mode;
}

namespace {
// The runner for upgrade()/downgrade() (`what`), after the checks that it may run: the
// runner commits each revision, which fresh mode allows and rollback mode cannot.
Runner migrating_runner(const char* what, TestScope::State& st) {
  if (st.mode == Mode::rollback) {
    throw config_error(fmt::format(
        "{}() needs Mode::fresh: the runner commits each revision, which would end the "
        "rollback-mode transaction (use TestConfig().mode(migtest::Mode::fresh) or at_revision())",
        what));
  }
  if (st.session->in_transaction()) {
    throw state_error(
        fmt::format("{}(): commit or roll back the session's transaction first", what));
  }
  const detail::Template& tpl = *st.copy().tpl();
  RunOptions options;
  options.version_table = tpl.version_table;
  return Runner(st.copy().connection(), tpl.history->get(), options);
}
}  // namespace

std::vector<Step> TestScope::upgrade(std::string_view target) {
  if (!state_) ended();
  return migrating_runner("upgrade", *state_).upgrade(target);
}

std::vector<Step> TestScope::downgrade(std::string_view target) {
  if (!state_) ended();
  return migrating_runner("downgrade", *state_).downgrade(target);
}

}  // namespace migtest
