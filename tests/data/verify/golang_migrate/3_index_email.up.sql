-- migtest:allow index_not_concurrent
CREATE INDEX users_email ON users (email);
