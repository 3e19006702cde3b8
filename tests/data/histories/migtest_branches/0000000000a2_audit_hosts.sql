-- revision: 0000000000a2
-- down_revision: 0000000000a1
-- depends_on: 0000000000n1
-- message: Audit hosts (needs the host table)
-- migrate:up
CREATE TABLE audit_host (id INTEGER PRIMARY KEY, host_id INTEGER REFERENCES host(id));
-- migrate:down
DROP TABLE audit_host;
