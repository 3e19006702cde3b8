-- migtest:seed
INSERT INTO "user" (id, email, karma) VALUES
  (1, 'ann@example.com', 0),
  (2, 'bob@example.com', 0),
  (3, 'cy@example.com', 5);
-- migtest:expect
SELECT id, email FROM "user" ORDER BY id;
