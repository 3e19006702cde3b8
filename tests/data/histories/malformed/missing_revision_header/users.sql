-- down_revision: none
-- migrate:up
CREATE TABLE users (id INTEGER);
