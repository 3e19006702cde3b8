CREATE INDEX CONCURRENTLY posts_title ON posts (title);
