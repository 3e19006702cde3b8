-- revision: 3e0000000002
-- down_revision: 3e0000000001
-- message: Create posts
-- PLANTED FAULT: the down names a table that does not exist (posts, not post).
-- migrate:up
CREATE TABLE post (
  id INTEGER NOT NULL,
  title VARCHAR(200) NOT NULL,
  CONSTRAINT pk_post PRIMARY KEY (id)
);
-- migrate:down
DROP TABLE posts;
