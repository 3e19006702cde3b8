-- golang-migrate runs each file as it is: this one manages its own transaction.
BEGIN;
ALTER TABLE users ADD COLUMN name VARCHAR(100);
UPDATE users SET name = email;  -- migtest:allow MT105 -- backfill of the new column
COMMIT;
