-- A data migration with no way back: its down.sql holds no statement (Diesel's own
-- placeholder), which verify reports as "no downgrade" and treats as irreversible.
UPDATE users SET name = 'unknown' WHERE name IS NULL;
