-- revision: b00000000001
-- down_revision: none
-- transactional: false
-- migrate:up
SELECT 1;
