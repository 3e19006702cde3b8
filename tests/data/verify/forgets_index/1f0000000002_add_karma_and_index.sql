-- revision: 1f0000000002
-- down_revision: 1f0000000001
-- message: Add karma and index fingerprints
-- migtest:allow index_not_concurrent
-- PLANTED FAULT: the down drops the column but forgets the index.
-- migrate:up
ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_user_fingerprint ON "user" (fingerprint);
-- migrate:down
ALTER TABLE "user" DROP COLUMN karma;
