// Scratch databases (verify, check, revision --autogenerate): temporary databases whose name
// says whose they are from the moment they exist, made next to a user's own database without
// touching it, and gone with their object.
#include "testdb/scratch.hpp"

#include <boost/filesystem.hpp>
#include <cstdlib>

#include "migtest/url.hpp"
#include "testdb/name.hpp"
#include "testdb/owner.hpp"
#include "testdb_support.hpp"

namespace fs = boost::filesystem;
using migtest::detail::Owner;
using migtest::detail::ScratchDatabase;
using migtest::detail::TemporaryName;
using migtest::test::TempDir;

namespace {

// MIGTEST_TMPDIR set for one test.
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const std::string& path) {
    const char* v = std::getenv("MIGTEST_TMPDIR");
    saved_ = v ? v : "";
    had_ = v != nullptr;
    setenv("MIGTEST_TMPDIR", path.c_str(), 1);
  }
  ~TemporaryDirectory() {
    if (had_) {
      setenv("MIGTEST_TMPDIR", saved_.c_str(), 1);
    } else {
      unsetenv("MIGTEST_TMPDIR");
    }
  }

 private:
  std::string saved_;
  bool had_ = false;
};

}  // namespace

TEST(ScratchSqlite, AFileNamedForItsOwnerInTheTemporaryDirectory) {
  TempDir dir;
  TemporaryDirectory tmp(dir / "tmp");
  std::string path;
  {
    ScratchDatabase scratch("sqlite:///never-touched.db", "check");
    path = scratch.location();
    EXPECT_EQ(fs::path(path).parent_path().string(), fs::absolute(dir / "tmp").string());
    const auto name = TemporaryName::parse(fs::path(path).filename().string());
    ASSERT_TRUE(name) << path;
    EXPECT_EQ(name->tag(), "check");
    EXPECT_EQ(name->owner().pid(), ::getpid());
    EXPECT_EQ(name->owner().host(), Owner::this_host());
    EXPECT_EQ(scratch.dialect(), migtest::Dialect::sqlite);
    EXPECT_EQ(scratch.description(), "temporary database");
    scratch.connection().execute("CREATE TABLE t (x INTEGER)");
    EXPECT_EQ(scratch.connection().scalar("PRAGMA synchronous").as_int(), 0);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists("never-touched.db"));
  EXPECT_TRUE(fs::is_empty(dir / "tmp"));
}

TEST(ScratchPostgres, ADatabaseNamedForItsOwnerNextToAUsersDatabase) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  // The user's database holds tables: scratch databases are made on its server all the same
  // (fixtures refuse such a URL; verify is given the application's URL).
  auto admin = migtest::connect(url);
  const std::string app = "scratch_app_" + migtest::detail::random_hex8();
  admin->execute("CREATE DATABASE " + app);
  const std::string app_url = migtest::with_database(url, app);
  migtest::connect(app_url)->execute("CREATE TABLE customers (id integer)");
  std::string name;
  {
    ScratchDatabase scratch(app_url);
    name = scratch.location();
    const auto parsed = TemporaryName::parse(name);
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(parsed->tag(), "verify");
    EXPECT_EQ(parsed->owner().pid(), ::getpid());
    EXPECT_EQ(scratch.dialect(), migtest::Dialect::postgresql);
    EXPECT_EQ(scratch.description(),
              "temporary database " + name + " on " + migtest::redact(app_url));
    EXPECT_EQ(admin
                  ->scalar("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
                           "datname = $1",
                           {name})
                  .as_text()
                  .rfind("migtest verify scratch database; host=", 0),
              0u);
    EXPECT_EQ(scratch.connection().scalar("SHOW synchronous_commit").as_text(), "off");
    scratch.connection().execute("CREATE TABLE t (x integer)");
  }
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).as_int(),
            0);
  EXPECT_EQ(migtest::connect(app_url)->scalar("SELECT count(*) FROM customers").as_int(), 0);
  admin->execute("DROP DATABASE " + app + " WITH (FORCE)");
}

TEST(ScratchPostgres, ReapsWhatDeadProcessesLeftOnTheServerFirst) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  // A URL of its own: the process reaps each server URL once.
  const std::string server =
      url + (url.find('?') == std::string::npos ? "?" : "&") + "application_name=scratch_reap_test";
  auto admin = migtest::connect(url);
  // Unmarked (killed before its COMMENT), owned by a pid that never runs (pids stop at 2^22).
  const std::string dead =
      "migtest_verify_" + Owner::this_host() + "_4194305_" + migtest::detail::random_hex8();
  admin->execute("CREATE DATABASE " + dead);
  ScratchDatabase scratch(server);
  EXPECT_EQ(admin->scalar("SELECT count(*) FROM pg_database WHERE datname = $1", {dead}).as_int(),
            0);
}
