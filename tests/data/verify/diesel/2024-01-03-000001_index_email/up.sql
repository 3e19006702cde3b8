-- Runs outside a transaction (metadata.toml), as CREATE INDEX CONCURRENTLY would need.
-- migtest:allow index_not_concurrent
CREATE INDEX users_email ON users (email);
