-- revision: 0000000000b1
-- down_revision: 0000000000c1
-- branch_labels: billing
-- message: Billing tables
-- migrate:up
CREATE TABLE invoice (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE invoice;
