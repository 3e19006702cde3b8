// Each foreign layout runs in its own tool's order, with its tool's ids, and what the tool
// refuses is refused before anything runs (docs/reference/revision-files.md, "How each
// layout is ordered").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "source/source_support.hpp"

namespace migtest {
namespace {

using test::load_error;
using test::mentions;
using test::run_order;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void diesel(const TempDir& dir, const std::string& name, const std::string& up = "SELECT 1;") {
  dir.write(name + "/up.sql", up);
  dir.write(name + "/down.sql", "SELECT 0;");
}

void goose(const TempDir& dir, const std::string& name) {
  dir.write(name, "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 0;\n");
}

void dbmate(const TempDir& dir, const std::string& name) {
  dir.write(name, "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 0;\n");
}

// --- Diesel: version strings (dashes removed) in string order ---

TEST(DieselOrder, MixedLengthVersionsRunInDieselsStringOrder) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-mixed");
  diesel(dir, "2026-05-27-120000_latest");      // 14 digits
  diesel(dir, "2025-11-19-091444-0000_nanos");  // 18 digits
  diesel(dir, "2024-03-13_170000_date_only");   // 8 digits: version 20240313
  diesel(dir, "20140924113530_create_users");   // 14 digits, no dashes
  diesel(dir, "2024-03-12-235959_day_before");  // 14 digits
  History h = load_history(dir.string());
  EXPECT_EQ(h.layout(), "diesel");
  // Diesel sorts the version strings: a shorter version that is a prefix comes first, an
  // 18-digit 2025 version comes before a 14-digit 2026 one.
  EXPECT_THAT(run_order(h), ElementsAre("20140924113530", "20240312235959", "20240313",
                                        "202511190914440000", "20260527120000"));
  EXPECT_THAT(h.graph().bases(), ElementsAre("20140924113530"));
  EXPECT_THAT(h.graph().heads(), ElementsAre("20260527120000"));
  EXPECT_EQ(h.script("20240313").revision.message, "170000 date only");
  EXPECT_THAT(h.script("20240313").revision.down_revisions, ElementsAre("20240312235959"));
}

TEST(DieselOrder, DateOnlyVersionIsNotTheBaseOfTheHistory) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-date-only");
  diesel(dir, "2023-01-01-000000_create_users");
  diesel(dir, "2023-06-01-120000_add_posts");
  diesel(dir, "2024-03-13_170000_add_index");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("20230101000000", "20230601120000", "20240313"));
  EXPECT_THAT(h.graph().bases(), ElementsAre("20230101000000"));
}

TEST(DieselOrder, AnyFolderWithUpSqlIsAMigrationWithItsNameAsVersion) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-custom");
  diesel(dir, "20240101000000_create_users");
  diesel(dir, "custom_backfill");    // diesel migration generate --version custom backfill
  diesel(dir, "2024-02-01-000000");  // no name: the whole folder name is the version
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("20240101000000", "20240201000000", "custom"));
  EXPECT_EQ(h.script("custom").revision.message, "backfill");
  EXPECT_EQ(h.script("20240201000000").revision.message, "");
}

TEST(DieselOrder, TwoFoldersWithOneVersionAreRefusedNamingBoth) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-duplicate");
  diesel(dir, "2024-01-01-000000_first");
  diesel(dir, "20240101000000_second");
  std::string e = load_error<duplicate_revision_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("2024-01-01-000000_first"));
  EXPECT_THAT(e, HasSubstr("20240101000000_second"));
  EXPECT_THAT(e, HasSubstr("20240101000000"));
}

TEST(DieselOrder, FolderWithoutUpSqlIsRefusedAsDieselDoes) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-no-up");
  diesel(dir, "20240101000000_create_users");
  dir.write("20240201000000_half_done/down.sql", "SELECT 0;");
  EXPECT_THAT(load_error<parse_error>(dir.string()), HasSubstr("20240201000000_half_done"));

  TempDir notes(MIGTEST_BINARY_DIR, "scratch-source-diesel-notes");
  diesel(notes, "20240101000000_create_users");
  notes.write("notes/todo.txt", "later");
  std::string e = load_error<parse_error>(notes.string());
  EXPECT_THAT(e, HasSubstr("notes"));
  EXPECT_THAT(e, HasSubstr("without up.sql"));
}

TEST(DieselOrder, EmptyFoldersAndFilesAreIgnoredAsDieselDoes) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-diesel-ignored");
  diesel(dir, "20240101000000_create_users");
  dir.mkdir("20240201000000_not_yet");
  dir.write("README.md", "notes");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("20240101000000"));
  EXPECT_TRUE(mentions(h.warnings(), "20240201000000_not_yet/: ignored"));
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
}

// --- golang-migrate: unsigned 64-bit versions in numeric order ---

TEST(GolangMigrateOrder, VersionsAreUnsigned64BitNumbers) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-numeric");
  dir.write("0_init.up.sql", "SELECT 0;");
  dir.write("10_ten.up.sql", "SELECT 10;");
  dir.write("9_nine.up.sql", "SELECT 9;");
  dir.write("18446744073709551615_last.up.sql", "SELECT 1;");  // the largest uint64
  dir.write("0020240101000000_padded.up.sql", "SELECT 2;");
  History h = load_history(dir.string());
  EXPECT_EQ(h.layout(), "golang-migrate");
  EXPECT_THAT(run_order(h), ElementsAre("0", "9", "10", "20240101000000", "18446744073709551615"));
}

TEST(GolangMigrateOrder, VersionTooLargeForUint64IsSkippedAsGolangMigrateDoes) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-overflow");
  dir.write("1_init.up.sql", "SELECT 1;");
  dir.write("18446744073709551616_too_big.up.sql", "SELECT 2;");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "18446744073709551616_too_big.up.sql: ignored"));
}

TEST(GolangMigrateOrder, SameVersionWithLeadingZerosIsADuplicateNamingBoth) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-dup");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("001_b.up.sql", "SELECT 2;");
  std::string e = load_error<duplicate_revision_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("1_a.up.sql"));
  EXPECT_THAT(e, HasSubstr("001_b.up.sql"));
}

TEST(GolangMigrateOrder, AnyExtensionCountsInAGolangMigrateFolder) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-ext");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("2_b.up.txt", "SELECT 2;");  // golang-migrate reads <v>_<name>.up.<any>
  dir.write("2_b.down.txt", "SELECT 20;");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
  EXPECT_THAT(h.script("2").revision.file, HasSubstr("2_b.up.txt"));
  EXPECT_TRUE(h.script("2").revision.reversible);
}

TEST(GolangMigrateOrder, EditorBackupOfAnUpFileIsADuplicate) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-backup");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("1_a.up.sql.orig", "SELECT 1;");
  std::string e = load_error<duplicate_revision_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("1_a.up.sql.orig"));
}

TEST(GolangMigrateOrder, DownWithoutUpRunsNothingOnTheWayUp) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-down-only");
  dir.write("1_a.up.sql", "CREATE TABLE t (id INTEGER);");
  dir.write("2_b.down.sql", "SELECT 2;");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
  const RevisionScript& b = h.script("2");
  EXPECT_TRUE(b.up.statements(migtest::Dialect::sqlite).empty());
  EXPECT_TRUE(b.revision.reversible);
  EXPECT_EQ(b.down.statements(migtest::Dialect::sqlite).size(), 1u);
  EXPECT_EQ(b.revision.message, "b");
  EXPECT_TRUE(mentions(h.warnings(), "2_b.down.sql: no .up file"));
}

TEST(GolangMigrateOrder, NamesWithoutUnderscoreAreNotMigrations) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-golang-no-underscore");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("2.up.sql", "SELECT 2;");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "2.up.sql: ignored"));
}

// --- dbmate: leading digits as written, files in file-name order ---

TEST(DbmateOrder, FilesRunInFileNameOrder) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dbmate-names");
  dbmate(dir, "20240101_short.sql");
  dbmate(dir, "20231231120000_long.sql");
  dbmate(dir, "20240101000000.sql");  // no name at all
  History h = load_history(dir.string());
  EXPECT_EQ(h.layout(), "dbmate");
  // By name: "20240101000000.sql" < "20240101_short.sql" as '0' < '_'.
  EXPECT_THAT(run_order(h), ElementsAre("20231231120000", "20240101000000", "20240101"));
  EXPECT_EQ(h.script("20240101000000").revision.message, "");
}

TEST(DbmateOrder, LeadingZerosMakeAnotherVersion) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dbmate-zeros");
  dbmate(dir, "1_one.sql");
  dbmate(dir, "01_zero_one.sql");
  dbmate(dir, "2_two.sql");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("01", "1", "2"));
}

TEST(DbmateOrder, SameVersionTwiceIsRefusedNamingBoth) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dbmate-dup");
  dbmate(dir, "20240101000000_a.sql");
  dbmate(dir, "20240101000000_b.sql");
  std::string e = load_error<duplicate_revision_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("20240101000000_a.sql"));
  EXPECT_THAT(e, HasSubstr("20240101000000_b.sql"));
}

TEST(DbmateOrder, VersionedFileWithoutMigrateUpIsRefused) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dbmate-no-marker");
  dbmate(dir, "20240101000000_a.sql");
  dir.write("20240102000000_forgot.sql", "CREATE TABLE t (id INTEGER);\n");
  dir.write("schema.sql", "CREATE TABLE t (id INTEGER);\n");  // dbmate's dump: not a migration
  std::string e = load_error<parse_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("20240102000000_forgot.sql"));
  EXPECT_THAT(e, HasSubstr("-- migrate:up"));
}

// --- goose: signed 64-bit versions above zero, numeric order ---

TEST(GooseOrder, VersionsAreNumbers) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-numeric");
  goose(dir, "10_ten.sql");
  goose(dir, "00009_nine.sql");
  goose(dir, "9223372036854775807_last.sql");  // the largest int64
  goose(dir, "20240101000000_timestamp.sql");
  History h = load_history(dir.string());
  EXPECT_EQ(h.layout(), "goose");
  EXPECT_THAT(run_order(h), ElementsAre("9", "10", "20240101000000", "9223372036854775807"));
}

TEST(GooseOrder, VersionZeroIsRefused) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-zero");
  goose(dir, "0_init.sql");
  goose(dir, "1_users.sql");
  std::string e = load_error<parse_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("0_init.sql"));
  EXPECT_THAT(e, HasSubstr("greater than zero"));
}

TEST(GooseOrder, VersionTooLargeForInt64IsRefused) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-overflow");
  goose(dir, "1_users.sql");
  goose(dir, "9223372036854775808_too_big.sql");
  std::string e = load_error<parse_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("9223372036854775808_too_big.sql"));
}

TEST(GooseOrder, SameVersionTwiceIsRefusedNamingBoth) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-dup");
  goose(dir, "1_a.sql");
  goose(dir, "001_b.sql");
  std::string e = load_error<duplicate_revision_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("1_a.sql"));
  EXPECT_THAT(e, HasSubstr("001_b.sql"));
}

TEST(GooseOrder, EverySqlFileOfAGooseFolderIsAMigration) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-every-sql");
  goose(dir, "1_a.sql");
  dir.write("2_forgot.sql", "CREATE TABLE t (id INTEGER);\n");
  std::string e = load_error<parse_error>(dir.string());
  EXPECT_THAT(e, HasSubstr("2_forgot.sql"));
  EXPECT_THAT(e, HasSubstr("-- +goose Up"));

  TempDir seed(MIGTEST_BINARY_DIR, "scratch-source-goose-seed");
  goose(seed, "1_a.sql");
  seed.write("seed.sql", "INSERT INTO t VALUES (1);\n");  // no version: goose refuses the folder
  EXPECT_THAT(load_error<parse_error>(seed.string()), HasSubstr("seed.sql"));
}

TEST(GooseOrder, PlusSignedVersionIsReadAsGooseReadsIt) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-plus");
  goose(dir, "1_a.sql");
  goose(dir, "+2_b.sql");  // strconv.ParseInt accepts a leading '+'
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
}

TEST(GooseOrder, NonSqlFilesAndUnversionedGoFilesAreIgnored) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-goose-others");
  goose(dir, "1_a.sql");
  dir.write("helpers.go", "package migrations\n");
  dir.write("README.md", "notes");
  History h = load_history(dir.string());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
}

}  // namespace
}  // namespace migtest
