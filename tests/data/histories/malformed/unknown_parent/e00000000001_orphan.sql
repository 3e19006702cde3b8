-- revision: e00000000001
-- down_revision: ffffffffffff
-- migrate:up
SELECT 1;
-- migrate:down
SELECT 1;
