// blog/app/post_repository.hpp: the blog application's own data access for posts, written
// with SQLiteCpp and libpqxx as an application would be (migtest tests it, it knows nothing
// of migtest).
//   pqxx::work tx(conn);
//   blog::PostgresPostRepository(tx).publish(author_id, "Hello", "First post");
//   tx.commit();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}
namespace pqxx {
class dbtransaction;
}

namespace blog {

struct Post {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string title;
  std::string body;
};

/// The blog's posts. Publishing a post credits its author one karma point, both or neither.
class PostRepository {
 public:
  virtual ~PostRepository() = default;
  /// Adds the post and the author's karma point; returns the post's id. Throws the
  /// library's error (a title that is empty, an author who does not exist) and then changes
  /// nothing.
  virtual std::int64_t publish(std::int64_t author_id, const std::string& title,
                               const std::string& body) = 0;
  /// The author's posts, oldest first.
  virtual std::vector<Post> by_author(std::int64_t author_id) = 0;
};

/// On SQLite, over the application's connection. Each publish() is a savepoint: a
/// transaction of its own when none is open, nested in the caller's otherwise.
class SqlitePostRepository final : public PostRepository {
 public:
  explicit SqlitePostRepository(SQLite::Database& db) : db_(db) {}
  std::int64_t publish(std::int64_t author_id, const std::string& title,
                       const std::string& body) override;
  std::vector<Post> by_author(std::int64_t author_id) override;

 private:
  SQLite::Database& db_;
};

/// On PostgreSQL, inside the caller's transaction (the unit of work: the caller commits).
/// Each publish() is a subtransaction of it, so a failed one leaves the caller's work usable.
class PostgresPostRepository final : public PostRepository {
 public:
  explicit PostgresPostRepository(pqxx::dbtransaction& tx) : tx_(tx) {}
  std::int64_t publish(std::int64_t author_id, const std::string& title,
                       const std::string& body) override;
  std::vector<Post> by_author(std::int64_t author_id) override;

 private:
  pqxx::dbtransaction& tx_;
};

}  // namespace blog
