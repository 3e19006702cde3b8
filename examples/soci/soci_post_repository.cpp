// The blog's posts over SOCI: the same SQL on SQLite and PostgreSQL.
#include "soci_post_repository.hpp"

#include <soci/soci.h>

namespace blog {

std::int64_t SociPostRepository::publish(std::int64_t author_id, const std::string& title,
                                         const std::string& body) {
  // Named values: SOCI binds by reference and runs the statement when the expression ends.
  const long long author = author_id;
  long long id = 0;
  // soci::transaction rolls back in its destructor unless committed: a failed INSERT (an
  // empty title, an unknown author) leaves the karma point out too.
  soci::transaction publishing(sql_);
  // RETURNING rather than SOCI's get_last_insert_id(): one statement that reads the same on
  // both backends (SQLite has RETURNING since 3.35).
  sql_ << "INSERT INTO post(author_id, title, body) VALUES (:author, :title, :body) RETURNING id",
      soci::use(author), soci::use(title), soci::use(body), soci::into(id);
  sql_ << R"(UPDATE "user" SET karma = karma + 1 WHERE id = :author)", soci::use(author);
  publishing.commit();
  return id;
}

std::vector<Post> SociPostRepository::by_author(std::int64_t author_id) {
  const long long author = author_id;
  long long id = 0;
  std::string title, body;
  // into() a long long converts whatever integer type the backend reports for the column.
  soci::statement select =
      (sql_.prepare << "SELECT id, title, body FROM post WHERE author_id = :author ORDER BY id",
       soci::use(author), soci::into(id), soci::into(title), soci::into(body));
  select.execute();
  std::vector<Post> posts;
  while (select.fetch()) posts.push_back({id, author_id, title, body});
  return posts;
}

}  // namespace blog
