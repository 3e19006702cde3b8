-- The schema tests/data/runner/linear gives at head, declared by hand.
CREATE TABLE applied (rev VARCHAR(20) NOT NULL);
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  fingerprint VARCHAR(64) NOT NULL UNIQUE,
  username VARCHAR(100),
  karma INTEGER
);
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL
);
