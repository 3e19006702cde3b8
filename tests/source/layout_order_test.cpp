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
using test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void diesel(const ScratchDir& dir, const std::string& name, const std::string& up = "SELECT 1;") {
  dir.write(name + "/up.sql", up);
  dir.write(name + "/down.sql", "SELECT 0;");
}

void goose(const ScratchDir& dir, const std::string& name) {
  dir.write(name, "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 0;\n");
}

void dbmate(const ScratchDir& dir, const std::string& name) {
  dir.write(name, "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 0;\n");
}

// --- Diesel: version strings (dashes removed) in string order ---

TEST(DieselOrder, MixedLengthVersionsRunInDieselsStringOrder) {
  ScratchDir dir("diesel-mixed");
  diesel(dir, "2026-05-27-120000_latest");      // 14 digits
  diesel(dir, "2025-11-19-091444-0000_nanos");  // 18 digits
  diesel(dir, "2024-03-13_170000_date_only");   // 8 digits: version 20240313
  diesel(dir, "20140924113530_create_users");   // 14 digits, no dashes
  diesel(dir, "2024-03-12-235959_day_before");  // 14 digits
  History h = load_history(dir.path());
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
  ScratchDir dir("diesel-date-only");
  diesel(dir, "2023-01-01-000000_create_users");
  diesel(dir, "2023-06-01-120000_add_posts");
  diesel(dir, "2024-03-13_170000_add_index");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("20230101000000", "20230601120000", "20240313"));
  EXPECT_THAT(h.graph().bases(), ElementsAre("20230101000000"));
}

TEST(DieselOrder, AnyFolderWithUpSqlIsAMigrationWithItsNameAsVersion) {
  ScratchDir dir("diesel-custom");
  diesel(dir, "20240101000000_create_users");
  diesel(dir, "custom_backfill");    // diesel migration generate --version custom backfill
  diesel(dir, "2024-02-01-000000");  // no name: the whole folder name is the version
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("20240101000000", "20240201000000", "custom"));
  EXPECT_EQ(h.script("custom").revision.message, "backfill");
  EXPECT_EQ(h.script("20240201000000").revision.message, "");
}

TEST(DieselOrder, TwoFoldersWithOneVersionAreRefusedNamingBoth) {
  ScratchDir dir("diesel-duplicate");
  diesel(dir, "2024-01-01-000000_first");
  diesel(dir, "20240101000000_second");
  std::string e = load_error<duplicate_revision_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("2024-01-01-000000_first"));
  EXPECT_THAT(e, HasSubstr("20240101000000_second"));
  EXPECT_THAT(e, HasSubstr("20240101000000"));
}

TEST(DieselOrder, FolderWithoutUpSqlIsRefusedAsDieselDoes) {
  ScratchDir dir("diesel-no-up");
  diesel(dir, "20240101000000_create_users");
  dir.write("20240201000000_half_done/down.sql", "SELECT 0;");
  EXPECT_THAT(load_error<parse_error>(dir.path()), HasSubstr("20240201000000_half_done"));

  ScratchDir notes("diesel-notes");
  diesel(notes, "20240101000000_create_users");
  notes.write("notes/todo.txt", "later");
  std::string e = load_error<parse_error>(notes.path());
  EXPECT_THAT(e, HasSubstr("notes"));
  EXPECT_THAT(e, HasSubstr("without up.sql"));
}

TEST(DieselOrder, EmptyFoldersAndFilesAreIgnoredAsDieselDoes) {
  ScratchDir dir("diesel-ignored");
  diesel(dir, "20240101000000_create_users");
  dir.mkdir("20240201000000_not_yet");
  dir.write("README.md", "notes");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("20240101000000"));
  EXPECT_TRUE(mentions(h.warnings(), "20240201000000_not_yet/: ignored"));
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
}

// --- golang-migrate: unsigned 64-bit versions in numeric order ---

TEST(GolangMigrateOrder, VersionsAreUnsigned64BitNumbers) {
  ScratchDir dir("golang-numeric");
  dir.write("0_init.up.sql", "SELECT 0;");
  dir.write("10_ten.up.sql", "SELECT 10;");
  dir.write("9_nine.up.sql", "SELECT 9;");
  dir.write("18446744073709551615_last.up.sql", "SELECT 1;");  // the largest uint64
  dir.write("0020240101000000_padded.up.sql", "SELECT 2;");
  History h = load_history(dir.path());
  EXPECT_EQ(h.layout(), "golang-migrate");
  EXPECT_THAT(run_order(h), ElementsAre("0", "9", "10", "20240101000000", "18446744073709551615"));
}

TEST(GolangMigrateOrder, VersionTooLargeForUint64IsSkippedAsGolangMigrateDoes) {
  ScratchDir dir("golang-overflow");
  dir.write("1_init.up.sql", "SELECT 1;");
  dir.write("18446744073709551616_too_big.up.sql", "SELECT 2;");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "18446744073709551616_too_big.up.sql: ignored"));
}

TEST(GolangMigrateOrder, SameVersionWithLeadingZerosIsADuplicateNamingBoth) {
  ScratchDir dir("golang-dup");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("001_b.up.sql", "SELECT 2;");
  std::string e = load_error<duplicate_revision_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("1_a.up.sql"));
  EXPECT_THAT(e, HasSubstr("001_b.up.sql"));
}

TEST(GolangMigrateOrder, AnyExtensionCountsInAGolangMigrateFolder) {
  ScratchDir dir("golang-ext");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("2_b.up.txt", "SELECT 2;");  // golang-migrate reads <v>_<name>.up.<any>
  dir.write("2_b.down.txt", "SELECT 20;");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
  EXPECT_THAT(h.script("2").revision.file, HasSubstr("2_b.up.txt"));
  EXPECT_TRUE(h.script("2").revision.reversible);
}

TEST(GolangMigrateOrder, EditorBackupOfAnUpFileIsADuplicate) {
  ScratchDir dir("golang-backup");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("1_a.up.sql.orig", "SELECT 1;");
  std::string e = load_error<duplicate_revision_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("1_a.up.sql.orig"));
}

TEST(GolangMigrateOrder, DownWithoutUpRunsNothingOnTheWayUp) {
  ScratchDir dir("golang-down-only");
  dir.write("1_a.up.sql", "CREATE TABLE t (id INTEGER);");
  dir.write("2_b.down.sql", "SELECT 2;");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
  const RevisionScript& b = h.script("2");
  EXPECT_TRUE(b.up.statements("sqlite").empty());
  EXPECT_TRUE(b.revision.reversible);
  EXPECT_EQ(b.down.statements("sqlite").size(), 1u);
  EXPECT_EQ(b.revision.message, "b");
  EXPECT_TRUE(mentions(h.warnings(), "2_b.down.sql: no .up file"));
}

TEST(GolangMigrateOrder, NamesWithoutUnderscoreAreNotMigrations) {
  ScratchDir dir("golang-no-underscore");
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("2.up.sql", "SELECT 2;");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "2.up.sql: ignored"));
}

// --- dbmate: leading digits as written, files in file-name order ---

TEST(DbmateOrder, FilesRunInFileNameOrder) {
  ScratchDir dir("dbmate-names");
  dbmate(dir, "20240101_short.sql");
  dbmate(dir, "20231231120000_long.sql");
  dbmate(dir, "20240101000000.sql");  // no name at all
  History h = load_history(dir.path());
  EXPECT_EQ(h.layout(), "dbmate");
  // By name: "20240101000000.sql" < "20240101_short.sql" as '0' < '_'.
  EXPECT_THAT(run_order(h), ElementsAre("20231231120000", "20240101000000", "20240101"));
  EXPECT_EQ(h.script("20240101000000").revision.message, "");
}

TEST(DbmateOrder, LeadingZerosMakeAnotherVersion) {
  ScratchDir dir("dbmate-zeros");
  dbmate(dir, "1_one.sql");
  dbmate(dir, "01_zero_one.sql");
  dbmate(dir, "2_two.sql");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("01", "1", "2"));
}

TEST(DbmateOrder, SameVersionTwiceIsRefusedNamingBoth) {
  ScratchDir dir("dbmate-dup");
  dbmate(dir, "20240101000000_a.sql");
  dbmate(dir, "20240101000000_b.sql");
  std::string e = load_error<duplicate_revision_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("20240101000000_a.sql"));
  EXPECT_THAT(e, HasSubstr("20240101000000_b.sql"));
}

TEST(DbmateOrder, VersionedFileWithoutMigrateUpIsRefused) {
  ScratchDir dir("dbmate-no-marker");
  dbmate(dir, "20240101000000_a.sql");
  dir.write("20240102000000_forgot.sql", "CREATE TABLE t (id INTEGER);\n");
  dir.write("schema.sql", "CREATE TABLE t (id INTEGER);\n");  // dbmate's dump: not a migration
  std::string e = load_error<parse_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("20240102000000_forgot.sql"));
  EXPECT_THAT(e, HasSubstr("-- migrate:up"));
}

// --- goose: signed 64-bit versions above zero, numeric order ---

TEST(GooseOrder, VersionsAreNumbers) {
  ScratchDir dir("goose-numeric");
  goose(dir, "10_ten.sql");
  goose(dir, "00009_nine.sql");
  goose(dir, "9223372036854775807_last.sql");  // the largest int64
  goose(dir, "20240101000000_timestamp.sql");
  History h = load_history(dir.path());
  EXPECT_EQ(h.layout(), "goose");
  EXPECT_THAT(run_order(h), ElementsAre("9", "10", "20240101000000", "9223372036854775807"));
}

TEST(GooseOrder, VersionZeroIsRefused) {
  ScratchDir dir("goose-zero");
  goose(dir, "0_init.sql");
  goose(dir, "1_users.sql");
  std::string e = load_error<parse_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("0_init.sql"));
  EXPECT_THAT(e, HasSubstr("greater than zero"));
}

TEST(GooseOrder, VersionTooLargeForInt64IsRefused) {
  ScratchDir dir("goose-overflow");
  goose(dir, "1_users.sql");
  goose(dir, "9223372036854775808_too_big.sql");
  std::string e = load_error<parse_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("9223372036854775808_too_big.sql"));
}

TEST(GooseOrder, SameVersionTwiceIsRefusedNamingBoth) {
  ScratchDir dir("goose-dup");
  goose(dir, "1_a.sql");
  goose(dir, "001_b.sql");
  std::string e = load_error<duplicate_revision_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("1_a.sql"));
  EXPECT_THAT(e, HasSubstr("001_b.sql"));
}

TEST(GooseOrder, EverySqlFileOfAGooseFolderIsAMigration) {
  ScratchDir dir("goose-every-sql");
  goose(dir, "1_a.sql");
  dir.write("2_forgot.sql", "CREATE TABLE t (id INTEGER);\n");
  std::string e = load_error<parse_error>(dir.path());
  EXPECT_THAT(e, HasSubstr("2_forgot.sql"));
  EXPECT_THAT(e, HasSubstr("-- +goose Up"));

  ScratchDir seed("goose-seed");
  goose(seed, "1_a.sql");
  seed.write("seed.sql", "INSERT INTO t VALUES (1);\n");  // no version: goose refuses the folder
  EXPECT_THAT(load_error<parse_error>(seed.path()), HasSubstr("seed.sql"));
}

TEST(GooseOrder, PlusSignedVersionIsReadAsGooseReadsIt) {
  ScratchDir dir("goose-plus");
  goose(dir, "1_a.sql");
  goose(dir, "+2_b.sql");  // strconv.ParseInt accepts a leading '+'
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1", "2"));
}

TEST(GooseOrder, NonSqlFilesAndUnversionedGoFilesAreIgnored) {
  ScratchDir dir("goose-others");
  goose(dir, "1_a.sql");
  dir.write("helpers.go", "package migrations\n");
  dir.write("README.md", "notes");
  History h = load_history(dir.path());
  EXPECT_THAT(run_order(h), ElementsAre("1"));
  EXPECT_TRUE(mentions(h.warnings(), "README.md: ignored"));
}

}  // namespace
}  // namespace migtest
