-- revision: 0000000000b2
-- down_revision: 0000000000b1
-- message: Invoice lines
-- migrate:up
CREATE TABLE invoice_line (id INTEGER PRIMARY KEY, invoice_id INTEGER REFERENCES invoice(id));
-- migrate:down
DROP TABLE invoice_line;
