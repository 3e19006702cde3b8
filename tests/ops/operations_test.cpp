// Every operation applied up and down on a real database (SQLite file, throwaway PostgreSQL),
// with rows in the tables: rows and the reflected schema are checked after each step, and the
// schema after the way down must equal the schema before it.
#include "migtest/operations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "migtest/dialect.hpp"
#include "migtest/ops.hpp"
#include "migtest/registry.hpp"
#include "migtest/runner.hpp"
#include "support/scratch.hpp"

using migtest::Value;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

using Rows = std::vector<std::vector<Value>>;

Rows rows(migtest::Connection& c, const std::string& sql) {
  Rows out;
  for (const auto& r : c.query(sql).rows) out.push_back(r.values());
  return out;
}

const migtest::Column* column(const migtest::Schema& s, const std::string& table,
                              const std::string& name) {
  const migtest::Table* t = s.find_table(table);
  return t ? t->find_column(name) : nullptr;
}

// Runs `body` as a revision does: inside one transaction, with a fresh Operations.
void in_revision(migtest::Connection& c, const std::function<void(migtest::Operations&)>& body) {
  migtest::Transaction tx(c, migtest::TransactionMode::immediate);
  migtest::Operations op(c);
  body(op);
  tx.commit();
}

class OperationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  // user (referenced by post, with rows) and post.
  static void create_blog(migtest::Connection& c) {
    in_revision(c, [](migtest::Operations& op) {
      op.create_table("user",
                      {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                       migtest::column("username", migtest::String(50), migtest::nullable),
                       migtest::column("fingerprint", migtest::String(40), migtest::index)});
      op.create_table("post", [](migtest::TableBuilder& t) {
        t.column("id", migtest::Integer{}, migtest::primary_key)
            .column("author_id", migtest::Integer{},
                    migtest::foreign_key("user.id", migtest::on_delete::cascade))
            .column("editor_id", migtest::Integer{}, migtest::nullable)
            .column("title", migtest::String(100))
            .column("views", migtest::Integer{}, migtest::server_default("0"));
      });
      op.bulk_insert("user", {"id", "username", "fingerprint"},
                     {{1, "ann", "f1"}, {2, "bob", "f2"}, {3, "cy", "f3"}});
      op.bulk_insert("post", std::vector<std::map<std::string, Value>>{
                                 {{"id", 10}, {"author_id", 1}, {"title", "Hello"}},
                                 {{"id", 11}, {"author_id", 2}, {"title", "World"}},
                                 {{"id", 12}, {"author_id", 1}, {"title", "Again"}}});
    });
  }
};

struct Step {
  std::string name;
  std::function<void(migtest::Operations&)> up, down;
  std::function<void(migtest::Connection&, const migtest::Schema&)> check_up;
};

TEST_P(OperationsTest, EveryOperationUpAndDownKeepsRowsAndSchema) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  create_blog(*c);
  const Rows users = rows(*c, R"(SELECT id, username, fingerprint FROM "user" ORDER BY id)");
  const Rows posts = rows(*c, R"(SELECT id, author_id, title, views FROM post ORDER BY id)");
  ASSERT_EQ(users.size(), 3u);
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[0][3], Value(0));  // the server default

  using migtest::Operations;
  std::vector<Step> steps = {
      {"create_table / drop_table",
       [](Operations& op) {
         op.create_table("tag", [](migtest::TableBuilder& t) {
           t.column("id", migtest::Integer{}, migtest::primary_key)
               .column("post_id", migtest::Integer{}, migtest::foreign_key("post.id"))
               .column("label", migtest::String(30))
               .unique_constraint("uq_tag_label", {"post_id", "label"})
               .check("ck_tag_label", "length(label) > 0")
               .index("ix_tag_label", {"label"});
         });
         op.bulk_insert("tag", {"id", "post_id", "label"}, {{1, 10, "c++"}});
       },
       [](Operations& op) { op.drop_table("tag"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("tag");
         ASSERT_NE(t, nullptr);
         EXPECT_EQ(t->foreign_keys.size(), 1u);
         EXPECT_EQ(t->checks.size(), 1u);
         EXPECT_NE(t->find_index("ix_tag_label"), nullptr);
         EXPECT_EQ(conn.scalar("SELECT label FROM tag").as_text(), "c++");
       }},
      {"rename_table", [](Operations& op) { op.rename_table("post", "article"); },
       [](Operations& op) { op.rename_table("article", "post"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         EXPECT_EQ(s.find_table("post"), nullptr);
         ASSERT_NE(s.find_table("article"), nullptr);
         EXPECT_EQ(conn.scalar("SELECT count(*) FROM article").as_int(), 3);
       }},
      {"add_column in place / drop_column",
       [](Operations& op) {
         op.add_column("user",
                       migtest::column("karma", migtest::Integer{}, migtest::server_default("0")));
       },
       [](Operations& op) { op.drop_column("user", "karma"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Column* k = column(s, "user", "karma");
         ASSERT_NE(k, nullptr);
         EXPECT_FALSE(k->nullable);
         EXPECT_EQ(conn.scalar(R"(SELECT sum(karma) FROM "user")").as_int(), 0);
         EXPECT_EQ(conn.scalar(R"(SELECT count(*) FROM "user")").as_int(), 3);
       }},
      {"add_column with a unique constraint / drop a constrained column",
       [](Operations& op) {
         op.add_column("post", migtest::column("slug", migtest::String(80), migtest::nullable,
                                               migtest::unique));
         op.execute("UPDATE post SET slug = 'p-' || id");
       },
       [](Operations& op) { op.drop_column("post", "slug"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("post");
         ASSERT_NE(t, nullptr);
         ASSERT_EQ(t->uniques.size(), 1u);
         EXPECT_EQ(t->uniques[0].columns, std::vector<std::string>{"slug"});
         EXPECT_EQ(conn.scalar("SELECT slug FROM post WHERE id = 11").as_text(), "p-11");
         EXPECT_THROW(conn.execute("UPDATE post SET slug = 'same'"), migtest::database_error);
       }},
      {"alter_column type",
       [](Operations& op) {
         op.alter_column("post", "title", migtest::alter().type(migtest::Text{}));
       },
       [](Operations& op) {
         op.alter_column("post", "title", migtest::alter().type(migtest::String(100)));
       },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         ASSERT_NE(column(s, "post", "title"), nullptr);
         EXPECT_EQ(column(s, "post", "title")->type, "text");
         EXPECT_EQ(conn.scalar("SELECT title FROM post WHERE id = 12").as_text(), "Again");
       }},
      {"alter_column nullable on a table others refer to",
       [](Operations& op) {
         op.alter_column("user", "username", migtest::alter().nullable(false));
       },
       [](Operations& op) { op.alter_column("user", "username", migtest::alter().nullable(true)); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         ASSERT_NE(column(s, "user", "username"), nullptr);
         EXPECT_FALSE(column(s, "user", "username")->nullable);
         // The children's rows survived the parent's rebuild (ON DELETE CASCADE did not fire).
         EXPECT_EQ(conn.scalar("SELECT count(*) FROM post").as_int(), 3);
         EXPECT_THROW(conn.execute(R"(INSERT INTO "user" (id, fingerprint) VALUES (9, 'x'))"),
                      migtest::database_error);
       }},
      {"alter_column server default",
       [](Operations& op) {
         op.alter_column("post", "views", migtest::alter().server_default("7"));
       },
       [](Operations& op) {
         op.alter_column("post", "views", migtest::alter().server_default("0"));
       },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         ASSERT_NE(column(s, "post", "views"), nullptr);
         EXPECT_EQ(column(s, "post", "views")->default_value, std::optional<std::string>("7"));
         conn.execute("INSERT INTO post (id, author_id, title) VALUES (99, 3, 'x')");
         EXPECT_EQ(conn.scalar("SELECT views FROM post WHERE id = 99").as_int(), 7);
         conn.execute("DELETE FROM post WHERE id = 99");
       }},
      {"alter_column drop default",
       [](Operations& op) {
         op.alter_column("post", "views", migtest::alter().drop_server_default());
       },
       [](Operations& op) {
         op.alter_column("post", "views", migtest::alter().server_default("0"));
       },
       [](migtest::Connection&, const migtest::Schema& s) {
         ASSERT_NE(column(s, "post", "views"), nullptr);
         EXPECT_FALSE(column(s, "post", "views")->default_value.has_value());
       }},
      {"alter_column rename",
       [](Operations& op) {
         op.alter_column("user", "username", migtest::alter().rename("handle"));
       },
       [](Operations& op) { op.rename_column("user", "handle", "username"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         EXPECT_EQ(column(s, "user", "username"), nullptr);
         EXPECT_EQ(conn.scalar(R"(SELECT handle FROM "user" WHERE id = 2)").as_text(), "bob");
       }},
      {"alter_column rename and type together",
       [](Operations& op) {
         op.alter_column("post", "title",
                         migtest::alter().rename("headline").type(migtest::String(200)));
       },
       [](Operations& op) {
         op.alter_column("post", "headline",
                         migtest::alter().rename("title").type(migtest::String(100)));
       },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         ASSERT_NE(column(s, "post", "headline"), nullptr);
         EXPECT_THAT(column(s, "post", "headline")->type, HasSubstr("200"));
         EXPECT_EQ(conn.scalar("SELECT headline FROM post WHERE id = 10").as_text(), "Hello");
       }},
      {"create_index / drop_index",
       [](Operations& op) { op.create_index("ix_post_title", "post", {"title"}, true); },
       [](Operations& op) { op.drop_index("ix_post_title", "post"); },
       [](migtest::Connection&, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("post");
         ASSERT_NE(t, nullptr);
         ASSERT_NE(t->find_index("ix_post_title"), nullptr);
         EXPECT_TRUE(t->find_index("ix_post_title")->unique);
       }},
      {"create_unique_constraint / drop_constraint",
       [](Operations& op) {
         op.create_unique_constraint("uq_user_username", "user", {"username"});
       },
       [](Operations& op) { op.drop_constraint("uq_user_username", "user"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("user");
         ASSERT_NE(t, nullptr);
         ASSERT_EQ(t->uniques.size(), 1u);
         EXPECT_EQ(t->uniques[0].name, "uq_user_username");
         EXPECT_EQ(conn.scalar("SELECT count(*) FROM post").as_int(), 3);
       }},
      {"create_foreign_key / drop_constraint",
       [](Operations& op) {
         op.create_foreign_key("fk_post_editor", "post", "user", {"editor_id"}, {"id"},
                               migtest::ReferentialAction::set_null);
       },
       [](Operations& op) {
         op.drop_constraint("fk_post_editor", "post", migtest::ops::ConstraintKind::foreign_key);
       },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("post");
         ASSERT_NE(t, nullptr);
         ASSERT_EQ(t->foreign_keys.size(), 2u);
         EXPECT_THROW(conn.execute("UPDATE post SET editor_id = 42 WHERE id = 10"),
                      migtest::database_error);
       }},
      {"create_check_constraint / drop_constraint",
       [](Operations& op) { op.create_check_constraint("ck_post_views", "post", "views >= 0"); },
       [](Operations& op) { op.drop_constraint("ck_post_views", "post"); },
       [](migtest::Connection& conn, const migtest::Schema& s) {
         const migtest::Table* t = s.find_table("post");
         ASSERT_NE(t, nullptr);
         ASSERT_EQ(t->checks.size(), 1u);
         EXPECT_THROW(conn.execute("UPDATE post SET views = -1"), migtest::database_error);
       }},
      {"execute with parameters",
       [](Operations& op) {
         op.execute("UPDATE post SET views = views + $1 WHERE author_id = $2", {5, 1});
       },
       [](Operations& op) {
         op.execute("UPDATE post SET views = views - $1 WHERE author_id = $2", {5, 1});
       },
       [](migtest::Connection& conn, const migtest::Schema&) {
         EXPECT_EQ(conn.scalar("SELECT sum(views) FROM post").as_int(), 10);
       }},
      {"bulk_insert",
       [](Operations& op) {
         op.bulk_insert("user", {"id", "username", "fingerprint"},
                        {{4, "it's", "f4"}, {5, nullptr, "f5"}});
       },
       [](Operations& op) {
         op.execute(R"(DELETE FROM "user" WHERE id IN ($1, $2))", {4, 5});
       },
       [](migtest::Connection& conn, const migtest::Schema&) {
         EXPECT_EQ(conn.scalar(R"(SELECT username FROM "user" WHERE id = 4)").as_text(), "it's");
         EXPECT_TRUE(conn.scalar(R"(SELECT username FROM "user" WHERE id = 5)").is_null());
       }},
  };

  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    const migtest::Schema before = migtest::reflect(*c);
    in_revision(*c, step.up);
    step.check_up(*c, migtest::reflect(*c));
    in_revision(*c, step.down);
    EXPECT_EQ(migtest::reflect(*c), before);
    EXPECT_EQ(rows(*c, R"(SELECT id, username, fingerprint FROM "user" ORDER BY id)"), users);
    EXPECT_EQ(rows(*c, R"(SELECT id, author_id, title, views FROM post ORDER BY id)"), posts);
  }
}

TEST_P(OperationsTest, IdentifiersAreQuoted) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  // user, order and select are keywords; "Mixed Case" needs quotes everywhere.
  in_revision(*c, [](migtest::Operations& op) {
    op.create_table("order", {migtest::column("select", migtest::Integer{}, migtest::primary_key),
                              migtest::column("Mixed Case", migtest::Text{}, migtest::nullable)});
    op.add_column("order", migtest::column("user", migtest::Integer{}, migtest::nullable));
    op.create_index("ix_order_user", "order", {"user"});
    op.alter_column("order", "Mixed Case", migtest::alter().nullable(false).server_default("''"));
    op.bulk_insert("order", {"select", "user"}, {{1, 2}});
  });
  EXPECT_EQ(c->scalar(R"(SELECT "user" FROM "order")").as_int(), 2);
  EXPECT_EQ(c->scalar(R"(SELECT "Mixed Case" FROM "order")").as_text(), "");
}

TEST_P(OperationsTest, MissingTableOrColumnFailsBeforeAnythingChanges) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  create_blog(*c);
  const migtest::Schema before = migtest::reflect(*c);
  auto fails = [&](const std::function<void(migtest::Operations&)>& body, const std::string& says) {
    migtest::Operations op(*c);
    try {
      body(op);
      ADD_FAILURE() << "no error; expected one saying " << says;
    } catch (const migtest::schema_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(says));
    }
    EXPECT_EQ(migtest::reflect(*c), before);
  };
  fails([](migtest::Operations& op) { op.drop_column("user", "nickname"); },
        "table 'user' has no column 'nickname'");
  fails(
      [](migtest::Operations& op) {
        op.add_column("usr", migtest::column("a", migtest::Integer{}));
      },
      "table 'usr' does not exist");
  fails(
      [](migtest::Operations& op) {
        op.alter_column("post", "body", migtest::alter().nullable(true));
      },
      "table 'post' has no column 'body'");
  fails([](migtest::Operations& op) { op.drop_constraint("uq_nope", "user"); },
        "no constraint named 'uq_nope'");
  fails([](migtest::Operations& op) { op.drop_index("ix_nope"); },
        "index 'ix_nope' does not exist");
  fails(
      [](migtest::Operations& op) {
        op.create_foreign_key("fk", "post", "usr", {"editor_id"}, {"id"});
      },
      "table 'usr', which does not exist");
  fails(
      [](migtest::Operations& op) {
        op.create_table("user", {migtest::column("id", migtest::Integer{})});
      },
      "table 'user' already exists");
  fails([](migtest::Operations& op) { op.bulk_insert("post", {"nope"}, {{1}}); },
        "has no column 'nope'");
}

TEST_P(OperationsTest, MakingAColumnNotNullOverNullsNamesIt) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  create_blog(*c);
  c->execute(R"(UPDATE "user" SET username = NULL WHERE id = 2)");
  const migtest::Schema before = migtest::reflect(*c);
  try {
    in_revision(*c, [](migtest::Operations& op) {
      op.alter_column("user", "username", migtest::alter().nullable(false));
    });
    ADD_FAILURE() << "no error";
  } catch (const migtest::error& e) {
    EXPECT_THAT(e.what(), HasSubstr("username"));
  }
  EXPECT_EQ(migtest::reflect(*c), before);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 3);
}

// The seed's manual migration: add display_name, copy it from username, make it NOT NULL. The
// same C++ revision runs unchanged on both backends, through the runner.
migtest::Registry& seed_registry() {
  static migtest::Registry r = [] {
    migtest::Registry reg;
    reg.add(
        "5eed00000001", "", "Blog",
        [](migtest::Operations& op) {
          op.create_table("user",
                          {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                           migtest::column("username", migtest::String{}, migtest::nullable)});
          op.create_table(
              "post",
              {migtest::column("id", migtest::Integer{}, migtest::primary_key),
               migtest::column("author_id", migtest::Integer{},
                               migtest::foreign_key("user.id", migtest::on_delete::cascade))});
          op.bulk_insert("user", {"id", "username"}, {{1, "ann"}, {2, "bob"}});
          op.bulk_insert("post", {"id", "author_id"}, {{1, 1}, {2, 2}});
        },
        [](migtest::Operations& op) {
          op.drop_table("post");
          op.drop_table("user");
        });
    reg.add(
        "5eed00000002", "5eed00000001", "Add display_name",
        [](migtest::Operations& op) {
          op.add_column("user",
                        migtest::column("display_name", migtest::String{}, migtest::nullable));
          op.execute(R"(UPDATE "user" SET display_name = username)");
          op.alter_column("user", "display_name", migtest::alter().nullable(false));
        },
        [](migtest::Operations& op) { op.drop_column("user", "display_name"); });
    return reg;
  }();
  return r;
}

TEST_P(OperationsTest, SeedManualMigrationRunsUnchanged) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::History h = migtest::load_history(seed_registry());
  migtest::Runner runner(*c, h);
  runner.upgrade("5eed00000001");
  const migtest::Schema before = migtest::reflect(*c);
  runner.upgrade("head");
  migtest::Schema after = migtest::reflect(*c);
  ASSERT_NE(column(after, "user", "display_name"), nullptr);
  EXPECT_FALSE(column(after, "user", "display_name")->nullable);
  EXPECT_EQ(rows(*c, R"(SELECT display_name FROM "user" ORDER BY id)"),
            (Rows{{Value("ann")}, {Value("bob")}}));
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 2);
  runner.downgrade("-1");
  EXPECT_EQ(migtest::reflect(*c), before);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM post").as_int(), 2);
}

TEST_P(OperationsTest, AFailingOperationRollsTheRevisionBack) {
  MIGTEST_SCRATCH(db, GetParam());
  auto c = db.connect_to();
  migtest::Registry reg;
  reg.add("fa11ed000001", "", "Two ops, the second wrong", [](migtest::Operations& op) {
    op.create_table("a", {migtest::column("id", migtest::Integer{}, migtest::primary_key)});
    op.drop_column("a", "missing");
  });
  migtest::History h = migtest::load_history(reg);
  migtest::Runner runner(*c, h);
  try {
    runner.upgrade("head");
    ADD_FAILURE() << "no error";
  } catch (const migtest::migration_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("drop column a.missing: table 'a' has no column 'missing'"));
  }
  EXPECT_EQ(migtest::reflect(*c).find_table("a"), nullptr);
  EXPECT_TRUE(runner.current().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OperationsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// SQLite only: the rebuild outside a transaction takes its own, with foreign keys off.
TEST(SqliteRebuild, OutsideATransactionKeepsChildRowsAndForeignKeysOn) {
  migtest::test::ScratchDatabase db("sqlite");
  auto c = db.connect_to();
  c->execute("CREATE TABLE p (id INTEGER PRIMARY KEY, v TEXT)");
  c->execute(
      "CREATE TABLE ch (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id) ON DELETE CASCADE)");
  c->execute("CREATE VIEW pv AS SELECT id, v FROM p");
  c->execute(
      "CREATE TRIGGER p_upper AFTER INSERT ON p BEGIN UPDATE p SET v = upper(v) WHERE id = NEW.id; "
      "END");
  c->execute("INSERT INTO p VALUES (1, 'a'), (2, 'b')");
  c->execute("INSERT INTO ch VALUES (10, 1), (20, 2)");
  std::vector<std::string> seen;
  migtest::Operations op(
      *c, [&](const std::string& sql, const migtest::Params&) { seen.push_back(sql); });
  op.alter_column("p", "v", migtest::alter().nullable(false));
  EXPECT_EQ(c->scalar("SELECT count(*) FROM ch").as_int(), 2);
  EXPECT_EQ(c->scalar("SELECT count(*) FROM pv").as_int(), 2);
  EXPECT_EQ(c->scalar("PRAGMA foreign_keys").as_int(), 1);
  c->execute("INSERT INTO p VALUES (3, 'c')");
  EXPECT_EQ(c->scalar("SELECT v FROM p WHERE id = 3").as_text(), "C");  // the trigger came back
  EXPECT_THROW(c->execute("INSERT INTO ch VALUES (30, 99)"), migtest::database_error);
  EXPECT_THAT(seen, ::testing::Contains(HasSubstr("INSERT INTO \"_migtest_new_p\"")));
  EXPECT_THAT(seen, ::testing::Contains(std::string("PRAGMA foreign_keys = OFF")));
}

TEST(SqliteRebuild, BrokenForeignKeysFailTheRebuild) {
  migtest::test::ScratchDatabase db("sqlite");
  auto c = db.connect_to();
  c->execute("CREATE TABLE p (id INTEGER PRIMARY KEY)");
  c->execute("CREATE TABLE ch (id INTEGER PRIMARY KEY, pid INTEGER)");
  c->execute("INSERT INTO ch VALUES (1, 5)");
  const migtest::Schema before = migtest::reflect(*c);
  migtest::Transaction tx(*c, migtest::TransactionMode::immediate);
  migtest::Operations op(*c);
  try {
    op.create_foreign_key("fk_ch_p", "ch", "p", {"pid"}, {"id"});
    ADD_FAILURE() << "no error";
  } catch (const migtest::schema_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("breaks 1 foreign key reference"));
  }
  tx.rollback();
  EXPECT_EQ(migtest::reflect(*c), before);
}

// Batch mode (Operations::batch), SQLite: rebuilds of one table folded into one, made before
// whatever needs the table as it is.
std::size_t rebuilds_of(const std::vector<std::string>& seen, const std::string& table) {
  return static_cast<std::size_t>(std::count_if(
      seen.begin(), seen.end(),
      [&](const std::string& s) { return s.rfind("-- table rebuild of " + table + " ", 0) == 0; }));
}

TEST(SqliteBatch, RebuildsOfOneTableAreOneUntilSomethingNeedsTheTable) {
  migtest::test::ScratchDatabase db("sqlite");
  auto c = db.connect_to();
  c->execute("CREATE TABLE p (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER)");
  c->execute("CREATE INDEX ix_p_b ON p (b)");
  c->execute("INSERT INTO p VALUES (1, 'x', 'b1', 1), (2, 'y', 'b2', 2)");
  std::vector<std::string> seen;
  migtest::Transaction tx(*c, migtest::TransactionMode::immediate);
  migtest::Operations op(
      *c, [&](const std::string& sql, const migtest::Params&) { seen.push_back(sql); });
  op.batch([&] {
    op.alter_column("p", "a", migtest::alter().nullable(false));
    op.add_column("p",
                  migtest::column("d", migtest::Integer{}, migtest::nullable, migtest::unique));
    op.create_check_constraint("ck_p_c", "p", "c >= 0");
    EXPECT_EQ(rebuilds_of(seen, "p"), 0u);  // still pending
    op.create_index("ix_p_c", "p", {"c"});  // needs p as it is: the three made as one
    EXPECT_EQ(rebuilds_of(seen, "p"), 1u);
    op.alter_column("p", "c", migtest::alter().type(migtest::BigInteger{}));
    op.execute("UPDATE p SET d = id * 10");  // sees d
  });
  tx.commit();
  EXPECT_EQ(rebuilds_of(seen, "p"), 2u) << ::testing::PrintToString(seen);
  const migtest::Schema after = migtest::reflect(*c);
  const migtest::Table& p = *after.find_table("p");
  EXPECT_FALSE(p.find_column("a")->nullable);
  EXPECT_EQ(p.uniques.size(), 1u);
  ASSERT_EQ(p.checks.size(), 1u);
  EXPECT_EQ(p.checks[0].name, "ck_p_c");
  EXPECT_NE(p.find_index("ix_p_b"), nullptr);
  EXPECT_NE(p.find_index("ix_p_c"), nullptr);
  EXPECT_EQ(rows(*c, "SELECT id, a, d FROM p ORDER BY id"), (Rows{{1, "x", 10}, {2, "y", 20}}));
}

TEST(SqliteBatch, ATableIsRebuiltAfterTheTablesItRefersTo) {
  migtest::test::ScratchDatabase db("sqlite");
  auto c = db.connect_to();
  c->execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT)");
  c->execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_code TEXT)");
  c->execute("INSERT INTO parent VALUES (1, 'a')");
  c->execute("INSERT INTO child VALUES (10, 'a')");
  migtest::Transaction tx(*c, migtest::TransactionMode::immediate);
  migtest::Operations op(*c);
  // The child's foreign key first: its check needs parent.code unique, which comes after.
  op.batch([&] {
    op.create_foreign_key("fk_child_parent", "child", "parent", {"parent_code"}, {"code"});
    op.create_unique_constraint("uq_parent_code", "parent", {"code"});
  });
  tx.commit();
  migtest::Schema s = migtest::reflect(*c);
  EXPECT_EQ(s.find_table("child")->foreign_keys.size(), 1u);
  EXPECT_EQ(s.find_table("parent")->uniques.size(), 1u);
}

TEST(SqliteBatch, ABodyThatThrowsLeavesNothingPending) {
  migtest::test::ScratchDatabase db("sqlite");
  auto c = db.connect_to();
  c->execute("CREATE TABLE p (id INTEGER PRIMARY KEY, a TEXT)");
  const migtest::Schema before = migtest::reflect(*c);
  migtest::Operations op(*c);  // no transaction: a rebuild made would stay
  EXPECT_THROW(op.batch([&] {
    op.alter_column("p", "a", migtest::alter().nullable(false));
    op.alter_column("p", "nope", migtest::alter().nullable(false));
  }),
               migtest::schema_error);
  EXPECT_EQ(migtest::reflect(*c), before);
  op.alter_column("p", "a", migtest::alter().nullable(false));  // and the next runs alone
  EXPECT_FALSE(migtest::reflect(*c).find_table("p")->find_column("a")->nullable);
}

// The actions are the ReferentialAction enum; each renders as its SQL keywords, and an
// action left out is NO ACTION, which is not written.
TEST(CreateForeignKey, ActionsRenderAsTheirKeywords) {
  std::vector<std::string> sql;
  migtest::Operations op = migtest::Operations::offline(
      migtest::Dialect::postgresql,
      [&](const std::string& s, const migtest::Params&) { sql.push_back(s); });
  op.create_foreign_key("fk_a", "post", "user", {"user_id"}, {"id"});
  op.create_foreign_key("fk_b", "post", "user", {"user_id"}, {"id"},
                        migtest::ReferentialAction::cascade);
  op.create_foreign_key("fk_c", "post", "user", {"user_id"}, {"id"},
                        migtest::ReferentialAction::set_null, migtest::ReferentialAction::restrict);
  op.create_foreign_key("fk_d", "post", "user", {"user_id"}, {"id"},
                        migtest::ReferentialAction::no_action,
                        migtest::ReferentialAction::set_default);
  ASSERT_EQ(sql.size(), 4u);
  EXPECT_THAT(sql[0], Not(HasSubstr(" ON ")));
  EXPECT_THAT(sql[1], HasSubstr(R"(REFERENCES "user" ("id") ON DELETE CASCADE)"));
  EXPECT_THAT(sql[1], Not(HasSubstr("ON UPDATE")));
  EXPECT_THAT(sql[2], HasSubstr(R"(("id") ON DELETE SET NULL ON UPDATE RESTRICT)"));
  EXPECT_THAT(sql[3], HasSubstr(R"(("id") ON UPDATE SET DEFAULT)"));
  EXPECT_THAT(sql[3], Not(HasSubstr("ON DELETE")));
}

}  // namespace
