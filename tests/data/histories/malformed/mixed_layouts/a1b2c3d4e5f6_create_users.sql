-- revision: a1b2c3d4e5f6
-- down_revision: none
-- migrate:up
CREATE TABLE users (id INTEGER);
-- migrate:down
DROP TABLE users;
