-- revision: 1f0000000003
-- down_revision: 1f0000000002
-- message: Create posts
-- migrate:up
CREATE TABLE post (
  id INTEGER NOT NULL,
  title VARCHAR(200) NOT NULL,
  CONSTRAINT pk_post PRIMARY KEY (id)
);
-- migrate:down
DROP TABLE post;
