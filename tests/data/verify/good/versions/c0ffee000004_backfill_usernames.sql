-- revision: c0ffee000004
-- down_revision: a1b2c3d4e5f6
-- message: Backfill usernames
-- migrate:up
UPDATE "user" SET username = 'user' || id WHERE username IS NULL;
-- migrate:down
UPDATE "user" SET username = NULL WHERE username = 'user' || id;
