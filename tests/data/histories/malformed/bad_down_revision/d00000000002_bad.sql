-- revision: d00000000002
-- down_revision: a b c
-- migrate:up
SELECT 1;
