-- revision: f00000000001
-- down_revision: none
-- migrate:up
CREATE TABLE t (id INTEGER);
INSERT INTO t VALUES (1);
INSERT INTO t VALUES (2);
INSERT INTO t (name) VALUES ('never closed);
-- migrate:down
DROP TABLE t;
