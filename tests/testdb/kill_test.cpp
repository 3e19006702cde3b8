// Nothing left behind after a kill: kill -9 a template build, `migtest verify` and
// `migtest check` at known points on both backends, then run another migtest process (a
// command, or a process using templates as a fixture does) and check that every leftover of
// the killed process is gone and nothing a live process owns was touched.
//
// The points are deterministic: a fault point (MIGTEST_KILL_AT: the process kills itself
// there) or a revision that never ends (tests/testdb/data/hang), which the process is known
// to be inside once its database holds the previous revision's table (SQLite) or the server
// shows its pg_sleep running (PostgreSQL).
#include <boost/filesystem.hpp>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "migtest/testdb.hpp"
#include "migtest/url.hpp"
#include "sql_quote.hpp"
#include "testdb/owner.hpp"
#include "testdb_support.hpp"

namespace fs = boost::filesystem;
using migtest::Backend;
using migtest::Leftover;
using migtest::TemporaryDatabase;
using migtest::test::Process;
using migtest::test::shell_quote;
using migtest::test::TempDir;

namespace {

enum class Point { database_created, mid_migration, template_built };
enum class Reaper { history, current, verify, fixture };

struct KillCase {
  std::string name;
  Backend backend;
  std::string program;  // "template" (a template build), "verify", "check"
  Point point;
  Reaper reaper;
};

void PrintTo(const KillCase& c, std::ostream* os) { *os << c.name; }

class KillTest : public ::testing::TestWithParam<KillCase> {
 protected:
  void SetUp() override {
    if (GetParam().backend == Backend::postgresql) {
      MIGTEST_REQUIRE_POSTGRES_URL(u);
      url_ = u;
    }
    tmp_ = dir_ / "tmp";
    env_ = "MIGTEST_TMPDIR=" + shell_quote(tmp_) +
           " MIGTEST_TEST_NONCE=" + migtest::detail::random_hex8();
  }
  void TearDown() override {
    if (!app_.empty()) {
      migtest::connect(url_)->execute("DROP DATABASE IF EXISTS " +
                                      migtest::detail::quote_ident(app_) + " WITH (FORCE)");
    }
  }

  bool postgres() const { return GetParam().backend == Backend::postgresql; }
  std::string backend() const { return migtest::to_string(GetParam().backend); }
  std::string url_option() const { return postgres() ? "--url " + shell_quote(url_) + " " : ""; }

  // What `pid` of this host left in the directories and on the server.
  std::vector<Leftover> left_by(long pid) {
    return migtest::test::left_by(pid, tmp_, tmp_ + "/templates", url_);
  }

  // The process under test, started (and, at a fault point, killing itself).
  std::unique_ptr<Process> start() {
    const KillCase& c = GetParam();
    std::string env = env_;
    if (c.point == Point::database_created) env += " MIGTEST_KILL_AT=database-created";
    if (c.point == Point::template_built) env += " MIGTEST_KILL_AT=template-built";
    const std::string hang = shell_quote(migtest::test::testdb_data("hang"));
    if (c.program == "template") {
      // A history of its own (the nonce) so that a build happens; `hang` for mid-migration.
      const std::string args = c.point == Point::mid_migration
                                   ? "template " + backend() + " " + hang
                                   : "counting " + backend();
      return std::make_unique<Process>(MIGTEST_TESTDB_CHILD, args, migtest::test::combined(env));
    }
    return std::make_unique<Process>(MIGTEST_EXE,
                                     url_option() + "--migrations " + hang + " " + c.program,
                                     migtest::test::combined(env));
  }

  // Inside the revision that never ends: the first revision's table is there (SQLite), or
  // its pg_sleep runs (PostgreSQL), in a temporary database of `pid`.
  bool inside_the_endless_revision(long pid) {
    for (const auto& l : left_by(pid)) {
      try {
        if (l.kind == "file") {
          migtest::ConnectOptions o;
          o.create = false;
          o.read_only = true;
          if (migtest::connect("sqlite:///" + l.name, o)
                  ->scalar("SELECT count(*) FROM sqlite_master WHERE name = 't1'")
                  .as_int() == 1) {
            return true;
          }
        } else if (migtest::connect(url_)
                       ->scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND "
                                "state = 'active' AND query LIKE '%pg_sleep%'",
                                {l.name})
                       .as_int() == 1) {
          return true;
        }
      } catch (const migtest::error&) {
        // Not readable yet (being created, locked): look again.
      }
    }
    return false;
  }

  migtest::test::Output reap(Reaper reaper) {
    const std::string blog = shell_quote(migtest::test::blog_migrations());
    switch (reaper) {
      case Reaper::history:
        return migtest::test::run_program(MIGTEST_EXE, "--migrations " + blog + " history",
                                          migtest::test::combined(env_));
      case Reaper::current:
        return migtest::test::run_program(
            MIGTEST_EXE, "--url " + shell_quote(migtest::with_database(url_, app())) + " current",
            migtest::test::combined(env_));
      case Reaper::verify:
        return migtest::test::run_program(MIGTEST_EXE,
                                          url_option() + "--migrations " + blog + " verify",
                                          migtest::test::combined(env_));
      case Reaper::fixture:
        return migtest::test::run_program(MIGTEST_TESTDB_CHILD,
                                          "template " + backend() + " " + blog,
                                          migtest::test::combined(env_));
    }
    return {};
  }

  // A user's database for `migtest current` to talk to.
  const std::string& app() {
    if (app_.empty()) {
      app_ = "kill_app_" + migtest::detail::random_hex8();
      migtest::connect(url_)->execute("CREATE DATABASE " + app_);
    }
    return app_;
  }

  TempDir dir_;
  std::string tmp_, env_, url_, app_;
};

TEST_P(KillTest, TheNextMigtestProcessReapsEverythingTheKilledOneLeft) {
  const KillCase& c = GetParam();
  // A live process's databases (this one's), there before and after.
  TemporaryDatabase live_file = TemporaryDatabase::sqlite(tmp_);
  std::unique_ptr<TemporaryDatabase> live_database;
  if (postgres())
    live_database = std::make_unique<TemporaryDatabase>(TemporaryDatabase::postgresql(url_));

  auto process = start();
  const long pid = process->pid();
  if (c.point == Point::mid_migration) {
    ASSERT_TRUE(process->wait_until([&] { return inside_the_endless_revision(pid); }))
        << "never reached the endless revision:\n"
        << process->out();
    process->kill();
  }
  ASSERT_TRUE(process->wait()) << "not killed: exit " << process->exit_code() << "\n"
                               << process->out();

  const auto before = left_by(pid);
  ASSERT_FALSE(before.empty()) << "the kill left nothing: the point is not where the test thinks";
  for (const auto& l : before) {
    std::cout << "left by the killed process " << pid << ": " << l.kind << " " << l.name << "\n";
  }
  if (postgres() && c.point == Point::database_created) {
    // The defect's case: killed between CREATE DATABASE and the COMMENT that marks it.
    auto admin = migtest::connect(url_);
    for (const auto& l : before) {
      EXPECT_EQ(admin
                    ->scalar("SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM "
                             "pg_database WHERE datname = $1",
                             {l.name})
                    .as_text(),
                "")
          << l.name;
    }
  }
  if (postgres() && c.reaper == Reaper::current) {
    // A command that has no server opens no connection to reap one.
    const auto history = reap(Reaper::history);
    EXPECT_EQ(history.code, 0) << history.out;
    EXPECT_EQ(left_by(pid).size(), before.size());
  }

  const auto reaper = reap(c.reaper);
  EXPECT_EQ(reaper.code, 0) << reaper.out;
  for (const auto& l : left_by(pid)) ADD_FAILURE() << "not reaped: " << l.kind << " " << l.name;
  EXPECT_TRUE(fs::exists(live_file.name()));
  EXPECT_EQ(live_file.connect()->scalar("SELECT 1").as_int(), 1);
  if (live_database) {
    EXPECT_EQ(live_database->connect()->scalar("SELECT 1").as_int(), 1);
  }
}

const KillCase kCases[] = {
    {"TemplateBuild_DatabaseCreated_sqlite", Backend::sqlite, "template", Point::database_created,
     Reaper::history},
    {"TemplateBuild_MidMigration_sqlite", Backend::sqlite, "template", Point::mid_migration,
     Reaper::fixture},
    {"TemplateBuild_Built_sqlite", Backend::sqlite, "template", Point::template_built,
     Reaper::history},
    {"Verify_DatabaseCreated_sqlite", Backend::sqlite, "verify", Point::database_created,
     Reaper::fixture},
    {"Verify_MidWalk_sqlite", Backend::sqlite, "verify", Point::mid_migration, Reaper::history},
    {"Check_MidRun_sqlite", Backend::sqlite, "check", Point::mid_migration, Reaper::fixture},
    {"TemplateBuild_DatabaseCreated_postgresql", Backend::postgresql, "template",
     Point::database_created, Reaper::current},
    {"TemplateBuild_MidMigration_postgresql", Backend::postgresql, "template", Point::mid_migration,
     Reaper::verify},
    {"TemplateBuild_Built_postgresql", Backend::postgresql, "template", Point::template_built,
     Reaper::fixture},
    {"Verify_DatabaseCreated_postgresql", Backend::postgresql, "verify", Point::database_created,
     Reaper::fixture},
    {"Verify_MidWalk_postgresql", Backend::postgresql, "verify", Point::mid_migration,
     Reaper::current},
    {"Check_MidRun_postgresql", Backend::postgresql, "check", Point::mid_migration, Reaper::verify},
};

INSTANTIATE_TEST_SUITE_P(Points, KillTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<KillCase>& kill) {
                           return kill.param.name;
                         });

// ---- MIGTEST_REAP=0 ------------------------------------------------------------------------

TEST(Reaping, MigtestReapZeroTurnsItOffForCommands) {
  TempDir dir;
  // Pid 2^22+1 never runs (pids stop at 2^22): a dead owner of this host.
  const std::string left = dir / ("tmp/migtest_00c0ffee_" + migtest::detail::Owner::this_host() +
                                  "_4194305_" + migtest::detail::random_hex8() + ".db");
  dir.mkdir("tmp");
  std::ofstream(left) << "x";
  const std::string env = "MIGTEST_TMPDIR=" + shell_quote(dir / "tmp");
  const std::string args =
      "--migrations " + shell_quote(migtest::test::blog_migrations()) + " history";
  EXPECT_EQ(migtest::test::run_program(MIGTEST_EXE, args,
                                       migtest::test::combined(env + " MIGTEST_REAP=0"))
                .code,
            0);
  EXPECT_TRUE(fs::exists(left));
  EXPECT_EQ(migtest::test::run_program(MIGTEST_EXE, args, migtest::test::combined(env)).code, 0);
  EXPECT_FALSE(fs::exists(left));
}

}  // namespace
