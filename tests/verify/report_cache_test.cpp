// verify's report cache in one process: a report survives its TOML entry field for field;
// a damaged or foreign entry is refused, naming what is wrong; the key changes with each thing
// results depend on and only with those; cached_verify() verifies once per key, replaces what
// it cannot trust and shares a failure only within the test run that found it.
#include "verify/report_cache.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

#include "migtest/metadata.hpp"
#include "migtest/version.hpp"
#include "source/sha256.hpp"
#include "support/env.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "verify/scratch.hpp"

namespace migtest {
namespace {

namespace fs = boost::filesystem;
using detail::VerifyCacheEntry;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string data(const std::string& name) {
  return std::string(MIGTEST_TEST_DATA) + "/verify/" + name;
}

// A report with every field away from its default, and text TOML must escape or quote.
VerifyReport full_report() {
  CheckResult upgrade{Check::upgrade,   Status::ok, "upgraded", {}, {}, {}, 0.1,
                      SkipReason::none, {}};
  CheckResult round_trip;
  round_trip.check = Check::round_trip;
  round_trip.status = Status::failed;
  round_trip.summary = "downgrade left a trace: 'quoted' \"double\" \\ back";
  round_trip.details = {"line one\nline two", "\ttab, \x01 control, caf\xc3\xa9 \xe2\x9c\x93",
                        "\n starts with a newline", "ends with a backslash \\", ""};
  round_trip.differences = {
      {Difference::Kind::index_added, "user", "ix_user_fingerprint", "CREATE INDEX ...", ""},
      {Difference::Kind::function_changed, "", "f()", "a", "b"},
      {Difference::Kind::table_added, "", "", "", ""}};
  round_trip.elapsed_ms = 12345.678901234567;
  round_trip.where = {"/x/versions/a1 create \"users\".sql", 7, "a1"};
  CheckResult lint;
  lint.check = Check::lint;
  lint.status = Status::warning;
  lint.summary = "1 warning";
  lint.warnings = {{"drop_table", "b2", "versions/b2.sql", 12, "DROP TABLE post destroys it",
                    "MT101", Severity::error},
                   {"table_rebuild", "", "", 0, "", "MT106", Severity::notice}};
  lint.elapsed_ms = 1e-300;
  CheckResult data_check;
  data_check.check = Check::data;
  data_check.status = Status::skipped;
  data_check.summary = "skipped: not run";
  data_check.skip_reason = SkipReason::not_run;
  data_check.elapsed_ms = -0.0;

  Revision a;
  a.id = "a1";
  a.message = "Create users";
  a.created = "2024-05-01T12:00:00";
  a.file = "/x/versions/a1_create_users.sql";
  Revision b;
  b.id = "b2";
  b.down_revisions = {"a1", "x9"};
  b.branch_labels = {"feature"};
  b.depends_on = {"z0"};
  b.transactional = false;
  b.reversible = false;

  VerifyReport r;
  r.dialect = Dialect::postgresql;
  r.revisions = {{a, 1.5, -1, {upgrade, round_trip}}, {b, 2.25, 0.125, {lint, data_check}}};
  r.history = {{Check::full_cycle,
                Status::failed,
                "head -> base -> head differs",
                {"d"},
                {{Difference::Kind::column_removed, "user", "karma", "", "integer"}},
                {},
                7.0,
                SkipReason::none,
                {}}};
  r.elapsed_ms = 99.99;
  r.steps_ms = 1.0 / 3.0;
  r.reads_ms = 2.0e10;
  r.rebuilds = 2;
  return r;
}

VerifyCacheEntry full_entry() {
  return {std::string(64, 'a'),   "ctest 1234abcd 42 777", 4242,
          "2024-05-01T12:00:00Z", "/x/versions",           full_report()};
}

TEST(ReportCache, AnEntryReadsBackEqualFieldForField) {
  const VerifyCacheEntry e = full_entry();
  const std::string text = detail::entry_to_toml(e);
  const VerifyCacheEntry back = detail::entry_from_toml(text);
  EXPECT_EQ(back, e) << text;
  // The same, spelled out where == could hide a field.
  ASSERT_THAT(back.report.revisions, SizeIs(2));
  const CheckResult& rt = back.report.revisions[0].checks[1];
  EXPECT_EQ(rt.details, e.report.revisions[0].checks[1].details);
  EXPECT_EQ(rt.differences[0].describe(),
            e.report.revisions[0].checks[1].differences[0].describe());
  EXPECT_EQ(rt.elapsed_ms, 12345.678901234567);
  EXPECT_EQ(back.report.revisions[1].checks[0].warnings[0].line, 12);
  EXPECT_EQ(back.report.revisions[1].checks[1].skip_reason, SkipReason::not_run);
  EXPECT_FALSE(back.report.revisions[1].revision.reversible);
  EXPECT_EQ(back.report.revisions[0].down_ms, -1);
  EXPECT_EQ(rt.where.file, "/x/versions/a1 create \"users\".sql");
  EXPECT_EQ(rt.where.line, 7);
  EXPECT_EQ(rt.where.revision, "a1");
  EXPECT_TRUE(back.report.revisions[0].checks[0].where.empty());
  EXPECT_EQ(back.report.steps_ms, 1.0 / 3.0);
  EXPECT_EQ(back.report.rebuilds, 2);
  EXPECT_EQ(render_text(back.report), render_text(e.report));
  EXPECT_EQ(render_junit(back.report), render_junit(e.report));
}

TEST(ReportCache, EqualitySeesEveryField) {
  // The round trip above proves something only if == compares everything it carries.
  const VerifyReport base = full_report();
  std::vector<std::function<void(VerifyReport&)>> edits = {
      [](VerifyReport& r) { r.dialect = Dialect::sqlite; },
      [](VerifyReport& r) { r.elapsed_ms += 1; },
      [](VerifyReport& r) { r.steps_ms += 1; },
      [](VerifyReport& r) { r.reads_ms += 1; },
      [](VerifyReport& r) { r.rebuilds += 1; },
      [](VerifyReport& r) { r.history.clear(); },
      [](VerifyReport& r) { r.revisions[0].up_ms += 1; },
      [](VerifyReport& r) { r.revisions[0].down_ms += 1; },
      [](VerifyReport& r) { r.revisions[1].revision.depends_on.clear(); },
      [](VerifyReport& r) { r.revisions[1].revision.transactional = true; },
      [](VerifyReport& r) { r.revisions[0].revision.created = ""; },
      [](VerifyReport& r) { r.revisions[0].checks[1].check = Check::data; },
      [](VerifyReport& r) { r.revisions[0].checks[1].status = Status::ok; },
      [](VerifyReport& r) { r.revisions[0].checks[1].summary += "."; },
      [](VerifyReport& r) { r.revisions[0].checks[1].details.pop_back(); },
      [](VerifyReport& r) { r.revisions[0].checks[1].differences[0].expected = "x"; },
      [](VerifyReport& r) {
        r.revisions[0].checks[1].differences[1].kind = Difference::Kind::view_changed;
      },
      [](VerifyReport& r) { r.revisions[0].checks[1].elapsed_ms += 1; },
      [](VerifyReport& r) { r.revisions[0].checks[1].where.file += "x"; },
      [](VerifyReport& r) { r.revisions[0].checks[1].where.line += 1; },
      [](VerifyReport& r) { r.revisions[0].checks[1].where.revision += "x"; },
      [](VerifyReport& r) { r.revisions[1].checks[1].skip_reason = SkipReason::floor; },
      [](VerifyReport& r) { r.revisions[1].checks[0].warnings[0].line = 13; },
      [](VerifyReport& r) { r.revisions[1].checks[0].warnings[0].code = "MT102"; },
      [](VerifyReport& r) { r.revisions[1].checks[0].warnings[0].severity = Severity::notice; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    VerifyReport edited = base;
    edits[i](edited);
    EXPECT_NE(edited, base) << "edit " << i;
  }
}

TEST(ReportCache, ARealReportWithDifferencesReadsBackEqual) {
  detail::ScratchDatabase db;
  VerifyReport report = verify(db.connection(), load_history(data("forgets_index")));
  ASSERT_FALSE(report.ok());
  VerifyCacheEntry e{std::string(64, 'b'), "", 1, "now", "forgets_index", report};
  EXPECT_EQ(detail::entry_from_toml(detail::entry_to_toml(e)), e);
}

TEST(ReportCache, ADamagedOrForeignEntryIsRefusedNamingWhatIsWrong) {
  const std::string good = detail::entry_to_toml(full_entry());
  auto refused = [](const std::string& text) -> std::string {
    try {
      detail::entry_from_toml(text);
    } catch (const error& e) {
      return e.what();
    }
    return "accepted";
  };
  // The digest line covers what follows it: an edit that writes the digest again reaches
  // the fields' own checks.
  const std::string digest_line = "# sha256 of the lines below: ";
  auto redigest = [&](std::string t) {
    const auto at = t.find(digest_line);
    EXPECT_NE(at, std::string::npos);
    const auto hex = at + digest_line.size();
    return t.replace(hex, 64, detail::sha256_hex(std::string_view(t).substr(hex + 65)));
  };
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? t : t.replace(at, from.size(), to);
  };
  auto with = [&](const std::string& from, const std::string& to) {
    return redigest(edit(from, to));
  };
  EXPECT_THAT(refused("key = "), HasSubstr("no digest line"));
  EXPECT_THAT(refused(good.substr(0, good.size() / 2)), HasSubstr("digest does not match"));
  EXPECT_THAT(refused(edit("rebuilds = 2", "rebuilds = 3")), HasSubstr("digest does not match"));
  EXPECT_THAT(refused(redigest(good.substr(0, good.find(digest_line) + digest_line.size() + 65) +
                               "key = ")),
              HasSubstr("not TOML"));
  EXPECT_THAT(refused(with("format = 2", "format = 3")), HasSubstr("format"));
  EXPECT_THAT(refused(with("migtest = \"" + std::string(version()) + "\"", "migtest = \"0.0.1\"")),
              HasSubstr("written by migtest 0.0.1"));
  EXPECT_THAT(refused(with("rebuilds = 2", "rebuilds = \"two\"")),
              HasSubstr("entry.report.rebuilds has the wrong type"));
  EXPECT_THAT(refused(with("rebuilds = 2", "rebuilds = 2.0")), HasSubstr("rebuilds"));
  EXPECT_THAT(refused(with("status = \"failed\"", "status = \"broken\"")),
              HasSubstr("unknown value 'broken'"));
  EXPECT_THAT(refused(with("kind = \"index_added\"", "kind = \"index_gone\"")),
              HasSubstr("entry.report.revisions[0].checks[1].differences[0].kind"));
  EXPECT_THAT(refused(with("dialect = \"postgresql\"", "")),
              HasSubstr("entry.report.dialect is missing"));
  EXPECT_EQ(refused(good), "accepted");
}

// ---- the key ---------------------------------------------------------------------------------

class CacheKey : public ::testing::Test {
 protected:
  std::string key(const VerifyOptions& o, const std::string& dialect = "sqlite",
                  const std::string& server = "") const {
    return detail::verify_cache_key(history_, o, parse_dialect(dialect), server);
  }
  History history_ = load_history(data("good/versions"));
};

TEST_F(CacheKey, ChangesWithEachThingResultsDependOn) {
  const VerifyOptions base;
  const std::string k = key(base);
  EXPECT_THAT(k, ::testing::MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(key(base), k) << "stable";

  Metadata models;
  models.table("user").column("id", Integer{}, primary_key);
  Metadata other = models;
  other.table("post").column("id", Integer{}, primary_key);
  std::vector<std::function<void(VerifyOptions&)>> edits = {
      [](VerifyOptions& o) { o.checks = {Check::upgrade}; },
      [](VerifyOptions& o) { o.heads = {"a1b2"}; },
      [](VerifyOptions& o) { o.min_downgrade = "a1b2"; },
      [](VerifyOptions& o) { o.skip = {"a1b2"}; },
      [](VerifyOptions& o) { o.lint_fails = true; },
      [](VerifyOptions& o) { o.lint.disabled = {"MT101"}; },
      [](VerifyOptions& o) {
        o.lint.severity = {{"MT105", Severity::error}};
      },
      [](VerifyOptions& o) { o.version_table = "other_version"; },
      [](VerifyOptions& o) {
        o.schemas = {"", "audit"};
      },
      [](VerifyOptions& o) { o.incremental_reflection = false; },
      [](VerifyOptions& o) { o.compare.ignore_tables = {"x*"}; },
      [](VerifyOptions& o) { o.compare.compare_defaults = false; },
      [](VerifyOptions& o) { o.compare.strict_names = true; },
      [](VerifyOptions& o) { o.compare.expected_label = "models"; },
      [&](VerifyOptions& o) { o.metadata = &models; },
      [](VerifyOptions& o) {
        Seed seed;
        seed.revision = "a1b2";
        seed.sql = "INSERT INTO t VALUES (1)";
        seed.expect = "SELECT 1";
        o.seeds = {seed};
      },
  };
  std::set<std::string> keys = {k};
  for (std::size_t i = 0; i < edits.size(); ++i) {
    VerifyOptions o;
    edits[i](o);
    EXPECT_TRUE(keys.insert(key(o)).second) << "edit " << i << " left the key as it was";
  }
  VerifyOptions with_models, with_other;
  with_models.metadata = &models;
  with_other.metadata = &other;
  EXPECT_NE(key(with_models), key(with_other)) << "the models' content, not their presence";
  EXPECT_NE(key(base, "postgresql", "postgresql://u@/postgres?host=/a"), k);
  EXPECT_NE(key(base, "postgresql", "postgresql://u@/postgres?host=/a"),
            key(base, "postgresql", "postgresql://u@/postgres?host=/b"));
  // On PostgreSQL the server builds the models' schema: the key holds their DDL instead.
  EXPECT_NE(key(with_models, "postgresql", "postgresql://u@/postgres?host=/a"),
            key(with_other, "postgresql", "postgresql://u@/postgres?host=/a"));
  // The callbacks decide nothing the report holds.
  VerifyOptions callbacks;
  callbacks.on_revision = [](const RevisionResult&, int, int) {};
  callbacks.fresh_database = [] { return std::shared_ptr<Connection>(); };
  EXPECT_EQ(key(callbacks), k);
}

TEST_F(CacheKey, APasswordDoesNotReachTheKey) {
  const VerifyOptions o;
  EXPECT_EQ(key(o, "postgresql", "postgresql://u:secret1@/postgres?host=/a"),
            key(o, "postgresql", "postgresql://u:secret2@/postgres?host=/a"));
}

TEST_F(CacheKey, ChangesWithTheHistorysBytes) {
  test::TempDir dir;
  for (const auto& f : fs::directory_iterator(data("good/versions")))
    fs::copy_file(f.path(), dir / f.path().filename().string());
  const std::string before =
      detail::verify_cache_key(load_history(dir.path().string()), {}, Dialect::sqlite, "");
  EXPECT_EQ(before, key({})) << "same bytes, another directory: same key";
  const fs::path first = *fs::directory_iterator(dir.path());
  std::ofstream(first.string(), std::ios::app) << "\n-- one more comment\n";
  EXPECT_NE(detail::verify_cache_key(load_history(dir.path().string()), {}, Dialect::sqlite, ""),
            before);
}

// ---- cached_verify ---------------------------------------------------------------------------

class CachedVerify : public ::testing::Test {
 protected:
  // cached_verify() with a run() that counts its calls and gives `report`.
  detail::CachedReport get(const VerifyReport& report, const std::string& key = kKey) {
    return detail::cached_verify(dir_.path().string(), key, "test history", [&] {
      ++runs_;
      return report;
    });
  }
  std::string file(const std::string& key = kKey) const {
    return detail::verify_cache_file(dir_.path().string(), key);
  }
  static constexpr const char* kKey =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  test::TempDir dir_;
  int runs_ = 0;
};

VerifyReport passing() {
  VerifyReport r;
  r.dialect = Dialect::sqlite;
  r.revisions.push_back({});
  r.revisions[0].revision.id = "a1";
  CheckResult upgraded;
  upgraded.summary = "upgraded";
  r.revisions[0].checks = {upgraded};
  return r;
}

VerifyReport failing() {
  VerifyReport r = passing();
  r.revisions[0].checks[0].status = Status::failed;
  return r;
}

TEST_F(CachedVerify, VerifiesOncePerKey) {
  auto first = get(passing());
  EXPECT_EQ(runs_, 1);
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.file, file());
  auto second = get(passing());
  EXPECT_EQ(runs_, 1);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.report, first.report);
  EXPECT_EQ(second.pid, ::getpid());
  get(passing(), std::string(64, 'f'));
  EXPECT_EQ(runs_, 2) << "another key";
}

TEST_F(CachedVerify, ReadingAnEntryRecordsItsUse) {
  // Pruning by age goes by the file's mtime, as for templates.
  get(passing());
  const std::time_t old = std::time(nullptr) - 30 * 24 * 3600;
  fs::last_write_time(file(), old);
  ASSERT_TRUE(get(passing()).from_cache);
  EXPECT_GT(fs::last_write_time(file()), old + 24 * 3600);
}

TEST_F(CachedVerify, ADamagedEntryIsVerifiedAgainAndReplaced) {
  get(passing());
  for (const std::string& damage :
       {std::string("not toml ["), std::string(""), std::string("\xff\xfe binary")}) {
    std::ofstream(file(), std::ios::trunc | std::ios::binary) << damage;
    const int before = runs_;
    auto r = get(passing());
    EXPECT_EQ(runs_, before + 1);
    EXPECT_FALSE(r.from_cache);
    EXPECT_EQ(detail::entry_from_toml(test::slurp(file())).report, passing()) << "replaced";
  }
}

TEST_F(CachedVerify, AnEntryOfAnotherKeyUnderTheSameNameIsNotTrusted) {
  // Two keys sharing the 16 digits of the file name: the entry says whose it is.
  const std::string other = std::string(kKey).substr(0, 16) + std::string(48, 'e');
  ASSERT_EQ(file(other), file());
  get(failing(), other);
  get(passing());
  EXPECT_EQ(runs_, 2);
  EXPECT_EQ(detail::entry_from_toml(test::slurp(file())).key, kKey);
}

TEST_F(CachedVerify, AFailureIsReusedOnlyInTheTestRunThatFoundIt) {
  {
    test::ScopedEnv ctest("CTEST_INTERACTIVE_DEBUG_MODE", "1");
    ASSERT_NE(detail::current_test_run(), "") << "under ctest: the run is ctest's";
    get(failing());
    auto again = get(failing());
    EXPECT_EQ(runs_, 1) << "same run";
    EXPECT_TRUE(again.from_cache);
  }
  {
    test::ScopedEnv a("CTEST_INTERACTIVE_DEBUG_MODE", nullptr);
    test::ScopedEnv b("DASHBOARD_TEST_FROM_CTEST", nullptr);
    EXPECT_EQ(detail::current_test_run(), "");
    get(failing());
    get(failing());
    EXPECT_EQ(runs_, 3) << "outside ctest no run is known: never reused";
  }
  {
    test::ScopedEnv a("CTEST_INTERACTIVE_DEBUG_MODE", nullptr);
    test::ScopedEnv b("DASHBOARD_TEST_FROM_CTEST", "3.25");
    get(failing());
    get(failing());
    EXPECT_EQ(runs_, 4) << "dashboard mode is ctest too";
  }
}

TEST_F(CachedVerify, AnUnusableDirectoryVerifiesWithoutTheCache) {
  dir_.write("file", "");
  auto r = detail::cached_verify(dir_ / "file/cache", kKey, "h", [&] {
    ++runs_;
    return passing();
  });
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(r.report, passing());
  EXPECT_EQ(r.file, "");
}

TEST_F(CachedVerify, AReportTomlCannotHoldIsNotCached) {
  VerifyReport r = passing();
  r.revisions[0].checks[0].summary = "not UTF-8: \xff";
  EXPECT_EQ(get(r).report, r) << "the caller still gets it";
  EXPECT_EQ(get(r).report, r);
  EXPECT_EQ(runs_, 2);
  EXPECT_FALSE(fs::exists(file()));
}

TEST_F(CachedVerify, WhatRunThrowsReachesTheCallerAndNothingIsWritten) {
  EXPECT_THROW(detail::cached_verify(dir_.path().string(), kKey, "h",
                                     []() -> VerifyReport { throw config_error("no"); }),
               config_error);
  EXPECT_FALSE(fs::exists(file()));
  get(passing());
  EXPECT_EQ(runs_, 1) << "the lock was released";
}

TEST(Version, IsTheOneTheCommandPrints) {
  auto out = test::run_migtest("--version", fs::current_path());
  EXPECT_EQ(out.code, 0);
  EXPECT_EQ(out.out, "migtest " + std::string(version()) + "\n");
  EXPECT_THAT(std::string(version()), ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
}

}  // namespace
}  // namespace migtest
