-- revision: 3c4d5e6f7a03
-- down_revision: 2b3c4d5e6f02
-- message: Something after
-- migrate:up
CREATE TABLE later (x INTEGER);
-- migrate:down
DROP TABLE later;
