-- revision: d1a1ec700002
-- down_revision: d1a1ec700001
-- message: Seed, irreversible
-- migrate:up
INSERT INTO event (name) VALUES ('it''s; here');
-- migrate:down irreversible
