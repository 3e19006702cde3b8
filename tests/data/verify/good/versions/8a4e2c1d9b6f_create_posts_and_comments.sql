-- revision: 8a4e2c1d9b6f
-- down_revision: 3f1c9a0b2e7d
-- message: Create posts and comments
-- migrate:up
CREATE TABLE post (
  id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  CONSTRAINT pk_post PRIMARY KEY (id),
  CONSTRAINT fk_post_author FOREIGN KEY (author_id) REFERENCES "user" (id) ON DELETE CASCADE
);
CREATE INDEX ix_post_author_id ON post (author_id);
CREATE TABLE comment (
  id INTEGER NOT NULL,
  post_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  CONSTRAINT pk_comment PRIMARY KEY (id),
  CONSTRAINT fk_comment_post FOREIGN KEY (post_id) REFERENCES post (id) ON DELETE CASCADE,
  CONSTRAINT ck_comment_content CHECK (length(content) > 0)
);
-- migrate:down
DROP TABLE comment;
DROP INDEX ix_post_author_id;
DROP TABLE post;
