-- Two users planted right after "Create users": every later revision and round trip keeps them.
-- migtest:seed
INSERT INTO "user" (id, fingerprint, username) VALUES (1, 'fp-ann', 'ann'), (2, 'fp-bob', NULL);
-- migtest:expect
SELECT id, fingerprint FROM "user" ORDER BY id;
