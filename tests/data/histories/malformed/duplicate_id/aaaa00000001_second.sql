-- revision: aaaa00000001
-- down_revision: none
-- migrate:up
CREATE TABLE t (id INTEGER);
-- migrate:down
DROP TABLE t;
