-- golang-migrate runs each file as it is: this one manages its own transaction.
BEGIN;
ALTER TABLE users ADD COLUMN name VARCHAR(100);
UPDATE users SET name = email;
COMMIT;
