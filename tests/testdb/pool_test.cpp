// The PostgreSQL pool, with real processes on a real server: a warm pool hands out a ready
// database; sixteen processes at once each get their own; a killed holder's database is reset
// or dropped by the next claimer, never handed out dirty; refills keep to the pool's size and
// to the clones in flight; what is sent without waiting is finished by the server.
#include "testdb/pool.hpp"

#include <boost/filesystem.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include "cache_support.hpp"
#include "migtest/testdb.hpp"
#include "migtest/url.hpp"
#include "testdb/from_config.hpp"
#include "testdb/reset.hpp"
#include "testdb/server.hpp"
#include "testdb_support.hpp"

namespace fs = boost::filesystem;
using migtest::Backend;
using migtest::Mode;
using migtest::TestConfig;
using migtest::TestDatabases;
using migtest::TestScope;
using migtest::detail::Pool;
using migtest::detail::PoolView;
using migtest::test::Process;
using migtest::test::shell_quote;
using migtest::test::TempDir;

namespace {

std::string first_line(const std::string& file) {
  const std::string text = migtest::test::slurp(file);
  return text.substr(0, text.find('\n'));
}

// Each test has a history of its own, hence a template and a pool of its own.
class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MIGTEST_REQUIRE_POSTGRES_URL(url);
    url_ = url;
    history_ = migtest::test::write_shop_history(dir_, migtest::detail::random_hex8());
    tpl_ = migtest::detail::acquire_template(config(), Backend::postgresql);
  }
  void TearDown() override {
    if (!tpl_) return;
    settle();
    Pool::get(tpl_)->drop_unclaimed();
    auto server = migtest::detail::Server::get(url_);
    std::lock_guard<std::mutex> lock(server->mutex);
    server->drop_database(tpl_->database);
  }

  TestConfig config(int size = 4, int clones = 2) const {
    return TestConfig()
        .migrations(history_)
        .backend(Backend::postgresql)
        .postgres_url(url_)
        .mode(Mode::fresh)
        .pool_size(size)
        .max_clones_in_flight(clones);
  }
  PoolView look() {
    auto server = migtest::detail::Server::get(url_);
    std::lock_guard<std::mutex> lock(server->mutex);
    return migtest::detail::look_at_pool(server->admin(), *tpl_);
  }
  // Waits until no clone or drop of this pool is sent or running; returns the pool then.
  PoolView settle() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
      PoolView v = look();
      const bool dropping = std::any_of(v.databases.begin(), v.databases.end(),
                                        [](const PoolView::Database& d) { return d.dropping; });
      const bool in_flight = v.clones_in_flight > 0 || v.drops_in_flight > 0 || dropping;
      if (!in_flight || std::chrono::steady_clock::now() > deadline) {
        return v;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  const PoolView::Database* find(const PoolView& v, const std::string& name) {
    for (const auto& d : v.databases) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }
  std::unique_ptr<migtest::Connection> open(const std::string& name) {
    return migtest::connect(migtest::with_database(url_, name));
  }
  // The hold child (tests/testdb/child) running `sql` in its test.
  std::unique_ptr<Process> hold(const std::string& sql, const std::string& ready,
                                const std::string& extra_env = "") {
    return std::make_unique<Process>(
        MIGTEST_TESTDB_CHILD, "hold " + shell_quote(history_),
        migtest::test::combined("MIGTEST_TMPDIR=" + shell_quote(dir_ / "tmp") +
                                " MIGTEST_TEST_SQL=" + shell_quote(sql) +
                                " MIGTEST_TEST_READY=" + shell_quote(ready) +
                                " MIGTEST_TEST_GO=" + shell_quote(dir_ / "go") + " " + extra_env));
  }
  // Kills a holder once it holds; returns its database's name, free to claim again.
  std::string kill_holder(const std::string& sql) {
    const std::string ready = dir_ / "ready";
    auto child = hold(sql, ready, "MIGTEST_POOL_SIZE=1 MIGTEST_POOL_CLONES=1");
    if (!child->wait_until([&] { return fs::exists(ready); })) {
      ADD_FAILURE() << child->out();
      return "";
    }
    const std::string name = first_line(ready);
    child->kill();
    // The server releases the dead session's claim once it sees the connection close.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const PoolView v = look();
      const auto* d = find(v, name);
      if (d && !d->claimed) {
        EXPECT_EQ(d->state, "busy");
        return name;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the killed holder's claim on " << name << " was never released";
    return "";
  }

  TempDir dir_;
  std::string url_, history_;
  std::shared_ptr<const migtest::detail::Template> tpl_;
};

TEST_F(PoolTest, SentAndForgottenStatementsAreFinishedByTheServer) {
  const std::string name = migtest::detail::pool_prefix(tpl_->key) + "f0f0f0f0";
  const auto sent = migtest::test::run_program(
      MIGTEST_TESTDB_CHILD,
      "forget " + shell_quote(url_) + " " +
          shell_quote("CREATE DATABASE " + name + " TEMPLATE " + tpl_->database));
  ASSERT_EQ(sent.code, 0) << sent.err;
  // The child is gone; the clone completes all the same, as a new pool database.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  const PoolView::Database* d = nullptr;
  PoolView v;
  while (!d && std::chrono::steady_clock::now() < deadline) {
    v = look();
    d = find(v, name);
    if (!d) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(d, nullptr) << name << " never appeared";
  EXPECT_EQ(d->state, "new");
  EXPECT_EQ(open(name)->scalar("SELECT count(*) FROM country").as_int(), 2);
  const auto dropped = migtest::test::run_program(
      MIGTEST_TESTDB_CHILD,
      "forget " + shell_quote(url_) + " " + shell_quote("DROP DATABASE " + name + " WITH (FORCE)"));
  ASSERT_EQ(dropped.code, 0) << dropped.err;
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    gone = find(look(), name) == nullptr;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone);
}

TEST_F(PoolTest, AWarmPoolHandsOutAReadyDatabaseAndTakesItBack) {
  {
    TestDatabases warm(config(2, 2));
    warm.begin_test().end();
  }  // given back
  const PoolView before = settle();
  ASSERT_GE(before.ready(), 2);
  std::set<std::string> ready;
  for (const auto& d : before.databases) {
    if (!d.claimed && (d.state == "ready" || d.state == "new")) ready.insert(d.name);
  }
  TestDatabases dbs(config(2, 2));
  std::string name;
  {
    TestScope t = dbs.begin_test();
    name = t.database().name();
    EXPECT_EQ(ready.count(name), 1u) << name << " was not one of the ready databases";
    const auto* d = find(look(), name);
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->claimed);
    EXPECT_EQ(d->state, "busy");
    t.session().exec("INSERT INTO customer (name) VALUES ('ada')");
  }
  // Reset for the process's next test: the same database, clean, still claimed.
  {
    TestScope t = dbs.begin_test();
    EXPECT_EQ(t.database().name(), name);
    EXPECT_EQ(t.session().scalar<int>("SELECT count(*) FROM customer"), 0);
  }
  dbs.release();
  const auto* d = find(look(), name);
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->claimed);
  EXPECT_EQ(d->state, "ready");
}

// A database goes back with its write mark in its COMMENT, so that its next holder starts
// from it without reading it; what is not a mark there is not one.
TEST_F(PoolTest, AGivenBackDatabaseCarriesItsWriteMark) {
  TestDatabases dbs(config(1, 1));
  std::string name;
  {
    TestScope t = dbs.begin_test();
    name = t.database().name();
    t.session().exec("INSERT INTO customer (name) VALUES ('ada')");
  }
  dbs.release();
  std::optional<std::string> comment;
  {
    auto server = migtest::detail::Server::get(url_);
    std::lock_guard<std::mutex> lock(server->mutex);
    comment = server->comment(name);
  }
  ASSERT_TRUE(comment);
  EXPECT_EQ(migtest::detail::pool_state(*comment, tpl_->key), "ready");
  const std::string written = migtest::detail::pool_written(*comment, tpl_->key);
  ASSERT_FALSE(written.empty()) << *comment;
  EXPECT_EQ(written, migtest::detail::write_mark(*open(name)));
}

TEST(PoolMarker, AWriteMarkIsReadOnlyFromAReadyMarkerThatHoldsOne) {
  using migtest::detail::pool_marker;
  using migtest::detail::pool_state;
  using migtest::detail::pool_written;
  const std::string key(64, 'a');
  const std::string mark = "1259:0,4,0 16401:2,0,0|";
  EXPECT_EQ(pool_state(pool_marker(key, "ready", mark), key), "ready");
  EXPECT_EQ(pool_written(pool_marker(key, "ready", mark), key), mark);
  EXPECT_EQ(pool_written(pool_marker(key, "ready"), key), "");
  EXPECT_EQ(pool_written(pool_marker(key, "busy"), key), "");
  EXPECT_EQ(pool_written(pool_marker(std::string(64, 'b'), "ready", mark), key), "");
  for (const char* planted : {"1259:0,4,0; DROP TABLE x|", "no mark", "1:2,3,4"}) {
    EXPECT_EQ(pool_state(pool_marker(key, "ready", planted), key), "") << planted;
    EXPECT_EQ(pool_written(pool_marker(key, "ready", planted), key), "") << planted;
  }
}

TEST_F(PoolTest, SixteenProcessesAtOnceEachGetTheirOwnDatabase) {
  constexpr int kProcesses = 16;
  std::vector<std::unique_ptr<Process>> children;
  for (int i = 0; i < kProcesses; ++i) {
    children.push_back(
        hold("INSERT INTO customer (name) VALUES ('child-" + std::to_string(i) + "')",
             dir_ / ("ready-" + std::to_string(i))));
  }
  std::vector<std::string> names;
  for (int i = 0; i < kProcesses; ++i) {
    const std::string ready = dir_ / ("ready-" + std::to_string(i));
    ASSERT_TRUE(children[i]->wait_until([&] { return fs::exists(ready); }, 300))
        << children[i]->out();
    names.push_back(first_line(ready));
  }
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (int i = 0; i < kProcesses; ++i) {
    // Each database holds its own test's row and nobody else's.
    EXPECT_EQ(open(names[i])->scalar("SELECT string_agg(name, ',') FROM customer").as_text(),
              "child-" + std::to_string(i))
        << names[i];
  }
  dir_.write("go", "");
  for (int i = 0; i < kProcesses; ++i) {
    children[i]->wait();
    EXPECT_EQ(children[i]->exit_code(), 0) << children[i]->out();
    EXPECT_NE(children[i]->out().find("ended " + names[i]), std::string::npos)
        << children[i]->out();
    for (const auto& l : migtest::test::left_by(children[i]->pid(), dir_ / "tmp", "", url_)) {
      ADD_FAILURE() << "left behind by child " << i << ": " << l.name;
    }
  }
  // Every database is back in the pool, ready and free: no leftovers but the pool itself.
  const PoolView v = settle();
  for (const auto& name : names) {
    const auto* d = find(v, name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_FALSE(d->claimed) << name;
    EXPECT_EQ(d->state, "ready") << name;
    EXPECT_EQ(open(name)->scalar("SELECT count(*) FROM customer").as_int(), 0) << name;
  }
  for (const auto& d : v.databases) EXPECT_NE(d.state, "busy") << d.name;
}

// The parent claims until it gets the dead holder's database (ready ones come first).
std::vector<TestScope> claim_until(TestDatabases& dbs, const std::string& name, int most) {
  std::vector<TestScope> scopes;
  for (int i = 0; i < most; ++i) {
    scopes.push_back(dbs.begin_test());
    if (scopes.back().database().name() == name) break;
  }
  return scopes;
}

TEST_F(PoolTest, AKilledHoldersDatabaseIsResetForTheNextClaimer) {
  const std::string name = kill_holder("INSERT INTO customer (name) VALUES ('held')");
  ASSERT_FALSE(name.empty());
  // The clean state comes from the file the dead holder's process left in the cache
  // directory (or from this process's memory, when an earlier test read it).
  TestDatabases dbs(config(1, 1));
  auto scopes = claim_until(dbs, name, 6);
  ASSERT_EQ(scopes.back().database().name(), name);
  EXPECT_EQ(scopes.back().session().scalar<int>("SELECT count(*) FROM customer"), 0);
  EXPECT_EQ(scopes.back().session().scalar<int>("SELECT count(*) FROM country"), 2);
}

TEST_F(PoolTest, AKilledHoldersChangedDatabaseIsDroppedNotHandedOut) {
  const std::string name = kill_holder("CREATE TABLE left_behind (x int)");
  ASSERT_FALSE(name.empty());
  TestDatabases(config(0)).begin_test().end();
  TestDatabases dbs(config(1, 1));
  auto scopes = claim_until(dbs, name, 4);
  for (auto& s : scopes) {
    EXPECT_NE(s.database().name(), name);
    EXPECT_EQ(
        s.session().scalar<int>("SELECT count(*) FROM pg_class WHERE relname = 'left_behind'"), 0);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (find(look(), name) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(find(look(), name), nullptr) << name << " was not dropped";
}

// Without the clean state (none in this process, no file in the cache directory), a dead
// holder's database cannot be compared: dropped.
TEST_F(PoolTest, ADeadHoldersDatabaseIsDroppedWhenItsCleanStateIsUnknown) {
  const std::string name = kill_holder("INSERT INTO customer (name) VALUES ('held')");
  ASSERT_FALSE(name.empty());
  // Only the dead holder's database left: the claim cannot learn the clean state elsewhere.
  const PoolView now = settle();
  {
    auto server = migtest::detail::Server::get(url_);
    std::lock_guard<std::mutex> lock(server->mutex);
    for (const auto& d : now.databases) {
      if (d.name != name) server->drop_database(d.name);
    }
  }
  boost::filesystem::remove(migtest::detail::reset_state_file(tpl_->cache_directory, tpl_->key));
  {
    auto server = migtest::detail::Server::get(url_);
    std::lock_guard<std::mutex> lock(server->mutex);
    ASSERT_EQ(migtest::detail::known_clean_state(*tpl_, server->admin()), nullptr);
  }
  TestDatabases dbs(config(1, 1));
  TestScope t = dbs.begin_test();
  EXPECT_NE(t.database().name(), name);
  EXPECT_EQ(t.session().scalar<int>("SELECT count(*) FROM customer"), 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (find(look(), name) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(find(look(), name), nullptr) << name << " was not dropped";
}

TEST_F(PoolTest, RefillsKeepToThePoolSizeAndTheClonesInFlight) {
  const int size = 3;
  TestDatabases dbs(config(size, 1));
  auto count = [&] { return static_cast<int>(settle().databases.size()); };
  ASSERT_EQ(count(), 0);
  std::vector<TestScope> held;
  // An empty pool: the claimer clones one for itself now and sends one (clones in flight: 1).
  held.push_back(dbs.begin_test());
  EXPECT_LE(look().clones_in_flight, 1);
  EXPECT_EQ(count(), 2);
  // Each claim that leaves fewer than `size` ready sends one more, never more at once.
  held.push_back(dbs.begin_test());
  EXPECT_EQ(count(), 3);
  held.push_back(dbs.begin_test());
  EXPECT_EQ(count(), 4);
  held.clear();
  dbs.release();
  EXPECT_EQ(settle().ready(), 4);
  // Enough ready: a claim sends nothing.
  { TestScope t = dbs.begin_test(); }
  EXPECT_EQ(count(), 4);
}

}  // namespace

namespace {

// A clone sent by a refill has no COMMENT until a test claims it (the server finishes it
// after its sender is gone): the cache lists it as a pool database and clears it all the same.
// A role of the test's own: clear_cache() clears all its user owns on the server.
TEST(PoolCache, ListsAndClearsClonesNobodyClaimedYet) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  const TestConfig config =
      TestConfig()
          .migrations(migtest::test::write_shop_history(dir, migtest::detail::random_hex8()))
          .backend(Backend::postgresql)
          .postgres_url(role.url())
          .mode(Mode::fresh)
          .pool_size(2)
          .max_clones_in_flight(2);
  const auto tpl = migtest::detail::acquire_template(config, Backend::postgresql);
  auto settled = [&] {
    auto server = migtest::detail::Server::get(role.url());
    for (;;) {
      std::lock_guard<std::mutex> lock(server->mutex);
      PoolView v = migtest::detail::look_at_pool(server->admin(), *tpl);
      if (v.clones_in_flight == 0 && v.drops_in_flight == 0) return v;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  {
    TestDatabases dbs(config);
    { TestScope t = dbs.begin_test(); }
  }
  std::set<std::string> unclaimed;
  for (const auto& d : settled().databases) {
    if (d.state == "new") unclaimed.insert(d.name);
  }
  ASSERT_FALSE(unclaimed.empty()) << "the refill sent no clone";

  const std::string cache = dir / "cache";
  std::set<std::string> listed;
  for (const auto& e : migtest::list_cache(cache, role.url())) {
    if (e.kind == migtest::CacheKind::pool_database) listed.insert(e.name);
  }
  for (const auto& name : unclaimed) EXPECT_EQ(listed.count(name), 1u) << name << " not listed";

  migtest::clear_cache(cache, role.url());
  for (const auto& d : settled().databases) ADD_FAILURE() << d.name << " not cleared";
}

}  // namespace
