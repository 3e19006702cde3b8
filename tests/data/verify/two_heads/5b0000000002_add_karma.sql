-- revision: 5b0000000002
-- down_revision: 5b0000000001
-- message: Add karma
-- PLANTED FAULT: this revision and 5b0000000003 both follow 5b0000000001 (two heads).
-- migrate:up
ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
-- migrate:down
ALTER TABLE "user" DROP COLUMN karma;
