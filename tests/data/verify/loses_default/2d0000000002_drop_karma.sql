-- revision: 2d0000000002
-- down_revision: 2d0000000001
-- message: Drop karma
-- migtest:allow drop_column
-- PLANTED FAULT: the down adds the column back without its DEFAULT 0.
-- migrate:up
ALTER TABLE "user" DROP COLUMN karma;
-- migrate:down
ALTER TABLE "user" ADD COLUMN karma INTEGER;
