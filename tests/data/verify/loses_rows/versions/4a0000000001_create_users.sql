-- revision: 4a0000000001
-- down_revision: none
-- message: Create users
-- migrate:up
CREATE TABLE "user" (
  id INTEGER NOT NULL,
  email VARCHAR(100) NOT NULL,
  karma INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT pk_user PRIMARY KEY (id)
);
-- migrate:down
DROP TABLE "user";
