-- revision: a1b2c3d4e5f6
-- down_revision: 8a4e2c1d9b6f
-- message: Add karma to users
-- migrate:up
ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
-- Existing users start with one point per post they wrote.
UPDATE "user" SET karma = (SELECT count(*) FROM post WHERE post.author_id = "user".id);
-- migrate:down
ALTER TABLE "user" DROP COLUMN karma;
