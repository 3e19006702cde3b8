-- revision: 0000000000c1
-- down_revision: 000000000001
-- message: Core columns
-- migrate:up
ALTER TABLE core ADD COLUMN name TEXT;
-- migrate:down
ALTER TABLE core DROP COLUMN name;
