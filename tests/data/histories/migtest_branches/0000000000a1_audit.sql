-- revision: 0000000000a1
-- down_revision: none
-- branch_labels: audit
-- message: Audit log, its own base
-- migrate:up
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at TEXT);
-- migrate:down
DROP TABLE audit_log;
