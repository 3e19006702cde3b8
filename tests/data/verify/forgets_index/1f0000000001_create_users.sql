-- revision: 1f0000000001
-- down_revision: none
-- message: Create users
-- migrate:up
CREATE TABLE "user" (
  id INTEGER NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  CONSTRAINT pk_user PRIMARY KEY (id)
);
-- migrate:down
DROP TABLE "user";
