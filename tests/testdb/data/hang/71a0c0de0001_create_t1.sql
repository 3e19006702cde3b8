-- revision: 71a0c0de0001
-- down_revision: none
-- message: Create t1
-- migrate:up
CREATE TABLE t1 (x INTEGER);
-- migrate:down
DROP TABLE t1;
