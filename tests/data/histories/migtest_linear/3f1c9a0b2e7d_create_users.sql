-- revision: 3f1c9a0b2e7d
-- down_revision: none
-- message: Create users
-- created: 2024-01-10T09:00:00Z
-- migrate:up
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  username TEXT
);
-- migrate:down
DROP TABLE "user";
