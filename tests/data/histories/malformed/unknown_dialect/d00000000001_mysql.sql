-- revision: d00000000001
-- down_revision: none
-- migrate:up mysql
CREATE TABLE t (id INT);
