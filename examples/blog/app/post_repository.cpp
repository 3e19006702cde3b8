// The blog's posts on SQLite (SQLiteCpp) and PostgreSQL (libpqxx).
#include "post_repository.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <SQLiteCpp/Savepoint.h>

#include <pqxx/pqxx>

namespace blog {

namespace {
constexpr const char* kCreditAuthor = R"(UPDATE "user" SET karma = karma + 1 WHERE id = )";
}

std::int64_t SqlitePostRepository::publish(std::int64_t author_id, const std::string& title,
                                           const std::string& body) {
  SQLite::Savepoint publishing(db_, "publish");
  try {
    SQLite::Statement insert(db_, "INSERT INTO post(author_id, title, body) VALUES (?, ?, ?)");
    insert.bind(1, author_id);
    insert.bind(2, title);
    insert.bind(3, body);
    insert.exec();
    const std::int64_t id = db_.getLastInsertRowid();
    SQLite::Statement credit(db_, std::string(kCreditAuthor) + "?");
    credit.bind(1, author_id);
    credit.exec();
    publishing.release();
    return id;
  } catch (...) {
    // SQLiteCpp 3.2's Savepoint rolls back to the savepoint but keeps it, and with it the
    // transaction it began: undo, then release, so nothing stays open.
    db_.exec("ROLLBACK TO SAVEPOINT publish");
    publishing.release();
    throw;
  }
}

std::vector<Post> SqlitePostRepository::by_author(std::int64_t author_id) {
  SQLite::Statement select(
      db_, "SELECT id, author_id, title, body FROM post WHERE author_id = ? ORDER BY id");
  select.bind(1, author_id);
  std::vector<Post> posts;
  while (select.executeStep()) {
    posts.push_back({select.getColumn(0).getInt64(), select.getColumn(1).getInt64(),
                     select.getColumn(2).getString(), select.getColumn(3).getString()});
  }
  return posts;
}

std::int64_t PostgresPostRepository::publish(std::int64_t author_id, const std::string& title,
                                             const std::string& body) {
  pqxx::subtransaction publishing(tx_, "publish");
  // libpqxx 6.4 sends the SAVEPOINT at a subtransaction's first exec(), not at
  // exec_params(): this statement comes first.
  publishing.exec0(kCreditAuthor + publishing.quote(author_id));
  const auto id =
      publishing
          .exec_params1("INSERT INTO post(author_id, title, body) VALUES ($1, $2, $3) RETURNING id",
                        author_id, title, body)[0]
          .as<std::int64_t>();
  publishing.commit();
  return id;
}

std::vector<Post> PostgresPostRepository::by_author(std::int64_t author_id) {
  std::vector<Post> posts;
  for (const auto& row : tx_.exec_params(
           "SELECT id, author_id, title, body FROM post WHERE author_id = $1 ORDER BY id",
           author_id)) {
    posts.push_back({row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::string>(),
                     row[3].as<std::string>()});
  }
  return posts;
}

}  // namespace blog
