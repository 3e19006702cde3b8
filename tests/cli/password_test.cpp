// Every command that takes a URL, fed URLs whose passwords are written every way a user can
// write them, run to failure through the real binary: no output shows the password, or a piece
// of it. A command added later is one line in kCommands.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/files.hpp"
#include "support/leak.hpp"
#include "support/postgres.hpp"
#include "support/process.hpp"

using migtest::test::leaked_fragments;
using migtest::test::run_migtest;
using migtest::test::shell_quote;

namespace {

namespace fs = boost::filesystem;

struct Command {
  std::string args;  // {url} where the URL is an argument; else it comes from configuration
  // What the command says when the URL is well formed but its database out of reach ("": it
  // succeeds without the database). A malformed URL fails every command.
  std::string fails_with = "cannot connect to";
};

// Each command of src/cli/cmd_*.cpp that reads the configured URL or takes one.
const std::vector<Command> kCommands = {
    {"upgrade head"},
    {"upgrade --sql head"},
    {"downgrade base"},
    {"downgrade --sql base"},
    {"stamp head"},
    {"current"},
    {"history -i"},
    {"check --schema schema.sql"},
    {"check --live --schema schema.sql"},
    {"verify"},
    {"revision --autogenerate -m next", "needs the models"},
    {"schema"},
    {"schema {url}"},
    {"diff {url} {url}"},
    {"current {url}", "was not expected"},  // a stray argument, quoted back by the parser
    {"history", ""},
    {"heads", ""},
    {"show head", ""},
    {"validate"},
    {"repair"},
    {"repair --applied 000000000001"},
};

// Where a failing database lives: {auth}, {db}, {query}, {host} and {port} in a case's URL.
struct Server {
  std::string auth, db, query, host, port;
};

// A URL holding `written` as its password; `decoded` is what libpq would send.
struct Case {
  std::string name, url, written, decoded;
  bool refused = false;  // parse_url refuses it: every command fails
};

const std::vector<Case> kCases = {
    {"raw_hash", "postgresql://mt:Zq9#s3Kr@{auth}/{db}?{query}", "Zq9#s3Kr", "Zq9#s3Kr"},
    {"raw_slash", "postgresql://mt:Wx4/p7Qd@{auth}/{db}?{query}", "Wx4/p7Qd", "Wx4/p7Qd", true},
    {"raw_question_mark", "postgresql://mt:Hv2?k8Lm@{auth}/{db}?{query}", "Hv2?k8Lm", "Hv2?k8Lm"},
    {"raw_space", "postgresql://mt:Ty5 n3Bc@{auth}/{db}?{query}", "Ty5 n3Bc", "Ty5 n3Bc"},
    {"raw_at", "postgresql://mt:Pf6@r9Gs@{auth}/{db}?{query}", "Pf6@r9Gs", "Pf6@r9Gs", true},
    {"raw_colon", "postgresql://mt:Jd3:w6Ny@{auth}/{db}?{query}", "Jd3:w6Ny", "Jd3:w6Ny"},
    {"slash_then_digits", "postgresql://mt:Zq9s3Xrt/x@{auth}/{db}?{query}", "Zq9s3Xrt/x",
     "Zq9s3Xrt/x", true},
    {"encoded", "postgresql://mt:Rb7%2Fx%40Ue%23@{auth}/{db}?{query}", "Rb7%2Fx%40Ue%23",
     "Rb7/x@Ue#"},
    {"encoded_space", "postgresql://mt:Ck8%20%3FVw@{auth}/{db}?{query}", "Ck8%20%3FVw", "Ck8 ?Vw"},
    {"bad_encoding", "postgresql://mt:Vb8%zzQe@{auth}/{db}?{query}", "Vb8%zzQe", "Vb8%zzQe", true},
    {"query_password", "postgresql://mt@{auth}/{db}?{query}&password=Gm4%26Ls9", "Gm4%26Ls9",
     "Gm4&Ls9"},
    {"query_password_raw_amp", "postgresql://mt@{auth}/{db}?{query}&password=Gm4&Ls9x", "Gm4&Ls9x",
     "Gm4&Ls9x", true},
    {"query_sslpassword", "postgresql://mt@{auth}/{db}?{query}&sslpassword=Fh3Wq8", "Fh3Wq8",
     "Fh3Wq8"},
    {"unknown_parameter", "postgresql://mt:Yt3Dk7@{auth}/{db}?{query}&sslmdoe=require", "Yt3Dk7",
     "Yt3Dk7", true},
    {"keyword_value", "host={host} port={port} password='Nq2 Xe8' dbname={db}", "Nq2 Xe8",
     "Nq2 Xe8", true},
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t p = text.find(from); p != std::string::npos;
       p = text.find(from, p + to.size())) {
    text.replace(p, from.size(), to);
  }
  return text;
}

std::string url_for(const Case& c, const Server& s) {
  std::string url = c.url;
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"{auth}", s.auth},
                                                        {"{db}", s.db},
                                                        {"{query}", s.query},
                                                        {"{host}", s.host},
                                                        {"{port}", s.port}}) {
    url = replace_all(url, key, value);
  }
  return url;
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A project with one revision and a declared schema, and the ways a URL reaches a command.
class PasswordTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_migtest("init", dir_).code, 0);
    // A revision that upgrades and downgrades, so that every command gets as far as the database.
    tmp_.write("migrations/versions/a1b2c3d4e5f6_first.sql",
               "-- revision: a1b2c3d4e5f6\n-- down_revision: none\n-- message: first\n\n"
               "-- migrate:up\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n\n"
               "-- migrate:down\nDROP TABLE t;\n");
    tmp_.write("schema.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n");
    ASSERT_EQ(run_migtest("--url sqlite:///ok.db upgrade head", dir_).code, 0);
  }

  // Runs `command` with `url` given every way it can be: one result per way.
  std::vector<std::pair<std::string, migtest::test::Output>> run_all(const Command& command,
                                                                     const std::string& url) {
    const std::string q = shell_quote(url);
    if (command.args.find("{url}") != std::string::npos) {
      return {{"argument", run_migtest("-v " + replace_all(command.args, "{url}", q), dir_)}};
    }
    std::vector<std::pair<std::string, migtest::test::Output>> out;
    out.emplace_back("--url", run_migtest("-v --url " + q + " " + command.args, dir_));
    out.emplace_back("DATABASE_URL", run_migtest("-v " + command.args, dir_, "DATABASE_URL=" + q));
    tmp_.write("migtest.toml",
               "migrations = \"migrations/versions\"\nurl = " + toml_string(url) + "\n");
    out.emplace_back("migtest.toml", run_migtest("-v " + command.args, dir_));
    fs::remove(dir_ / "migtest.toml");
    return out;
  }

  // Every command fails (where it must) and shows nothing of the password.
  void check_every_command(const Server& server) {
    const Case& c = GetParam();
    const std::string url = url_for(c, server);
    std::string rest = url;
    rest.erase(rest.find(c.written), c.written.size());
    for (const Command& command : kCommands) {
      for (const auto& [way, r] : run_all(command, url)) {
        SCOPED_TRACE("migtest " + command.args + " with the URL from " + way);
        if (c.refused || !command.fails_with.empty()) {
          EXPECT_NE(r.code, 0) << r.out << r.err;
          EXPECT_FALSE(r.err.empty()) << "no message";
        }
        if (!c.refused) {
          EXPECT_THAT(r.err, ::testing::HasSubstr(command.fails_with));
        }
        for (const std::string& secret : {c.written, c.decoded}) {
          EXPECT_THAT(leaked_fragments(r.out + r.err, secret, rest), ::testing::IsEmpty())
              << "stdout:\n"
              << r.out << "stderr:\n"
              << r.err;
        }
      }
    }
  }

  const migtest::test::TempDir tmp_{"migtest-pw"};
  const fs::path& dir_ = tmp_.path();
};

TEST_P(PasswordTest, NoCommandShowsItWhenTheServerIsUnreachable) {
  // Nothing listens on port 1: the connection is refused at once.
  check_every_command({"127.0.0.1:1", "app", "connect_timeout=3", "127.0.0.1", "1"});
}

TEST_P(PasswordTest, NoCommandShowsItWhenTheServerRefusesTheDatabase) {
  MIGTEST_REQUIRE_POSTGRES_URL(server_url);
  // The throwaway server listens on a socket: its directory and port are in its URL's query.
  const std::string query = server_url.substr(server_url.find('?') + 1);
  const std::string host = query.substr(5, query.find('&') - 5);
  const std::string port = query.substr(query.find("&port=") + 6);
  check_every_command({"", "no_such_db_pw", query, host, port});
}

INSTANTIATE_TEST_SUITE_P(Passwords, PasswordTest, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return p.param.name; });

}  // namespace
