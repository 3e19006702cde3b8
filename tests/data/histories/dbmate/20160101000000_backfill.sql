-- A data fix: no way back.
-- migrate:up
UPDATE users SET name = 'unknown' WHERE name IS NULL;
