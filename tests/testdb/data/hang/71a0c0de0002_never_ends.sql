-- revision: 71a0c0de0002
-- down_revision: 71a0c0de0001
-- message: Never ends
-- Holds whatever migrates it inside this revision until it is killed: the kill tests'
-- known point. SQLite counts an endless recursive query; PostgreSQL sleeps an hour.
-- migrate:up sqlite
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;
-- migrate:up postgresql
SELECT pg_sleep(3600);
-- migrate:down
SELECT 1;
