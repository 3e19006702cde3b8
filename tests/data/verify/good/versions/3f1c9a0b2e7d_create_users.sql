-- revision: 3f1c9a0b2e7d
-- down_revision: none
-- message: Create users
-- migrate:up
CREATE TABLE "user" (
  id INTEGER NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  username VARCHAR(100),
  CONSTRAINT pk_user PRIMARY KEY (id),
  CONSTRAINT uq_user_fingerprint UNIQUE (fingerprint)
);
CREATE INDEX ix_user_username ON "user" (username);
-- migrate:down
DROP INDEX ix_user_username;
DROP TABLE "user";
