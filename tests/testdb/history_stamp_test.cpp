// The history stamp: a test process whose template exists knows its history's hash from the
// stamp the last process left in the cache, without loading the files; any change to the files
// (content, a new or removed or renamed file) and the stamp is not used.
#include "testdb/history_stamp.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "migtest/source.hpp"
#include "testdb/cache.hpp"
#include "testdb/from_config.hpp"
#include "testdb/template.hpp"
#include "testdb_support.hpp"

using migtest::detail::stamp_history;
using migtest::detail::stamped_history_hash;
using migtest::test::TempDir;

namespace {

class HistoryStampTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.write(
        "history/a1_first.sql",
        migtest::test::revision_file("a1", "", "CREATE TABLE t (id INTEGER);", "DROP TABLE t;"));
    tmp_.write(
        "history/b2_second.sql",
        migtest::test::revision_file("b2", "a1", "CREATE TABLE u (id INTEGER);", "DROP TABLE u;"));
    tmp_.mkdir("cache");
    hash_ = migtest::load_history(dir()).content_hash();
  }
  std::string dir() const { return tmp_ / "history"; }
  std::string cache() const { return tmp_ / "cache"; }
  // Files written in the last two seconds are not stamped (their times cannot tell a later
  // change in the same clock tick): the tests wait that long once.
  void stamp_after_settling() {
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    stamp_history(dir(), cache(), hash_);
  }

  TempDir tmp_;
  std::string hash_;
};

TEST_F(HistoryStampTest, FilesJustWrittenAreNotStamped) {
  stamp_history(dir(), cache(), hash_);
  EXPECT_FALSE(stamped_history_hash(dir(), cache()));
  EXPECT_FALSE(boost::filesystem::exists(migtest::detail::history_stamp_file(dir(), cache())));
}

TEST_F(HistoryStampTest, AnyChangeToTheFilesAndTheStampIsNotUsed) {
  stamp_after_settling();
  ASSERT_EQ(stamped_history_hash(dir(), cache()), hash_);

  // Same size, one byte different.
  const std::string file = tmp_ / "history/b2_second.sql";
  std::string text;
  {
    std::ifstream in(file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text[text.find("u (id")] = 'v';
  tmp_.write("history/b2_second.sql", text);
  EXPECT_FALSE(stamped_history_hash(dir(), cache()));

  hash_ = migtest::load_history(dir()).content_hash();
  stamp_after_settling();
  ASSERT_EQ(stamped_history_hash(dir(), cache()), hash_);
  tmp_.write(
      "history/c3_third.sql",
      migtest::test::revision_file("c3", "b2", "CREATE TABLE w (id INTEGER);", "DROP TABLE w;"));
  EXPECT_FALSE(stamped_history_hash(dir(), cache()));
  boost::filesystem::remove(tmp_.path() / "history/c3_third.sql");
  EXPECT_EQ(stamped_history_hash(dir(), cache()), hash_);  // the files are as stamped again

  stamp_after_settling();
  ASSERT_EQ(stamped_history_hash(dir(), cache()), hash_);
  boost::filesystem::rename(tmp_.path() / "history/b2_second.sql",
                            tmp_.path() / "history/b2_renamed.sql");
  EXPECT_FALSE(stamped_history_hash(dir(), cache()));
}

TEST_F(HistoryStampTest, AStampThatIsDamagedOrOfAnotherDirectoryIsNotUsed) {
  stamp_after_settling();
  const std::string file = migtest::detail::history_stamp_file(dir(), cache());
  std::string text;
  {
    std::ifstream in(file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(text.find(hash_), std::string::npos);
  std::string planted = text;
  planted.replace(planted.find(hash_), hash_.size(), "'; DROP TABLE t; --");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << planted;
  EXPECT_FALSE(stamped_history_hash(dir(), cache()));

  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  ASSERT_EQ(stamped_history_hash(dir(), cache()), hash_);
  // Another directory's stamp file name differs, and its content names its own directory.
  tmp_.mkdir("other");
  EXPECT_FALSE(stamped_history_hash(tmp_ / "other", cache()));
}

// What a test process does: its template's key from the stamp, the history not loaded; and
// when the template has to be built, the history is loaded then and must match the stamp.
TEST_F(HistoryStampTest, AProcessWithAStampKeysItsTemplateWithoutLoadingTheHistory) {
  const auto config =
      migtest::TestConfig().migrations(dir()).cache_directory(cache()).temp_directory(tmp_ / "tmp");
  const std::string key = migtest::detail::Template::key_of(
      migtest::detail::template_spec(config, migtest::Backend::sqlite));
  stamp_after_settling();
  // A new TestConfig for the same directory: this process already knows it under the old
  // cache; another cache directory stands for another process.
  tmp_.mkdir("cache2");
  migtest::detail::write_cache_file(
      migtest::detail::history_stamp_file(dir(), tmp_ / "cache2"),
      migtest::detail::read_cache_file(migtest::detail::history_stamp_file(dir(), cache())));
  const auto spec = migtest::detail::template_spec(
      migtest::TestConfig(config).cache_directory(tmp_ / "cache2"), migtest::Backend::sqlite);
  EXPECT_FALSE(spec.history->loaded());
  EXPECT_EQ(migtest::detail::Template::key_of(spec), key);
  // No template in cache2: it is built, and that loads the history.
  auto t = migtest::detail::Template::acquire(spec);
  EXPECT_TRUE(spec.history->loaded());
  EXPECT_EQ(t->clone().connect()->scalar("SELECT count(*) FROM u").as_int(), 0);
}

TEST_F(HistoryStampTest, FilesThatChangedBetweenTheStampAndTheLoadAreRefused) {
  migtest::detail::TemplateHistory h(dir(), std::string(64, 'a'), [this] {
    return std::make_shared<const migtest::History>(migtest::load_history(dir()));
  });
  EXPECT_FALSE(h.loaded());
  try {
    h.get();
    FAIL() << "loaded a history whose hash is not the stamp's";
  } catch (const migtest::error& e) {
    EXPECT_NE(std::string(e.what()).find("changed while this process used them"), std::string::npos)
        << e.what();
  }
}

}  // namespace
