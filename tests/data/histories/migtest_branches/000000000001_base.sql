-- revision: 000000000001
-- down_revision: none
-- message: Base
-- migrate:up
CREATE TABLE core (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE core;
