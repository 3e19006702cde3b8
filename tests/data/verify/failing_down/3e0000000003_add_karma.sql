-- revision: 3e0000000003
-- down_revision: 3e0000000002
-- message: Add karma
-- migrate:up
ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
-- migrate:down
ALTER TABLE "user" DROP COLUMN karma;
