-- revision: 8a4e2c1d9b6f
-- down_revision: 3f1c9a0b2e7d
-- message: Create posts and comments
-- created: 2024-01-12T14:20:00Z

-- migrate:up
CREATE TABLE post (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES "user"(id), title TEXT NOT NULL);
CREATE TABLE comment (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES post(id), body TEXT NOT NULL);

-- migrate:down
DROP TABLE comment;
DROP TABLE post;
