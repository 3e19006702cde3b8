-- revision: 1a2b3c4d5e01
-- down_revision: none
-- message: Create users
-- migrate:up
CREATE TABLE applied (rev VARCHAR(20) NOT NULL);
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  fingerprint VARCHAR(64) NOT NULL UNIQUE,
  username VARCHAR(100)
);
INSERT INTO applied (rev) VALUES ('1a2b3c4d5e01');
-- migrate:down
DROP TABLE "user";
DROP TABLE applied;
