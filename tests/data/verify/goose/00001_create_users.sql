-- +goose Up
CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL);

-- +goose Down
DROP TABLE users;
