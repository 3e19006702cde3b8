// Input that is refused when a history loads, before anything can run: bytes that are not
// text, invalid UTF-8, and entries of the migrations folder that are not regular files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "source/source_support.hpp"

namespace migtest {
namespace {

using test::load_error;
using test::mentions;
using test::TempDir;
using ::testing::HasSubstr;

const std::string head = "-- revision: aaa\n-- down_revision: none\n-- migrate:up\n";

// A migtest revision whose up section is `DELETE FROM users<payload> WHERE id = 1;`.
std::string revision_with(const std::string& payload) {
  return head + "DELETE FROM users" + payload + " WHERE id = 1;\n-- migrate:down\nSELECT 0;\n";
}

// The error of loading a folder holding one migtest revision file with these bytes.
std::string refusal(const std::string& bytes, int* line = nullptr) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-bytes");
  dir.write("aaa_x.sql", bytes);
  try {
    load_history(dir.string());
  } catch (const parse_error& e) {
    EXPECT_EQ(e.file(), dir / "aaa_x.sql");
    if (line) *line = e.line();
    std::string what = e.what();
    // One line that names the file, then the rest of the message.
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(dir / "aaa_x.sql" + ":", 0), 0u) << what;
    return what.substr((dir / "aaa_x.sql").size());
  }
  ADD_FAILURE() << "loaded: " << bytes;
  return "";
}

TEST(RefusedInput, NulByteNamesLineOffsetAndColumn) {
  std::string bytes = revision_with(std::string(1, '\0'));
  std::size_t at = bytes.find('\0');
  int line = 0;
  // Line 4, "DELETE FROM users" is 17 characters: the NUL is the 18th.
  EXPECT_EQ(refusal(bytes, &line), ":4: byte 0x00 at offset " + std::to_string(at) +
                                       " (line 4, column 18): revision files must be text");
  EXPECT_EQ(line, 4);
}

TEST(RefusedInput, ColumnCountsCharactersNotBytes) {
  // "é" is two bytes, "€" three: the NUL after "-- é€" is the 6th character of line 1.
  std::string bytes = "-- é€" + std::string(1, '\0') + "\n" + revision_with("");
  EXPECT_THAT(refusal(bytes), HasSubstr("byte 0x00 at offset 8 (line 1, column 6)"));
  // A byte order mark is not a column.
  EXPECT_THAT(refusal("\xEF\xBB\xBF" + std::string(1, '\x01') + revision_with("")),
              HasSubstr("byte 0x01 at offset 3 (line 1, column 1)"));
}

TEST(RefusedInput, EveryControlByteButTabLfCrFfIsRefused) {
  for (int b = 0; b < 0x20; ++b) {
    if (b == '\t' || b == '\n' || b == '\r' || b == '\f') continue;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", b);
    EXPECT_THAT(refusal(revision_with(std::string(1, static_cast<char>(b)))),
                HasSubstr(std::string("byte ") + hex + " at offset"))
        << b;
  }
  EXPECT_THAT(refusal(revision_with("\x7F")), HasSubstr("byte 0x7F at offset"));
  // C1 controls written as UTF-8 (U+0080..U+009F): characters, refused as well.
  std::size_t at = revision_with("").find(" WHERE");
  EXPECT_THAT(
      refusal(revision_with("\xC2\x85")),
      HasSubstr("character U+0085 at offset " + std::to_string(at) + " (line 4, column 18)"));
}

TEST(RefusedInput, TabLfCrFfBomAndUnicodeAreText) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-text");
  dir.write("aaa_x.sql",
            "\xEF\xBB\xBF" + head + "SELECT\t'é€😀 ' ;\f\r\n-- migrate:down\r\nSELECT 0;\r\n");
  History h = load_history(dir.string());
  ASSERT_EQ(h.script("aaa").up.statements(migtest::Dialect::sqlite).size(), 1u);
  EXPECT_EQ(h.script("aaa").up.statements(migtest::Dialect::sqlite)[0].sql, "SELECT\t'é€😀 '");
}

TEST(RefusedInput, InvalidUtf8NamesTheSequence) {
  struct Case {
    std::string bytes;
    std::string shown;
  };
  const std::vector<Case> cases = {
      {"\xE9", "0xE9 0x20"},              // Latin-1 é before a space
      {"\x80", "0x80"},                   // a continuation byte with no lead
      {"\xC0\xAF", "0xC0"},               // overlong '/'
      {"\xE0\x80\xAF", "0xE0 0x80"},      // overlong, three bytes
      {"\xED\xA0\x80", "0xED 0xA0"},      // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", "0xF4 0x90"},  // above U+10FFFF
      {"\xF5\x80\x80\x80", "0xF5"},
      {"\xFF", "0xFF"},
  };
  std::size_t at = revision_with("").find(" WHERE");
  for (const auto& c : cases) {
    EXPECT_EQ(refusal(revision_with(c.bytes)),
              ":4: invalid UTF-8 " + c.shown + " at offset " + std::to_string(at) +
                  " (line 4, column 18): revision files must be UTF-8 text")
        << c.shown;
  }
  // Cut short by the end of the file.
  std::string cut = revision_with("") + "-- \xE2\x82";
  EXPECT_THAT(refusal(cut),
              HasSubstr("invalid UTF-8 0xE2 0x82 (cut short by the end of the file)"));
}

// Every layout reads its files through the same check.
TEST(RefusedInput, EveryLayoutRefusesANulByte) {
  const std::string nul = "DELETE FROM users" + std::string(1, '\0') + " WHERE id = 1;\n";
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> files;
    const char* refused;
  };
  const std::vector<Case> cases = {
      {"diesel up.sql", {{"20240101000000_a/up.sql", nul}}, "20240101000000_a/up.sql"},
      {"diesel down.sql",
       {{"20240101000000_a/up.sql", "SELECT 1;"}, {"20240101000000_a/down.sql", nul}},
       "20240101000000_a/down.sql"},
      {"diesel metadata.toml",
       {{"20240101000000_a/up.sql", "SELECT 1;"},
        {"20240101000000_a/metadata.toml", "run_in_transaction = false\n#" + nul}},
       "20240101000000_a/metadata.toml"},
      {"golang-migrate up", {{"1_a.up.sql", nul}}, "1_a.up.sql"},
      {"golang-migrate down", {{"1_a.up.sql", "SELECT 1;"}, {"1_a.down.sql", nul}}, "1_a.down.sql"},
      {"dbmate", {{"1_a.sql", "-- migrate:up\n" + nul + "-- migrate:down\n"}}, "1_a.sql"},
      {"goose", {{"1_a.sql", "-- +goose Up\n" + nul}}, "1_a.sql"},
  };
  for (const auto& c : cases) {
    TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-layouts");
    for (const auto& [name, text] : c.files) dir.write(name, text);
    std::string e = load_error<parse_error>(dir.string());
    EXPECT_THAT(e, HasSubstr(dir / c.refused + ":")) << c.name;
    EXPECT_THAT(e, HasSubstr("byte 0x00 at offset")) << c.name;
  }
}

// A loader blocked on a FIFO is killed by the alarm: the test fails instead of hanging.
class NoHang {
 public:
  NoHang() { ::alarm(20); }
  ~NoHang() { ::alarm(0); }
};

TEST(RefusedInput, FifoIsRefusedWithoutBlocking) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-fifo");
  dir.write("aaa_x.sql", revision_with(""));
  ASSERT_EQ(::mkfifo((dir / "bbb_y.sql").c_str(), 0600), 0) << std::strerror(errno);
  NoHang guard;
  EXPECT_EQ(
      load_error<parse_error>(dir.string()),
      (dir / "bbb_y.sql") + ": a FIFO, not a regular file: revision files must be regular files");
}

TEST(RefusedInput, FifoInADieselFolderIsRefusedWithoutBlocking) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-fifo-diesel");
  dir.mkdir("20240101000000_a");
  ASSERT_EQ(::mkfifo((dir / "20240101000000_a/up.sql").c_str(), 0600), 0);
  NoHang guard;
  EXPECT_THAT(load_error<parse_error>(dir.string()),
              HasSubstr("20240101000000_a/up.sql: a FIFO, not a regular file"));
}

TEST(RefusedInput, FifoThatCouldNeverBeARevisionIsIgnoredWithAWarning) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-fifo-other");
  dir.write("aaa_x.sql", revision_with(""));
  ASSERT_EQ(::mkfifo((dir / "notes").c_str(), 0600), 0);
  NoHang guard;
  History h = load_history(dir.string());
  EXPECT_EQ(h.scripts().size(), 1u);
  EXPECT_TRUE(mentions(h.warnings(), (dir / "notes") + ": ignored, a FIFO"));
}

TEST(RefusedInput, SocketIsRefused) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-socket");
  std::string path = dir / "aaa_x.sql";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path) << "build path too long for a socket";
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  EXPECT_EQ(load_error<parse_error>(dir.string()),
            path + ": a socket, not a regular file: revision files must be regular files");
  ::close(fd);
}

TEST(RefusedInput, DeviceIsRefused) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-device");
  boost::filesystem::create_symlink("/dev/zero", dir / "aaa_x.sql");
  NoHang guard;  // reading /dev/zero would never end
  EXPECT_EQ(load_error<parse_error>(dir.string()),
            (dir / "aaa_x.sql") +
                ": a character device, not a regular file: revision files must be regular files");
}

TEST(RefusedInput, SymlinkToARegularFileIsRead) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-symlink");
  dir.write("elsewhere/aaa.txt", revision_with(""));
  boost::filesystem::create_symlink(dir / "elsewhere/aaa.txt", dir / "aaa_x.sql");
  History h = load_history(dir.string());
  EXPECT_EQ(h.script("aaa").up.statements(migtest::Dialect::sqlite).size(), 1u);
}

TEST(RefusedInput, DanglingSymlinkIsRefusedWhereARevisionCouldBe) {
  TempDir dir(MIGTEST_BINARY_DIR, "scratch-source-dangling");
  dir.write("aaa_x.sql", revision_with(""));
  boost::filesystem::create_symlink(dir / "gone.sql", dir / "bbb_y.sql");
  EXPECT_EQ(load_error<parse_error>(dir.string()),
            (dir / "bbb_y.sql") +
                ": a symbolic link to a missing file, not a regular file: revision files must be "
                "regular files");

  TempDir other(MIGTEST_BINARY_DIR, "scratch-source-dangling-other");
  other.write("aaa_x.sql", revision_with(""));
  boost::filesystem::create_symlink(other / "gone.md", other / "README.md");
  History h = load_history(other.string());
  EXPECT_TRUE(mentions(h.warnings(),
                       (other / "README.md") + ": ignored, a symbolic link to a missing file"));
}

}  // namespace
}  // namespace migtest
