// migtest cache list|prune|clear through the real binary: what the cache keeps in a directory
// and on a server, what goes, and what stays because something uses it.
#include "testdb/cache.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <optional>
#include <regex>

#include "file_lock.hpp"
#include "migtest/testdb.hpp"
#include "support/files.hpp"
#include "support/leak.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"
#include "testdb/cache_support.hpp"
#include "testdb/pool.hpp"
#include "testdb/template.hpp"

namespace fs = boost::filesystem;
using migtest::test::run_migtest;
using migtest::test::shell_quote;
using migtest::test::TempDir;
using ::testing::HasSubstr;
namespace t = migtest::test;

namespace {

// `migtest cache ARGS` on `cache`'s directory and the server of `url` ("": no server at all).
t::Output cache_command(const std::string& args, const TempDir& dir, const std::string& url,
                        const std::string& env = "") {
  const std::string server = url.empty() ? "" : " --url " + shell_quote(url);
  return run_migtest("cache " + args + " --cache-dir " + shell_quote(dir / "cache") + server,
                     dir.path(), "-u MIGTEST_POSTGRES_URL -u MIGTEST_CACHE_MAX_AGE " + env);
}

// The stdout line naming `name`, "" when none does.
std::string line_of(const std::string& out, const std::string& name) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.find(name) != std::string::npos) return line;
  }
  return "";
}

std::string cache_of(const TempDir& dir) { return dir / "cache"; }

}  // namespace

TEST(CacheCommand, ListShowsSqliteAndPostgresTemplatesWithTheirSizes) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  t::OwnRole role(url);
  TempDir dir;
  migtest::detail::TemplateSpec spec;
  spec.history = migtest::detail::TemplateHistory::of(
      migtest::load_history(t::unique_blog_history(dir / "history")));
  spec.temp_directory = dir / "tmp";
  spec.cache_directory = cache_of(dir);
  const auto sqlite = migtest::detail::Template::acquire(spec);
  spec.backend = migtest::Backend::postgresql;
  spec.server_url = role.url();
  const auto postgres = migtest::detail::Template::acquire(spec);

  const auto r = cache_command("list", dir, role.url());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("KIND"));
  EXPECT_THAT(line_of(r.out, "KIND"),
              ::testing::MatchesRegex("KIND +NAME +BACKEND +SIZE +LAST USED \\(UTC\\) +IN USE"));
  const std::string file_size = migtest::detail::human_size(fs::file_size(sqlite->file));
  EXPECT_THAT(
      line_of(r.out, fs::path(sqlite->file).filename().string()),
      ::testing::MatchesRegex("template +migtest_tpl_[0-9a-f]{16}\\.db +sqlite +" + file_size +
                              " +" + t::date_days_ago(0) + " [0-9]{2}:[0-9]{2} +no"));
  const auto bytes =
      migtest::connect(url)->scalar("SELECT pg_database_size($1)", {postgres->database}).as_int();
  EXPECT_THAT(line_of(r.out, postgres->database),
              ::testing::MatchesRegex("template +" + postgres->database + " +postgresql +" +
                                      migtest::detail::human_size(bytes) + " +" +
                                      t::date_days_ago(0) + " +no"));
  EXPECT_THAT(r.err, HasSubstr("2 entries"));
  EXPECT_THAT(r.err, HasSubstr(cache_of(dir)));

  // The global --url before the command, or the configured URL, names the server as well.
  const auto before = run_migtest(
      "--url " + shell_quote(role.url()) + " cache list --cache-dir " + shell_quote(cache_of(dir)),
      dir.path(), "-u MIGTEST_POSTGRES_URL");
  EXPECT_EQ(before.out, r.out);
  dir.write("migtest.toml", "url = \"" + role.url() + "\"\n");
  const auto configured = run_migtest("cache list --cache-dir " + shell_quote(cache_of(dir)),
                                      dir.path(), "-u MIGTEST_POSTGRES_URL");
  EXPECT_EQ(configured.out, r.out);
}

TEST(CacheCommand, PruneRemovesWhatWasUnusedForLongerThanTheAge) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  t::OwnRole role(url);
  TempDir dir;
  const std::string old_key = t::random_key(), new_key = t::random_key();
  const std::string old_file = t::make_cache_file(cache_of(dir), t::template_file(old_key), 9);
  const std::string new_file = t::make_cache_file(cache_of(dir), t::template_file(new_key), 4);
  const std::string old_tpl = t::make_template_database(role.url(), old_key, t::date_days_ago(9));
  const std::string old_pool = t::make_pool_database(role.url(), old_key);
  const std::string new_tpl = t::make_template_database(role.url(), new_key, t::date_days_ago(4));

  const auto week = cache_command("prune --older-than 7d", dir, role.url());
  ASSERT_EQ(week.code, 0) << week.err;
  for (const auto& name : {t::template_file(old_key), old_tpl, old_pool}) {
    EXPECT_THAT(line_of(week.out, name), ::testing::StartsWith("removed")) << week.out;
  }
  EXPECT_EQ(line_of(week.out, t::template_file(new_key)), "");
  EXPECT_EQ(line_of(week.out, new_tpl), "");
  EXPECT_THAT(week.err, HasSubstr("removed 3 entries"));
  EXPECT_FALSE(fs::exists(old_file));
  EXPECT_FALSE(t::database_exists(url, old_tpl));
  EXPECT_FALSE(t::database_exists(url, old_pool));
  EXPECT_TRUE(fs::exists(new_file));
  EXPECT_TRUE(t::database_exists(url, new_tpl));

  // Without --older-than: MIGTEST_CACHE_MAX_AGE.
  const auto three_days = cache_command("prune", dir, role.url(), "MIGTEST_CACHE_MAX_AGE=3d");
  ASSERT_EQ(three_days.code, 0) << three_days.err;
  EXPECT_THAT(three_days.err, HasSubstr("removed 2 entries"));
  EXPECT_FALSE(fs::exists(new_file));
  EXPECT_FALSE(t::database_exists(url, new_tpl));
}

TEST(CacheCommand, ClearLeavesWhatIsInUseAndAnotherUsersDatabases) {
  MIGTEST_REQUIRE_POSTGRES_URL(url);
  t::OwnRole role(url), other(url);
  TempDir dir;
  const std::string held = t::random_key(), free = t::random_key();
  t::make_cache_file(cache_of(dir), t::template_file(held), 1);
  const std::string free_file = t::make_cache_file(cache_of(dir), t::verify_file(free), 1);
  std::optional<migtest::detail::FileLock> build;
  build.emplace(cache_of(dir) + "/migtest_tpl_" + held.substr(0, 16) + ".lock", 1000,
                "a test lock");
  const std::string connected = t::make_template_database(role.url(), t::random_key(), "");
  const std::string unused = t::make_template_database(role.url(), t::random_key(), "");
  const std::string claimed = t::make_pool_database(role.url(), t::random_key());
  const std::string theirs = t::make_template_database(other.url(), t::random_key(), "2001-01-01");
  auto admin = migtest::connect(url);
  admin->execute("ALTER DATABASE " + connected + " WITH ALLOW_CONNECTIONS true");
  auto user = migtest::connect(migtest::with_database(url, connected));
  auto claimer = migtest::connect(url);
  claimer->execute("SELECT pg_advisory_lock($1)",
                   {static_cast<long long>(migtest::detail::pool_lock_key(claimed))});

  const auto r = cache_command("clear", dir, role.url());
  ASSERT_EQ(r.code, 0) << r.err;
  for (const auto& name : {t::template_file(held), connected, claimed}) {
    EXPECT_THAT(line_of(r.out, name), ::testing::MatchesRegex("kept .* in use")) << r.out;
  }
  for (const auto& name : {t::verify_file(free), unused}) {
    EXPECT_THAT(line_of(r.out, name), ::testing::StartsWith("removed")) << r.out;
  }
  EXPECT_THAT(r.err, HasSubstr("removed 2 entries"));
  EXPECT_THAT(r.err, HasSubstr("kept 3 in use"));
  EXPECT_FALSE(fs::exists(free_file));
  EXPECT_TRUE(fs::exists(cache_of(dir) + "/" + t::template_file(held)));
  EXPECT_TRUE(t::database_exists(url, connected));
  EXPECT_TRUE(t::database_exists(url, claimed));
  EXPECT_FALSE(t::database_exists(url, unused));
  EXPECT_TRUE(t::database_exists(url, theirs));
  EXPECT_EQ(line_of(r.out, theirs), "");
}

TEST(CacheCommand, RefusesAnAgeItCannotRead) {
  TempDir dir;
  const auto bad = cache_command("prune --older-than 3x", dir, "");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err,
            "error: --older-than: '3x' is not an age: write a number and a unit (s, m, h, d or w), "
            "e.g. 12h or 7d\n");
  const auto zero = cache_command("prune --older-than 0", dir, "");
  EXPECT_EQ(zero.code, 2);
  EXPECT_THAT(zero.err, HasSubstr("migtest cache clear"));
  const auto off = cache_command("prune", dir, "", "MIGTEST_CACHE_MAX_AGE=0");
  EXPECT_EQ(off.code, 2);
  EXPECT_THAT(off.err, HasSubstr("MIGTEST_CACHE_MAX_AGE=0 turns pruning off"));
  const auto env = cache_command("prune", dir, "", "MIGTEST_CACHE_MAX_AGE=fortnight");
  EXPECT_EQ(env.code, 2);
  EXPECT_THAT(env.err, HasSubstr("MIGTEST_CACHE_MAX_AGE: 'fortnight' is not an age"));
  const auto none = cache_command("", dir, "");
  EXPECT_EQ(none.code, 2);
}

TEST(CacheCommand, WithoutAServerOnlyTheDirectoryAndNeverThePassword) {
  TempDir dir;
  const std::string key = t::random_key();
  const std::string file = t::make_cache_file(cache_of(dir), t::template_file(key), 1);
  const auto empty = run_migtest("cache list --cache-dir " + shell_quote(dir / "none"), dir.path(),
                                 "-u MIGTEST_POSTGRES_URL");
  EXPECT_EQ(empty.code, 0) << empty.err;
  EXPECT_EQ(empty.out, "");
  EXPECT_THAT(empty.err, HasSubstr("nothing cached in " + dir / "none"));

  const auto list = cache_command("list", dir, "");
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_THAT(line_of(list.out, t::template_file(key)), HasSubstr("sqlite"));
  EXPECT_THAT(list.err, HasSubstr("1 entry"));
  // MIGTEST_CACHE_DIR is the default directory.
  const auto by_env =
      run_migtest("cache list", dir.path(),
                  "-u MIGTEST_POSTGRES_URL MIGTEST_CACHE_DIR=" + shell_quote(cache_of(dir)));
  EXPECT_EQ(by_env.out, list.out);

  MIGTEST_REQUIRE_POSTGRES_URL(url);
  t::OwnRole role(url);
  // Upper case and digits: no 3-character piece of it can occur in the lower-case paths and
  // words the output holds (a random temporary directory name once held "t-f").
  const std::string secret = "QZXV9KW7JQ";
  const std::string with_password = std::regex_replace(
      role.url(), std::regex("://" + role.name() + "@"), "://" + role.name() + ":" + secret + "@");
  ASSERT_NE(with_password, role.url());
  const auto clear = cache_command("clear", dir, with_password);
  ASSERT_EQ(clear.code, 0) << clear.err;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(t::leaked_fragments(clear.out + clear.err, secret, role.url()),
            std::vector<std::string>{});
  EXPECT_THAT(clear.err, HasSubstr("***"));
}
