-- revision: 0000000000n1
-- down_revision: 0000000000c1
-- branch_labels: networking
-- message: Networking
-- migrate:up
CREATE TABLE host (id INTEGER PRIMARY KEY);
-- migrate:down
DROP TABLE host;
