-- migtest:allow index_not_concurrent
-- +goose Up
CREATE INDEX users_email ON users (email);
CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY, note VARCHAR(100) NOT NULL);

-- +goose Down
DROP TABLE audit;
DROP INDEX users_email;
