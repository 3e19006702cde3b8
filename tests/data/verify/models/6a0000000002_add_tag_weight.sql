-- revision: 6a0000000002
-- down_revision: 6a0000000001
-- message: Add weight to tags
-- migrate:up
ALTER TABLE tag ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;
-- migrate:down
ALTER TABLE tag DROP COLUMN weight;
