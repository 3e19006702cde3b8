-- revision: 2b3c4d5e6f02
-- down_revision: 1a2b3c4d5e01
-- message: Broken in the middle
-- migrate:up
CREATE TABLE half (x INTEGER);
INSERT INTO half (x) VALUES (1);

INSERT INTO no_such_table (x) VALUES (1);
-- migrate:down
DROP TABLE half;
