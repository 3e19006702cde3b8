// blog/models.hpp: the blog's models (User, Post, Comment), declared once in C++.
//   EXPECT_THAT(database(), migtest::MatchesMetadata(blog_models()));
#pragma once

#include <migtest/metadata.hpp>

/// What the migrations in migrations/versions build, on SQLite and on PostgreSQL alike.
inline const migtest::Metadata& blog_models() {
  static const migtest::Metadata models = [] {
    migtest::Metadata md;
    md.table("user")
        .column("id", migtest::Integer{}, migtest::primary_key)
        .column("fingerprint", migtest::String{}, migtest::unique, migtest::index)
        .column("username", migtest::String{}, migtest::nullable)
        .column("karma", migtest::Integer{}, migtest::server_default("0"));
    md.table("post")
        .column("id", migtest::Integer{}, migtest::primary_key)
        .column("author_id", migtest::Integer{},
                migtest::foreign_key("user.id", migtest::on_delete::cascade), migtest::index)
        .column("title", migtest::String(200))
        .column("body", migtest::Text{})
        .check("ck_post_title", "length(title) > 0");
    md.table("comment")
        .column("id", migtest::Integer{}, migtest::primary_key)
        .column("post_id", migtest::Integer{},
                migtest::foreign_key("post.id", migtest::on_delete::cascade), migtest::index)
        .column("author_id", migtest::Integer{}, migtest::foreign_key("user.id"), migtest::nullable)
        .column("body", migtest::Text{});
    return md;
  }();
  return models;
}
