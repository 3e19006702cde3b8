// soci/soci_post_repository.hpp: the blog's posts written with SOCI, as an application whose
// data access uses SOCI would have them (migtest tests it, it knows nothing of migtest).
//   soci::session sql(*soci::factory_postgresql(), url);
//   blog::SociPostRepository(sql).publish(author_id, "Hello", "First post");  // committed
#pragma once

#include "app/post_repository.hpp"

namespace soci {
class session;
}

namespace blog {

/// On SQLite or PostgreSQL, over a SOCI session the application opened. Each publish() is a
/// transaction of its own (soci::transaction): the post and the author's karma point are
/// committed together, or neither is.
class SociPostRepository final : public PostRepository {
 public:
  explicit SociPostRepository(soci::session& sql) : sql_(sql) {}
  std::int64_t publish(std::int64_t author_id, const std::string& title,
                       const std::string& body) override;
  std::vector<Post> by_author(std::int64_t author_id) override;

 private:
  soci::session& sql_;
};

}  // namespace blog
