-- revision: 4a0000000002
-- down_revision: 4a0000000001
-- message: Remove duplicate users
-- migtest:allow unique_on_existing_columns, index_not_concurrent
-- PLANTED FAULT: duplicates are grouped by karma instead of email, so distinct users go.
-- migrate:up
DELETE FROM "user" WHERE id NOT IN (SELECT min(id) FROM "user" GROUP BY karma);
CREATE UNIQUE INDEX ux_user_email ON "user" (email);
-- migrate:down
DROP INDEX ux_user_email;
