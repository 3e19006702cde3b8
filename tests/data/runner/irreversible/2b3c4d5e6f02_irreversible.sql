-- revision: 2b3c4d5e6f02
-- down_revision: 1a2b3c4d5e01
-- message: Drop usernames for good
-- migrate:up
UPDATE "user" SET username = NULL;
