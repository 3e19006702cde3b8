// The cache's lifecycle: list shows what is kept, prune removes what is stale, clear removes
// everything; none of them touches what is in use, another user's, or another directory's;
// the first process of the day prunes automatically unless MIGTEST_CACHE_MAX_AGE=0.
#include "testdb/cache.hpp"

#include <gmock/gmock.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <optional>
#include <regex>

#include "cache_support.hpp"
#include "file_lock.hpp"
#include "migtest/testdb.hpp"
#include "testdb/pool.hpp"
#include "testdb/template.hpp"
#include "testdb_support.hpp"

namespace fs = boost::filesystem;
using migtest::Backend;
using migtest::CacheEntry;
using migtest::CacheKind;
using migtest::test::TempDir;
using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

namespace {

constexpr std::chrono::hours kWeek{24 * 7};

// The blog history (a copy of its own, see unique_blog_history) on `backend`, its copies
// and templates in `dir`.
migtest::detail::TemplateSpec blog_spec(Backend backend, const TempDir& dir,
                                        const std::string& server_url = "") {
  migtest::detail::TemplateSpec spec;
  spec.backend = backend;
  spec.history = migtest::detail::TemplateHistory::of(
      migtest::load_history(migtest::test::unique_blog_history(dir / "history")));
  spec.temp_directory = dir / "tmp";
  spec.cache_directory = dir / "cache";
  spec.server_url = server_url;
  return spec;
}

std::vector<std::string> names(const std::vector<CacheEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(fs::path(e.name).filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

const CacheEntry* find(const std::vector<CacheEntry>& entries, const std::string& name) {
  for (const auto& e : entries) {
    if (fs::path(e.name).filename().string() == name) return &e;
  }
  return nullptr;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The testdb child (a process of its own, as under ctest) acquiring the template of
// `history` with `env`'s directories, server and settings.
migtest::test::Output acquire(const std::string& backend, const std::string& history,
                              const std::string& env) {
  return migtest::test::run_program(
      MIGTEST_TESTDB_CHILD, "template " + backend + " " + migtest::test::shell_quote(history),
      migtest::test::combined(env));
}

std::string cache_env(const TempDir& dir) {
  return "MIGTEST_TMPDIR=" + migtest::test::shell_quote(dir / "tmp") +
         " MIGTEST_CACHE_DIR=" + migtest::test::shell_quote(dir / "cache");
}

Clock::time_point mtime(const std::string& path) {
  return Clock::from_time_t(fs::last_write_time(path));
}

}  // namespace

TEST(CacheList, ShowsSqliteAndPostgresTemplatesWithTheirSizes) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  const auto sqlite = migtest::detail::Template::acquire(blog_spec(Backend::sqlite, dir));
  const auto postgres =
      migtest::detail::Template::acquire(blog_spec(Backend::postgresql, dir, role.url()));
  const std::string verify = migtest::test::make_cache_file(
      dir / "cache", migtest::test::verify_file(sqlite->key), 2, "[report]\nok = true\n");

  const auto before = Clock::now();
  const auto listed = migtest::list_cache(dir / "cache", role.url());
  ASSERT_EQ(listed.size(), 3u);
  // SQLite first, then PostgreSQL, then what belongs to no backend.
  const CacheEntry& file = listed[0];
  EXPECT_EQ(file.kind, CacheKind::template_database);
  EXPECT_EQ(file.backend, Backend::sqlite);
  EXPECT_EQ(file.name, sqlite->file);
  EXPECT_EQ(file.key16, sqlite->key.substr(0, 16));
  EXPECT_EQ(file.size, fs::file_size(sqlite->file));
  EXPECT_GT(file.size, 0u);
  ASSERT_TRUE(file.last_used);
  EXPECT_LT(before - *file.last_used, std::chrono::minutes(5));  // acquired just now
  EXPECT_FALSE(file.in_use);

  const CacheEntry& database = listed[1];
  EXPECT_EQ(database.kind, CacheKind::template_database);
  EXPECT_EQ(database.backend, Backend::postgresql);
  EXPECT_EQ(database.name, postgres->database);
  EXPECT_EQ(database.key16, postgres->key.substr(0, 16));
  const auto size =
      migtest::connect(url)->scalar("SELECT pg_database_size($1)", {postgres->database}).as_int();
  EXPECT_EQ(database.size, static_cast<std::uint64_t>(size));
  // Its use is recorded by the day: today, at the acquisition.
  EXPECT_THAT(migtest::test::database_comment(url, postgres->database),
              HasSubstr("; used=" + migtest::test::date_days_ago(0)));
  ASSERT_TRUE(database.last_used);
  EXPECT_EQ(migtest::detail::format_last_used(database), migtest::test::date_days_ago(0));
  EXPECT_FALSE(database.in_use);

  const CacheEntry& result = listed[2];
  EXPECT_EQ(result.kind, CacheKind::verification);
  EXPECT_FALSE(result.backend);
  EXPECT_EQ(result.name, verify);
  EXPECT_EQ(result.size, fs::file_size(verify));
  ASSERT_TRUE(result.last_used);
  EXPECT_LT(*result.last_used, before - std::chrono::hours(47));

  EXPECT_THAT(migtest::to_string(file), HasSubstr(sqlite->file));
  EXPECT_THAT(migtest::to_string(database), HasSubstr("template postgresql " + postgres->database));
  // Nothing but the cache is listed: the template's build lock, the copies' directory.
  EXPECT_EQ(migtest::list_cache(dir / "cache", ""), (std::vector<CacheEntry>{file, result}));
}

TEST(CachePrune, RemovesOnlyWhatWasUnusedForLongerThanTheAge) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  namespace t = migtest::test;
  const std::string cache = dir / "cache";
  const std::string old_key = t::random_key(), new_key = t::random_key(), unseen = t::random_key();
  t::make_cache_file(cache, t::template_file(old_key), 10);
  t::make_cache_file(cache, t::verify_file(old_key), 8);
  t::make_cache_file(cache, t::template_file(new_key), 6);
  t::make_cache_file(cache, t::verify_file(new_key), 0);
  const std::string old_tpl = t::make_template_database(role.url(), old_key, t::date_days_ago(8));
  const std::string old_pool = t::make_pool_database(role.url(), old_key);
  const std::string new_tpl = t::make_template_database(role.url(), new_key, t::date_days_ago(6));
  const std::string new_pool = t::make_pool_database(role.url(), new_key);
  const std::string orphan_pool = t::make_pool_database(role.url(), t::random_key());
  const std::string unseen_tpl = t::make_template_database(role.url(), unseen, "");

  const auto r = migtest::prune_cache(kWeek, cache, role.url());
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(r.kept_in_use.empty());
  EXPECT_EQ(names(r.removed), sorted({t::template_file(old_key), t::verify_file(old_key), old_tpl,
                                      old_pool, orphan_pool}));
  EXPECT_EQ(
      names(migtest::list_cache(cache, role.url())),
      sorted({t::template_file(new_key), t::verify_file(new_key), new_tpl, new_pool, unseen_tpl}));
  // A template whose use was never recorded starts its age now instead of going.
  EXPECT_THAT(t::database_comment(url, unseen_tpl), HasSubstr("; used=" + t::date_days_ago(0)));
  EXPECT_FALSE(t::database_exists(url, old_tpl));
  EXPECT_FALSE(fs::exists(cache + "/" + t::template_file(old_key)));

  // Five days: the six-day-old ones go too, today's stay.
  const auto again = migtest::prune_cache(std::chrono::hours(24 * 5), cache, role.url());
  EXPECT_EQ(names(again.removed), sorted({t::template_file(new_key), new_tpl, new_pool}));
  EXPECT_EQ(names(migtest::list_cache(cache, role.url())),
            sorted({t::verify_file(new_key), unseen_tpl}));
  EXPECT_THROW(migtest::prune_cache(std::chrono::seconds(0), cache, role.url()),
               migtest::config_error);
}

TEST(CacheClear, LeavesWhatIsInUseAndRemovesTheRest) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  namespace t = migtest::test;
  const std::string cache = dir / "cache";
  const std::string locked = t::random_key(), free = t::random_key();
  t::make_cache_file(cache, t::template_file(locked), 30);
  t::make_cache_file(cache, t::template_file(free), 30);
  t::make_cache_file(cache, t::verify_file(locked), 30);
  // A build (or a verification) holds the lock file: what FileLock takes.
  std::optional<migtest::detail::FileLock> build, verifying;
  build.emplace(cache + "/migtest_tpl_" + locked.substr(0, 16) + ".lock", 1000, "a test lock");
  verifying.emplace(cache + "/migtest_verify_" + locked.substr(0, 16) + ".lock", 1000,
                    "a test lock");

  const std::string connected =
      t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  const std::string copied = t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  const std::string unused = t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  const std::string claimed = t::make_pool_database(role.url(), t::random_key());
  const std::string ready = t::make_pool_database(role.url(), t::random_key());
  auto admin = migtest::connect(url);
  // A connection open to a template.
  admin->execute("ALTER DATABASE \"" + connected + "\" WITH ALLOW_CONNECTIONS true");
  auto user = migtest::connect(migtest::with_database(url, connected));
  // The lock CREATE DATABASE ... TEMPLATE holds on its template while it copies.
  auto copier = migtest::connect(url);
  copier->begin();
  copier->execute("COMMENT ON DATABASE \"" + copied + "\" IS 'migtest template; key=copy'");
  // A process's claim on a pool database: its session holds the advisory lock.
  auto claimer = migtest::connect(url);
  claimer->execute("SELECT pg_advisory_lock($1)",
                   {static_cast<long long>(migtest::detail::pool_lock_key(claimed))});

  const auto listed = migtest::list_cache(cache, role.url());
  for (const auto& name :
       {t::template_file(locked), t::verify_file(locked), connected, copied, claimed}) {
    ASSERT_TRUE(find(listed, name)) << name;
    EXPECT_TRUE(find(listed, name)->in_use) << name;
  }
  for (const auto& name : {t::template_file(free), unused, ready}) {
    ASSERT_TRUE(find(listed, name)) << name;
    EXPECT_FALSE(find(listed, name)->in_use) << name;
  }

  const auto r = migtest::clear_cache(cache, role.url());
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(names(r.removed), sorted({t::template_file(free), unused, ready}));
  EXPECT_EQ(names(r.kept_in_use),
            sorted({t::template_file(locked), t::verify_file(locked), connected, copied, claimed}));
  EXPECT_EQ(names(migtest::list_cache(cache, role.url())), names(r.kept_in_use));
  EXPECT_TRUE(fs::exists(cache + "/migtest_tpl_" + locked.substr(0, 16) + ".lock"));
  EXPECT_FALSE(fs::exists(cache + "/migtest_tpl_" + free.substr(0, 16) + ".lock"));
  EXPECT_EQ(user->scalar("SELECT 1").as_int(), 1);  // its connection was not ended

  // Once nothing uses them, they go.
  user.reset();
  copier->rollback();
  claimer.reset();
  build.reset();
  verifying.reset();
  std::vector<CacheEntry> kept;
  for (int i = 0; i < 100; ++i) {  // a closed session leaves pg_stat_activity soon after
    kept = migtest::clear_cache(cache, role.url()).kept_in_use;
    if (kept.empty()) break;
    ::usleep(50 * 1000);
  }
  EXPECT_EQ(names(kept), std::vector<std::string>{});
  EXPECT_EQ(names(migtest::list_cache(cache, role.url())), std::vector<std::string>{});
}

TEST(CacheClear, LeavesAnotherUsersAndAnotherDirectorysEntriesAlone) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole mine(url), theirs(url);
  TempDir dir;
  namespace t = migtest::test;
  const std::string cache = dir / "cache", other_cache = dir / "other";
  const std::string key = t::random_key();
  t::make_cache_file(cache, t::template_file(key), 30);
  const std::string elsewhere = t::make_cache_file(other_cache, t::template_file(key), 30);
  // Files that only look like the cache's, and files that are not the cache's at all.
  const std::string lookalike = t::make_cache_file(cache, "migtest_tpl_0123.db", 30);
  const std::string notes = t::make_cache_file(cache, "notes.txt", 30);
  const std::string stamp = t::make_cache_file(cache, migtest::detail::kPruneStamp, 30);
  std::string foreign;
  if (::geteuid() == 0) {  // only root can give a file away: another user's, in a shared dir
    foreign = t::make_cache_file(cache, t::template_file(t::random_key()), 30);
    ASSERT_EQ(::chown(foreign.c_str(), 65534, 65534), 0);
  }
  const std::string mine_tpl = t::make_template_database(mine.url(), t::random_key(), "2001-01-01");
  const std::string their_tpl =
      t::make_template_database(theirs.url(), t::random_key(), "2001-01-01");
  const std::string their_pool = t::make_pool_database(theirs.url(), t::random_key());
  // Named like the cache's, but not marked as migtest's.
  const std::string unmarked = "migtest_tpl_" + t::random_key().substr(0, 16);
  t::create_commented_database(mine.url(), unmarked, "the team's own database");

  // Another role's databases are not listed (nor tried: the server would refuse to drop them).
  EXPECT_EQ(names(migtest::list_cache("", mine.url())), std::vector<std::string>{mine_tpl});
  const auto r = migtest::clear_cache(cache, mine.url());
  EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_EQ(names(r.removed), sorted({t::template_file(key), mine_tpl}));
  for (const auto& f : {elsewhere, lookalike, notes, stamp, foreign}) {
    if (!f.empty()) {
      EXPECT_TRUE(fs::exists(f)) << f;
    }
  }
  EXPECT_TRUE(t::database_exists(url, their_tpl));
  EXPECT_TRUE(t::database_exists(url, their_pool));
  EXPECT_TRUE(t::database_exists(url, unmarked));
  EXPECT_EQ(names(migtest::list_cache("", theirs.url())), sorted({their_tpl, their_pool}));
}

TEST(CacheAutoPrune, TheFirstSqliteUseOfTheDayPrunesTheDirectory) {
  TempDir dir;
  const std::string history = migtest::test::unique_blog_history(dir / "history");
  namespace t = migtest::test;
  const std::string cache = dir / "cache";
  const std::string env = cache_env(dir);
  const std::string stale = t::make_cache_file(cache, t::template_file(t::random_key()), 8);
  const std::string recent = t::make_cache_file(cache, t::verify_file(t::random_key()), 6);
  const std::string stamp = cache + "/" + migtest::detail::kPruneStamp;

  auto first = acquire("sqlite", history, env);
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(recent));
  EXPECT_THAT(first.out, HasSubstr("pruned 1 cache entry"));
  ASSERT_TRUE(fs::exists(stamp));

  // The stamp is a day old at most: the next process does not look again.
  const std::string later = t::make_cache_file(cache, t::template_file(t::random_key()), 8);
  auto second = acquire("sqlite", history, env);
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_TRUE(fs::exists(later));
  // A day later it does.
  fs::last_write_time(stamp, std::time(nullptr) - 25 * 3600);
  auto next_day = acquire("sqlite", history, env);
  ASSERT_EQ(next_day.code, 0) << next_day.out;
  EXPECT_FALSE(fs::exists(later));
  EXPECT_TRUE(fs::exists(recent));
  EXPECT_GT(fs::last_write_time(stamp), std::time(nullptr) - 3600);
}

TEST(CacheAutoPrune, EveryProcessRecordsItsUseOfASqliteTemplate) {
  TempDir dir;
  const std::string history = migtest::test::unique_blog_history(dir / "history");
  const std::string env = cache_env(dir);
  auto first = acquire("sqlite", history, env);
  ASSERT_EQ(first.code, 0) << first.out;
  const auto listed = migtest::list_cache(dir / "cache", "");
  ASSERT_EQ(listed.size(), 1u);
  const std::string file = listed[0].name;
  fs::last_write_time(file, std::time(nullptr) - 30 * 24 * 3600);
  auto second = acquire("sqlite", history, env);
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_LT(Clock::now() - mtime(file), std::chrono::minutes(5));
  // A lone template needs no stamp: nothing else could be stale.
  EXPECT_FALSE(fs::exists(dir / "cache/" + std::string(migtest::detail::kPruneStamp)));
}

TEST(CacheAutoPrune, MaxAgeZeroTurnsItOff) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  const std::string history = migtest::test::unique_blog_history(dir / "history");
  namespace t = migtest::test;
  const std::string cache = dir / "cache";
  const std::string stale_file = t::make_cache_file(cache, t::template_file(t::random_key()), 400);
  const std::string stale_tpl =
      t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  const std::string env = cache_env(dir) + " MIGTEST_CACHE_MAX_AGE=0 MIGTEST_POSTGRES_URL=" +
                          t::shell_quote(role.url());
  for (const char* backend : {"sqlite", "postgresql"}) {
    auto o = acquire(backend, history, env);
    ASSERT_EQ(o.code, 0) << o.out;
  }
  EXPECT_TRUE(fs::exists(stale_file));
  EXPECT_FALSE(fs::exists(cache + "/" + migtest::detail::kPruneStamp));
  EXPECT_TRUE(t::database_exists(url, stale_tpl));
  // The uses are still recorded, for a later prune.
  const auto listed = migtest::list_cache(cache, role.url());
  ASSERT_EQ(listed.size(), 4u);
  for (const auto& e : listed) {
    if (e.name != stale_file && e.name != stale_tpl) {
      EXPECT_EQ(migtest::detail::format_last_used(e).substr(0, 10), t::date_days_ago(0)) << e.name;
    }
  }
  // A malformed setting prunes nothing either, and says so.
  const std::string bad = cache_env(dir) + " MIGTEST_CACHE_MAX_AGE=soon";
  auto o = acquire("sqlite", history, bad);
  ASSERT_EQ(o.code, 0) << o.out;
  EXPECT_THAT(o.out, HasSubstr("MIGTEST_CACHE_MAX_AGE: 'soon' is not an age"));
  EXPECT_TRUE(fs::exists(stale_file));
}

TEST(CacheAutoPrune, TheFirstPostgresUseOfATemplateEachDayPrunesTheServer) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  const std::string history = migtest::test::unique_blog_history(dir / "history");
  namespace t = migtest::test;
  const std::string env = cache_env(dir) + " MIGTEST_POSTGRES_URL=" + t::shell_quote(role.url());
  const std::string stale = t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  const std::string stale_pool = t::make_pool_database(role.url(), t::random_key());
  const std::string recent =
      t::make_template_database(role.url(), t::random_key(), t::date_days_ago(3));

  auto first = acquire("postgresql", history, env);  // builds the template: its first use
  ASSERT_EQ(first.code, 0) << first.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first.out, m, std::regex("template (migtest_tpl_[0-9a-f]+)")));
  const std::string blog = m[1].str();
  EXPECT_FALSE(t::database_exists(url, stale));
  EXPECT_FALSE(t::database_exists(url, stale_pool));
  EXPECT_TRUE(t::database_exists(url, recent));
  EXPECT_THAT(t::database_comment(url, blog), HasSubstr("; used=" + t::date_days_ago(0)));

  // Its use is recorded for today: later processes only read it.
  const std::string later = t::make_template_database(role.url(), t::random_key(), "2001-01-01");
  auto second = acquire("postgresql", history, env);
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_TRUE(t::database_exists(url, later));
  // The next day's first process records it again, and prunes.
  auto admin = migtest::connect(url);
  const std::string comment = t::database_comment(url, blog);
  admin->execute(
      "COMMENT ON DATABASE " + blog + " IS '" +
      std::regex_replace(comment, std::regex("used=[0-9-]+"), "used=" + t::date_days_ago(1)) + "'");
  auto next_day = acquire("postgresql", history, env);
  ASSERT_EQ(next_day.code, 0) << next_day.out;
  EXPECT_FALSE(t::database_exists(url, later));
  EXPECT_TRUE(t::database_exists(url, recent));
  EXPECT_THAT(t::database_comment(url, blog), HasSubstr("; used=" + t::date_days_ago(0)));
}

// Several roles may share one server: a template another role built is used as it is, its
// use left for its owner to record.
TEST(CacheAutoPrune, AnotherRolesTemplateIsUsedWithoutRecordingOrComplaint) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  migtest::test::OwnRole role(url);
  TempDir dir;
  namespace t = migtest::test;
  auto spec = blog_spec(Backend::postgresql, dir, url);
  const auto theirs = migtest::detail::Template::acquire(spec);  // built by the server's superuser
  auto admin = migtest::connect(url);
  const std::string comment = std::regex_replace(t::database_comment(url, theirs->database),
                                                 std::regex("used=[0-9-]+"), "used=2001-01-01");
  admin->execute("COMMENT ON DATABASE " + theirs->database + " IS '" + comment + "'");

  spec.server_url = role.url();
  ::testing::internal::CaptureStderr();
  const auto used = migtest::detail::Template::acquire(spec);
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(used->database, theirs->database);
  EXPECT_EQ(said, "");
  EXPECT_EQ(t::database_comment(url, theirs->database), comment);
  admin->execute("ALTER DATABASE " + theirs->database + " WITH IS_TEMPLATE false");
  admin->execute("DROP DATABASE " + theirs->database);
}

TEST(CacheAge, ParsesAnAgeWithItsUnitAndRefusesAnythingElse) {
  using std::chrono::hours;
  EXPECT_EQ(migtest::parse_age("45s"), std::chrono::seconds(45));
  EXPECT_EQ(migtest::parse_age("30m"), std::chrono::minutes(30));
  EXPECT_EQ(migtest::parse_age("12h"), hours(12));
  EXPECT_EQ(migtest::parse_age("7d"), hours(24 * 7));
  EXPECT_EQ(migtest::parse_age("2w"), hours(24 * 14));
  EXPECT_EQ(migtest::parse_age("0"), std::chrono::seconds(0));
  for (const char* bad : {"", "7", "d", "7x", "-1d", "1.5d", "7 d", "7dd", "9999999999d"}) {
    try {
      migtest::parse_age(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const migtest::config_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::string("'") + bad + "' is not an age"));
    }
  }
  ::unsetenv("MIGTEST_CACHE_MAX_AGE");
  EXPECT_EQ(migtest::cache_max_age(), kWeek);
  ::setenv("MIGTEST_CACHE_MAX_AGE", "36h", 1);
  EXPECT_EQ(migtest::cache_max_age(), hours(36));
  ::setenv("MIGTEST_CACHE_MAX_AGE", "week", 1);
  EXPECT_THROW(
      {
        try {
          migtest::cache_max_age();
        } catch (const migtest::config_error& e) {
          EXPECT_THAT(e.what(), HasSubstr("MIGTEST_CACHE_MAX_AGE: 'week'"));
          EXPECT_TRUE(e.cause()) << "the age's own error is the cause";
          throw;
        }
      },
      migtest::config_error);
  ::unsetenv("MIGTEST_CACHE_MAX_AGE");
}
