-- revision: 3c4d5e6f7a03
-- down_revision: 2b3c4d5e6f02
-- message: Create posts
-- migrate:up
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL -- a comment; with a semicolon
);
CREATE INDEX ix_post_author ON post (author_id);
INSERT INTO applied (rev) VALUES ('3c4d5e6f7a03');
-- migrate:down
DROP INDEX ix_post_author;
DROP TABLE post;
DELETE FROM applied WHERE rev = '3c4d5e6f7a03';
