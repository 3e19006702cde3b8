-- revision: 2b3c4d5e6f02
-- down_revision: 1a2b3c4d5e01
-- message: Add karma to users
-- migrate:up
ALTER TABLE "user" ADD COLUMN karma INTEGER NOT NULL DEFAULT 0;
INSERT INTO applied (rev) VALUES ('2b3c4d5e6f02');
-- migrate:down
ALTER TABLE "user" DROP COLUMN karma;
DELETE FROM applied WHERE rev = '2b3c4d5e6f02';
