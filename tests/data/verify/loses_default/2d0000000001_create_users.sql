-- revision: 2d0000000001
-- down_revision: none
-- message: Create users
-- migrate:up
CREATE TABLE "user" (
  id INTEGER NOT NULL,
  name VARCHAR(50) NOT NULL,
  karma INTEGER DEFAULT 0,
  CONSTRAINT pk_user PRIMARY KEY (id)
);
-- migrate:down
DROP TABLE "user";
