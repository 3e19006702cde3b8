-- revision: c00000000002
-- down_revision: c00000000001
-- migrate:up
SELECT 2;
-- migrate:down
SELECT 2;
