-- revision: c00000000001
-- down_revision: c00000000002
-- migrate:up
SELECT 1;
-- migrate:down
SELECT 1;
