#include "migtest/url.hpp"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <optional>

#include "migtest/error.hpp"
#include "support/leak.hpp"

using migtest::parse_url;
using migtest::redact;
using migtest::test::leaked_fragments;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// The message parse_url refuses `url` with ("" when it accepts it).
std::string refusal(const std::string& url) {
  try {
    parse_url(url);
  } catch (const migtest::connection_error& e) {
    return e.what();
  }
  return "";
}

// libpq's own URI parser, reached through the libpq that libpqxx loads: the judge of what libpq
// reads in a URL. (The tests link libpq only through libpqxx, hence dlopen.)
class Libpq {
 public:
  Libpq() : handle_(dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) {
    if (!handle_) return;
    parse_ = reinterpret_cast<decltype(&PQconninfoParse)>(dlsym(handle_, "PQconninfoParse"));
    free_ = reinterpret_cast<decltype(&PQconninfoFree)>(dlsym(handle_, "PQconninfoFree"));
    freemem_ = reinterpret_cast<decltype(&PQfreemem)>(dlsym(handle_, "PQfreemem"));
  }
  ~Libpq() {
    if (handle_) dlclose(handle_);
  }
  Libpq(const Libpq&) = delete;
  Libpq& operator=(const Libpq&) = delete;
  bool loaded() const { return parse_ && free_ && freemem_; }

  /// keyword -> value as libpq reads `conninfo`, or nullopt when libpq refuses it.
  std::optional<std::map<std::string, std::string>> read(const std::string& conninfo) const {
    char* err = nullptr;
    PQconninfoOption* options = parse_(conninfo.c_str(), &err);
    if (!options) {
      if (err) freemem_(err);
      return std::nullopt;
    }
    std::map<std::string, std::string> values;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (o->val) values[o->keyword] = o->val;
    }
    free_(options);
    return values;
  }

  /// Every keyword libpq knows.
  std::vector<std::string> keywords() const {
    PQconninfoOption* options = parse_("", nullptr);
    std::vector<std::string> out;
    for (PQconninfoOption* o = options; o->keyword; ++o) out.emplace_back(o->keyword);
    free_(options);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  void* handle_;
  decltype(&PQconninfoParse) parse_ = nullptr;
  decltype(&PQconninfoFree) free_ = nullptr;
  decltype(&PQfreemem) freemem_ = nullptr;
};

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

// What migtest's parse says libpq will be given, in PQconninfoParse's terms.
std::map<std::string, std::string> as_libpq_reads(const migtest::DatabaseUrl& u) {
  std::map<std::string, std::string> v;
  if (!u.user.empty()) v["user"] = u.user;
  if (!u.password.empty()) v["password"] = u.password;
  if (!u.database.empty()) v["dbname"] = u.database;
  if (!join(u.hosts).empty()) v["host"] = join(u.hosts);
  if (!join(u.ports).empty()) v["port"] = join(u.ports);
  for (const auto& p : u.parameters) {
    if (p.key == "ssl")
      v["sslmode"] = "require";
    else
      v[p.key] = p.value;
  }
  return v;
}

}  // namespace

TEST(Url, SqliteForms) {
  EXPECT_EQ(parse_url("sqlite:///app.db").path, "app.db");
  EXPECT_EQ(parse_url("sqlite:////var/lib/app.db").path, "/var/lib/app.db");
  EXPECT_TRUE(parse_url("sqlite:///:memory:").is_memory());
  EXPECT_EQ(parse_url("sqlite:///app.db").dialect, migtest::Dialect::sqlite);
  EXPECT_EQ(parse_url("sqlite:///app.db").sqlite_mode, migtest::SqliteMode::unspecified);
  EXPECT_EQ(parse_url("sqlite:///app.db?").path, "app.db");
}

TEST(Url, SqliteModeParameter) {
  auto u = parse_url("sqlite:////srv/app.db?mode=ro");
  EXPECT_EQ(u.path, "/srv/app.db");
  EXPECT_EQ(u.sqlite_mode, migtest::SqliteMode::read_only);
  EXPECT_THAT(u.parameters, ElementsAre(migtest::UrlParameter{"mode", "ro"}));
  EXPECT_EQ(parse_url("sqlite:///a.db?mode=rw").sqlite_mode, migtest::SqliteMode::read_write);
  EXPECT_EQ(parse_url("sqlite:///a.db?mode=rwc").sqlite_mode,
            migtest::SqliteMode::read_write_create);
  EXPECT_TRUE(parse_url("sqlite:///:memory:?mode=rwc").is_memory());
}

TEST(Url, SqliteUnknownParametersAreRefusedByName) {
  EXPECT_EQ(refusal("sqlite:///a.db?foo=1"),
            "malformed SQLite URL 'sqlite:///a.db?foo=1': unknown parameter 'foo' (accepted: "
            "mode=ro, mode=rw, mode=rwc)");
  EXPECT_EQ(refusal("sqlite:///a.db?mode=readonly"),
            "malformed SQLite URL 'sqlite:///a.db?mode=readonly': mode 'readonly' is not ro, rw or "
            "rwc");
  EXPECT_THAT(refusal("sqlite:///a.db?mode=ro&mode=rw"), HasSubstr("mode= given twice"));
  EXPECT_THAT(refusal("sqlite:///a.db?mode"), HasSubstr("without '='"));
  EXPECT_THAT(refusal("sqlite:///?mode=ro"), HasSubstr("names no file"));
}

TEST(Url, PostgresPartsAreDecodedAsLibpqDecodesThem) {
  auto u = parse_url("postgresql://me%40corp:p%40ss%2Fw%3Frd@db.example:5433/my%20app");
  EXPECT_EQ(u.dialect, migtest::Dialect::postgresql);
  EXPECT_EQ(u.user, "me@corp");
  EXPECT_EQ(u.password, "p@ss/w?rd");
  EXPECT_THAT(u.hosts, ElementsAre("db.example"));
  EXPECT_THAT(u.ports, ElementsAre("5433"));
  EXPECT_EQ(u.database, "my app");

  u = parse_url("postgres://h1:5432,h2,[::1]:5434/app?target_session_attrs=read-write&ssl=true");
  EXPECT_THAT(u.hosts, ElementsAre("h1", "h2", "::1"));
  EXPECT_THAT(u.ports, ElementsAre("5432", "", "5434"));
  EXPECT_THAT(u.parameters, ElementsAre(migtest::UrlParameter{"target_session_attrs", "read-write"},
                                        migtest::UrlParameter{"ssl", "true"}));

  u = parse_url("postgresql:///db?host=/tmp/s&port=5433&user=me&password=a%26b%3Dc");
  EXPECT_THAT(u.hosts, ElementsAre(""));
  EXPECT_EQ(u.parameters.back(), (migtest::UrlParameter{"password", "a&b=c"}));
}

TEST(Url, RawReservedCharactersInAPasswordAreReadAsLibpqReadsThem) {
  // libpq ends the user information at the first '@' before any '/': '#', '?', ' ' and ':' stay
  // in the password.
  EXPECT_EQ(parse_url("postgresql://u:pa#ss@h/db").password, "pa#ss");
  EXPECT_EQ(parse_url("postgresql://u:pa?ss@h/db").password, "pa?ss");
  EXPECT_EQ(parse_url("postgresql://u:pa ss@h/db").password, "pa ss");
  EXPECT_EQ(parse_url("postgresql://u:pa:ss@h/db").password, "pa:ss");
  EXPECT_EQ(parse_url("postgresql://u:pa?ss@h/db").database, "db");
}

TEST(Url, MigtestReadsWhatLibpqReads) {
  Libpq libpq;
  ASSERT_TRUE(libpq.loaded()) << dlerror();
  for (const std::string url : {
           "postgresql://u:p%40ss%2Fw%3Frd@h:5432/db",
           "postgresql://u:pa#ss@h/db",
           "postgresql://u:pa?ss@h/db",
           "postgresql://u:pa ss@h/db",
           "postgresql://u:pa:ss@h/db",
           "postgresql://me%40corp:pw@h/db",
           "postgres://h1:5432,h2:5433,[::1]:5434/app?target_session_attrs=read-write",
           "postgresql://u@[fe80::1]/db",
           "postgresql:///db?host=/tmp/s&port=5433&user=me&password=a%26b",
           "postgresql://u@h/my%20db?application_name=migtest%20run&connect_timeout=3",
           "postgresql://h?sslmode=disable",
           "postgresql://u@h/db?ssl=true",
           "postgresql://",
           "postgresql://u:@h",
           "postgresql://:pw@h",
           "postgresql://a,b/db",
           "postgresql://u:pw@h/db?pass%77ord=zz",
           "postgresql://u@h/db?",
           "postgresql://u@h/db?dbname=other&options=-c%20statement_timeout%3D5",
       }) {
    SCOPED_TRACE(url);
    auto theirs = libpq.read(url);
    ASSERT_TRUE(theirs.has_value());
    EXPECT_EQ(as_libpq_reads(parse_url(url)), *theirs);
  }
}

TEST(Url, UrlsLibpqWouldMisreadAreRefusedWithoutThePassword) {
  // Each password written raw where libpq reads something else: refused, and the message shows
  // no piece of the password.
  Libpq libpq;
  ASSERT_TRUE(libpq.loaded()) << dlerror();
  struct Case {
    std::string url, password;
  };
  for (const Case& c : std::vector<Case>{
           {"postgresql://u:Zq9s3cret/x@host:5432/db", "Zq9s3cret/x"},
           {"postgresql://u:pa/ss9Q@h/db", "pa/ss9Q"},
           {"postgresql://u:Xk7@Wm2@h/db", "Xk7@Wm2"},
           {"postgresql://u:1234/5678@h/db", "1234/5678"},
           {"postgresql://u:1234/5?jk=9@h/db", "1234/5?jk=9"},
           {"postgresql://u:ab/c?d@h/db", "ab/c?d"},
           {"postgresql://h/db?password=Qw7r&Tz9=1", "Qw7r&Tz9=1"},
           {"postgresql://h/db?password=Qw7r=Tz9", "Qw7r=Tz9"},
           {"postgresql://u:Vb8%zz@h/db", "Vb8%zz"},
       }) {
    SCOPED_TRACE(c.url);
    const std::string message = refusal(c.url);
    EXPECT_THAT(message, HasSubstr("malformed PostgreSQL URL"));
    std::string rest = c.url;
    rest.erase(rest.find(c.password), c.password.size());
    EXPECT_THAT(leaked_fragments(message, c.password, rest), ::testing::IsEmpty()) << message;
    auto theirs = libpq.read(c.url);
    if (theirs) {
      EXPECT_NE((*theirs)["password"], c.password) << "libpq reads it as meant";
    }
  }
}

TEST(Url, RefusalsSayWhatIsWrong) {
  EXPECT_EQ(refusal("postgresql://u:Zq9s3cret/x@host:5432/db"),
            "malformed PostgreSQL URL 'postgresql://u:***@host:5432/db': a raw '@' after the user "
            "information: libpq ends the user name and password at the first '@' before any '/'; "
            "write '@' as %40 and '/' as %2F in user names, passwords and database names");
  EXPECT_EQ(refusal("postgresql://h:54x2/db"),
            "malformed PostgreSQL URL 'postgresql://h:54x2/db': a port that is not a number from 1 "
            "to 65535 (write '/' in a password as %2F)");
  EXPECT_THAT(refusal("postgresql://h:70000/db"), HasSubstr("not a number from 1 to 65535"));
  EXPECT_THAT(refusal("postgresql://h/db?port=5x"), HasSubstr("parameter 'port' is not a number"));
  EXPECT_THAT(refusal("postgresql://[::1/db"), HasSubstr("without its closing ']'"));
  EXPECT_THAT(refusal("postgresql://[]/db"), HasSubstr("empty IPv6 host"));
  EXPECT_THAT(refusal("postgresql://[::1]x/db"), HasSubstr("after an IPv6 host"));
  EXPECT_THAT(refusal("postgresql://h/db?sslmode"), HasSubstr("without '='"));
  EXPECT_THAT(refusal("postgresql://h/db?a=b=c"), HasSubstr("second '='"));
  EXPECT_THAT(refusal("postgresql://h/db?ssl=false"), HasSubstr("'ssl' takes only 'true'"));
  EXPECT_THAT(refusal("postgresql://h?user=me@x"), HasSubstr("a '?' in the user name"));
  EXPECT_THAT(refusal("postgresql://h/d%zzb"), HasSubstr("invalid percent-encoding"));
  EXPECT_THAT(refusal("postgresql://u:a%00b@h/db"), HasSubstr("invalid percent-encoding"));
  EXPECT_EQ(refusal("postgresql://u:a\nb@h/db"),
            "malformed PostgreSQL URL 'postgresql://u:***@h/db': a control character "
            "(percent-encode it)");
}

TEST(Url, UnknownParametersAreNamedWithTheAcceptedOnes) {
  const std::string message = refusal("postgresql://u:Hy6tPq@h/db?sslmdoe=require");
  EXPECT_THAT(message, HasSubstr("'postgresql://u:***@h/db?sslmdoe=require'"));
  EXPECT_THAT(message, HasSubstr("unknown parameter 'sslmdoe' (did you mean 'sslmode'?)"));
  EXPECT_THAT(message, HasSubstr("application_name, channel_binding, client_encoding"));
  EXPECT_THAT(message, Not(HasSubstr("Hy6tPq")));
  EXPECT_THAT(refusal("postgresql://h/db?foo=1"), HasSubstr("unknown parameter 'foo';"));
  // After a password= value, the "parameter" is the tail of a password with a raw '&'.
  EXPECT_THAT(refusal("postgresql://h/db?password=ab&cdefg=1"), Not(HasSubstr("cdefg")));
}

TEST(Url, AcceptedParametersAreLibpqsKeywords) {
  Libpq libpq;
  ASSERT_TRUE(libpq.loaded()) << dlerror();
  const auto& ours = migtest::postgres_keywords();
  EXPECT_EQ(std::vector<std::string>(ours.begin(), ours.end()), libpq.keywords());
  EXPECT_TRUE(std::is_sorted(ours.begin(), ours.end()));
}

TEST(Url, UnknownSchemeIsNamed) {
  try {
    parse_url("mysql://root:hunter2@localhost/db");
    FAIL() << "expected connection_error";
  } catch (const migtest::connection_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("unknown database URL scheme 'mysql'"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
  // A libpq keyword/value string is not a URL: refused, its password hidden.
  EXPECT_EQ(refusal("host=h password='Jk8 Lm3' dbname=app"),
            "'host=h password='***' dbname=app' is not a database URL (expected "
            "sqlite:///path.db or postgresql://...)");
}

TEST(Url, MalformedUrls) {
  EXPECT_THROW(parse_url(""), migtest::connection_error);
  EXPECT_THROW(parse_url("sqlite:app.db"), migtest::connection_error);
  EXPECT_THROW(parse_url("sqlite:///"), migtest::connection_error);
  EXPECT_THROW(parse_url("postgresql://u:secret@host:notaport/db"), migtest::connection_error);
  EXPECT_THAT(refusal("postgresql://u:secret@host:notaport/db"), Not(HasSubstr("secret")));
}

TEST(Url, RedactHidesPasswords) {
  EXPECT_EQ(redact("postgresql://me:s3cret@host:5432/db"), "postgresql://me:***@host:5432/db");
  EXPECT_EQ(redact("postgresql://me@host/db"), "postgresql://me@host/db");
  EXPECT_EQ(redact("postgresql:///db?user=a&password=xyz&host=/tmp"),
            "postgresql:///db?user=a&password=***&host=/tmp");
  EXPECT_EQ(redact("host=x password=abc dbname=y"), "host=x password=*** dbname=y");
  EXPECT_EQ(parse_url("postgresql://me:s3cret@h/db").redacted(), "postgresql://me:***@h/db");
}

TEST(Url, RedactHidesEveryPasswordAUserCanWrite) {
  struct Case {
    std::string text, redacted;
  };
  for (const Case& c : std::vector<Case>{
           // Raw reserved characters in the user information.
           {"postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:pa#ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:pa?ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:pa ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:pa:ss@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:p%40ss%2F@h/db", "postgresql://u:***@h/db"},
           {"postgresql://u:a\nb@h/db", "postgresql://u:***@h/db"},
           {"mysql://root:hunter2@localhost/db", "mysql://root:***@localhost/db"},
           // password= in a query, encoded keys and raw '&' in the value included.
           {"postgresql://h/db?password=a b&sslmode=disable",
            "postgresql://h/db?password=***&sslmode=disable"},
           {"postgresql://h/db?sslpassword=k3y", "postgresql://h/db?sslpassword=***"},
           {"postgresql://h/db?pass%77ord=zz&port=5", "postgresql://h/db?pass%77ord=***&port=5"},
           {"postgresql://h/db?password=ab&cd=1&port=5", "postgresql://h/db?password=***&port=5"},
           {"postgresql://h?password=p@ss", "postgresql://h?password=***"},
           // libpq keyword/value strings.
           {"host=x password='a b' dbname=y", "host=x password='***' dbname=y"},
           {"host=x password = 'it\\'s' dbname=y", "host=x password = '***' dbname=y"},
           {"host=x password=a\\ b dbname=y", "host=x password=*** dbname=y"},
           {"PASSWORD=abc host=x", "PASSWORD=*** host=x"},
           // URLs inside messages.
           {"cannot connect to 'postgresql://u:p w@h/db': refused",
            "cannot connect to 'postgresql://u:***@h/db': refused"},
           {"error: The following argument was not expected: postgresql://u:pa/ss@h/db",
            "error: The following argument was not expected: postgresql://u:***@h/db"},
           {"a postgresql://a:x1@h/d and postgresql://b:y2@h/d",
            "a postgresql://a:***@h/d and postgresql://b:***@h/d"},
       }) {
    EXPECT_EQ(redact(c.text), c.redacted) << c.text;
  }
}

TEST(Url, RedactKeepsWhatHoldsNoPassword) {
  for (const std::string text : {
           "postgresql://postgres@/postgres?host=/tmp/x&port=5432",
           "cannot connect to 'postgresql://u:***@h/db': FATAL: password authentication failed "
           "for user \"me@corp\"",
           "cannot connect to 'postgresql://h:5432/db': FATAL: role \"me@corp\" does not exist",
           "sqlite:///data/app.db?mode=ro",
           "--url: malformed PostgreSQL URL 'postgresql://mt@h/app?password=***': a query "
           "parameter without '='",
           "bad 'host=x password=***': oops",
           "password authentication failed",
       }) {
    EXPECT_EQ(redact(text), text);
  }
}

TEST(Url, WithDatabaseSwapsOnlyTheDatabase) {
  EXPECT_EQ(migtest::with_database("postgresql://u:p@h:5432/app?sslmode=disable", "scratch"),
            "postgresql://u:p@h:5432/scratch?sslmode=disable");
  EXPECT_EQ(migtest::with_database("postgresql://u@/app?host=/tmp/x&port=5", "t1"),
            "postgresql://u@/t1?host=/tmp/x&port=5");
  EXPECT_EQ(migtest::with_database("postgres://h", "t2"), "postgres://h/t2");
  EXPECT_EQ(migtest::with_database("postgresql://h/app?dbname=app", "x"),
            "postgresql://h/x?dbname=x");
  EXPECT_EQ(migtest::with_database("postgresql://h?host=/s", "x"), "postgresql://h/x?host=/s");
  EXPECT_THROW(migtest::with_database("sqlite:///a.db", "x"), migtest::config_error);
  // A password holding '?' or '/' (encoded) stays whole.
  EXPECT_EQ(migtest::with_database("postgresql://u:pa?ss@h/app", "x"), "postgresql://u:pa?ss@h/x");
  EXPECT_EQ(migtest::with_database("postgresql://u:p%2Fw@h/app?port=5", "x"),
            "postgresql://u:p%2Fw@h/x?port=5");
  EXPECT_EQ(migtest::with_database("postgresql://h/app", "my db"), "postgresql://h/my%20db");
}

TEST(Url, DatabaseOfIsTheDatabaseLibpqOpens) {
  EXPECT_EQ(migtest::database_of("postgresql://u@h/app?sslmode=disable"), "app");
  EXPECT_EQ(migtest::database_of("postgresql://u:pa?ss@h/app"), "app");
  EXPECT_EQ(migtest::database_of("postgresql://h/my%20app"), "my app");
  EXPECT_EQ(migtest::database_of("postgresql://h/app?dbname=other"), "other");
  EXPECT_EQ(migtest::database_of("postgresql://h"), "");
}
