// The build-time hash of C++ revisions' code: the generator script run directly on copies of
// tests/source/cpp_project's sources, and the project built in this tree with and without
// migtest_hash_revisions().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <map>
#include <regex>

#include "migtest/registry.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

namespace migtest {
namespace {

namespace fs = boost::filesystem;
using test::Output;
using test::run_program;
using test::shell_quote;
using test::slurp;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string kProject = MIGTEST_CPP_PROJECT_SOURCES;

// id -> hash, as the generated table lists them.
using Hashes = std::map<std::string, std::string>;

class RevisionHashScript : public ::testing::Test {
 protected:
  // A copy of one of the project's sources at `relative`, with `from` replaced by `to`.
  fs::path copy(const std::string& source, const std::string& relative,
                const std::string& from = "", const std::string& to = "") {
    std::string text = slurp(kProject + "/" + source);
    if (!from.empty()) {
      auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) text.replace(at, from.size(), to);
    }
    return dir_.write(relative, text);
  }

  // Runs the generator on `files`; the table it wrote, and its rows by id.
  Hashes hashes(const std::vector<fs::path>& files, std::string* table = nullptr) {
    fs::path list = dir_.path() / fs::unique_path("sources-%%%%%%%%");
    fs::path out = dir_.path() / fs::unique_path("table-%%%%%%%%.cpp");
    std::ofstream(list.string()) << [&] {
      std::string s;
      for (const auto& f : files) s += f.string() + "\n";
      return s;
    }();
    Output r = run_program(MIGTEST_CMAKE_COMMAND,
                           "-DSOURCES_FILE=" + shell_quote(list.string()) +
                               " -DOUTPUT=" + shell_quote(out.string()) + " -P " +
                               shell_quote(MIGTEST_SOURCE_DIR "/cmake/migtestHashRevisions.cmake"),
                           test::in_directory(dir_.path()));
    EXPECT_EQ(r.code, 0) << r.err;
    std::string text = slurp(out);
    if (table) *table = text;
    Hashes h;
    static const std::regex row(R"re(\{"[^"]*", "([A-Za-z0-9_]+)", "([0-9a-f]{64})"\})re");
    for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
      EXPECT_EQ(h.count((*it)[1]), 0u) << "twice: " << (*it)[1];
      h[(*it)[1]] = (*it)[2];
    }
    return h;
  }
  Hashes hashes_of_copy(const std::string& source, const std::string& from, const std::string& to) {
    return hashes(
        {copy(source, fs::unique_path("edit-%%%%%%%%").string() + "/" + source, from, to)});
  }

  test::TempDir dir_{"migtest-code-hash"};
};

TEST_F(RevisionHashScript, TheSameSourceHashesTheSameInAnyDirectory) {
  std::string table_a, table_b;
  Hashes a = hashes({copy("revisions.cpp", "one/revisions.cpp")}, &table_a);
  Hashes b = hashes({copy("revisions.cpp", "two/deeper/build/revisions.cpp")}, &table_b);
  EXPECT_THAT(a, ElementsAre(::testing::Key("c0de00000001"), ::testing::Key("c0de00000002")));
  EXPECT_EQ(a, b);
  EXPECT_NE(a["c0de00000001"], a["c0de00000002"]);
  EXPECT_THAT(table_a, HasSubstr(dir_ / "one/revisions.cpp"));  // the rows' keys differ
  EXPECT_THAT(table_b, HasSubstr(dir_ / "two/deeper/build/revisions.cpp"));
}

TEST_F(RevisionHashScript, EditingARevisionChangesItsHashAndNotItsSiblings) {
  const Hashes before = hashes({copy("revisions.cpp", "revisions.cpp")});
  struct Edit {
    const char *from, *to, *changed, *kept;
  };
  for (const Edit& e : {
           Edit{"migtest::Text{}, migtest::nullable", "migtest::String(200), migtest::nullable",
                "c0de00000002", "c0de00000001"},  // upgrade
           Edit{R"(drop_column("note", "body"))", R"(drop_column("note", "bodies"))",
                "c0de00000002", "c0de00000001"},                                  // downgrade
           Edit{R"({"notes"})", R"({"memos"})", "c0de00000002", "c0de00000001"},  // options
           Edit{"String{100}", "String{120}", "c0de00000001", "c0de00000002"},
           Edit{R"(op.drop_table("note");)", R"(op.drop_table("notes");)", "c0de00000001",
                "c0de00000002"},
       }) {
    Hashes after = hashes_of_copy("revisions.cpp", e.from, e.to);
    EXPECT_NE(after[e.changed], before.at(e.changed)) << e.from << " -> " << e.to;
    EXPECT_EQ(after[e.kept], before.at(e.kept)) << e.from << " -> " << e.to;
  }
}

TEST_F(RevisionHashScript, LayoutAndCommentsDoNotCountLiteralsDo) {
  const Hashes before = hashes({copy("revisions.cpp", "revisions.cpp")});
  // Reformatted: other indentation, line breaks, spaces around tokens, comments added.
  EXPECT_EQ(hashes_of_copy("revisions.cpp",
                           R"(MIGTEST_DOWNGRADE(c0de00000001) { op.drop_table("note"); })",
                           "MIGTEST_DOWNGRADE( c0de00000001 )\n{\n    // Why: the table goes.\n"
                           "    op.drop_table (\"note\") ; /* { not a brace */\n}"),
            before);
  EXPECT_EQ(
      hashes_of_copy("revisions.cpp", "{migtest::column(\"id\"", "{ /*a}*/ migtest::column(\"id\""),
      before);
  // Inside a string literal every byte counts (the SQL, a table name).
  Hashes spaced =
      hashes_of_copy("revisions.cpp", R"(op.drop_table("note"))", R"(op.drop_table("note "))");
  EXPECT_NE(spaced["c0de00000001"], before.at("c0de00000001"));
}

TEST_F(RevisionHashScript, OnlyTheRevisionsOwnBlocksAreRead) {
  const Hashes before = hashes({copy("tricky_revisions.cpp", "tricky_revisions.cpp")});
  // The macros named in a comment and in a string are not revisions.
  EXPECT_THAT(before, ElementsAre(::testing::Key("c0de00000003")));
  // The block runs past the braces, quotes and comment markers inside its literals...
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"'raw-marker'", "'raw-marker-2'"},
           {"/* not a comment */", "/* not a comment either */"},
           {R"(WHERE id < 0)", R"(WHERE id < 1)"},
           {"if (close != '}'", "if (close == '}'"}}) {
    EXPECT_NE(hashes_of_copy("tricky_revisions.cpp", from, to)["c0de00000003"],
              before.at("c0de00000003"))
        << from;
  }
  // ...and stops at its own closing brace; comments, even holding a revision's text, do not count.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"return 1;", "return 2;"},
           {R"(op.execute("DROP TABLE note"); } */)", R"(op.execute("DROP TABLE notes"); } */)"},
           {"a brace in a character literal: }", "a brace in a character literal: {"}}) {
    EXPECT_EQ(hashes_of_copy("tricky_revisions.cpp", from, to), before) << from;
  }
}

TEST_F(RevisionHashScript, SourcesWithoutRevisionsGiveAnEmptyTable) {
  std::string table;
  const fs::path plain = dir_.write("plain.cpp", "int answer() { return 42; }\n");
  EXPECT_THAT(hashes({plain, dir_ / "missing.cpp"}, &table), IsEmpty());
  EXPECT_THAT(table, HasSubstr("No MIGTEST_REVISION"));
  EXPECT_THAT(table, Not(HasSubstr("register_code_hashes")));
}

// The checksum follows the hash: the same revision keyed to an edited copy of its file gets
// another checksum, its sibling keeps its own.
TEST_F(RevisionHashScript, ChecksumsFollowTheCodeHash) {
  static std::deque<std::string> strings;  // a registered table must outlive the program
  static std::deque<std::vector<registration::CodeHash>> tables;
  auto checksums = [&](const fs::path& file) {
    std::vector<registration::CodeHash>& table = tables.emplace_back();
    for (const auto& [id, hash] : hashes({file})) {
      table.push_back({strings.emplace_back(file.string()).c_str(),
                       strings.emplace_back(id).c_str(), strings.emplace_back(hash).c_str()});
    }
    registration::register_code_hashes(table.data(), table.size());
    Registry reg;
    reg.add(
        "c0de00000001", "", "Create notes", [](Operations&) {}, [](Operations&) {});
    reg.add(
        "c0de00000002", "c0de00000001", "Add body", [](Operations&) {}, [](Operations&) {});
    reg.set_source_file("c0de00000001", file.string())
        .set_source_file("c0de00000002", file.string());
    History h = load_history(reg);
    EXPECT_THAT(h.unhashed_code(), IsEmpty());
    return std::make_pair(h.script("c0de00000001").checksum, h.script("c0de00000002").checksum);
  };
  auto original = checksums(copy("revisions.cpp", "a/revisions.cpp"));
  auto edited = checksums(copy("revisions.cpp", "b/revisions.cpp", R"({"notes"})", R"({"memos"})"));
  EXPECT_EQ(edited.first, original.first);
  EXPECT_NE(edited.second, original.second);
}

// ---- the project built in this tree (tests/source/cpp_project/CMakeLists.txt)

std::string checksum_shown(const std::string& exe, const std::string& id) {
  Output r = run_program(exe, "show " + id, test::in_directory(fs::temp_directory_path()));
  EXPECT_EQ(r.code, 0) << r.err;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.out, m, std::regex("Checksum: ([0-9a-f]{64})"))) << r.out;
  return m.empty() ? "" : m[1].str();
}

TEST(RevisionHashBuild, ATargetWithoutTheFunctionReportsItsRevisionsUnhashed) {
  Output hashed = run_program(MIGTEST_CPP_PROJECT, "--unhashed-code",
                              test::in_directory(fs::temp_directory_path()));
  ASSERT_EQ(hashed.code, 0) << hashed.err;
  EXPECT_EQ(hashed.out, "");
  Output unhashed = run_program(MIGTEST_CPP_PROJECT_UNHASHED, "--unhashed-code",
                                test::in_directory(fs::temp_directory_path()));
  ASSERT_EQ(unhashed.code, 0) << unhashed.err;
  EXPECT_EQ(unhashed.out, "c0de00000001\nc0de00000002\nc0de00000003\n");
  for (const char* id : {"c0de00000001", "c0de00000002", "c0de00000003"}) {
    EXPECT_NE(checksum_shown(MIGTEST_CPP_PROJECT, id),
              checksum_shown(MIGTEST_CPP_PROJECT_UNHASHED, id))
        << id;
  }
}

// What the build embedded is what the script computes from the source: the checksum the built
// command shows is the one a registry keyed to the script's hash gives.
TEST_F(RevisionHashScript, TheBuildEmbedsTheScriptsHash) {
  static const std::string hash = hashes({kProject + "/revisions.cpp"})["c0de00000002"];
  static const registration::CodeHash row = {MIGTEST_CPP_PROJECT_SOURCES "/elsewhere/revisions.cpp",
                                             "c0de00000002", hash.c_str()};
  registration::register_code_hashes(&row, 1);
  Registry reg;
  reg.add(
      "c0de00000002", "c0de00000001", "Add body", [](Operations&) {}, [](Operations&) {});
  reg.configure("c0de00000002", [](Revision& r) { r.branch_labels = {"notes"}; });
  reg.set_source_file("c0de00000002", "../elsewhere/revisions.cpp");
  std::vector<RevisionScript> scripts = reg.revisions_with_code_hashes();
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts[0].code_hash, hash);
  EXPECT_EQ(scripts[0].checksum, checksum_shown(MIGTEST_CPP_PROJECT, "c0de00000002"));
}

}  // namespace
}  // namespace migtest
