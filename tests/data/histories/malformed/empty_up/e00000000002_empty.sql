-- revision: e00000000002
-- down_revision: none
-- message: Nothing here yet
-- migrate:up
-- write the upgrade here

-- migrate:down
