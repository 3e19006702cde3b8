-- revision: d1a1ec700001
-- down_revision: none
-- message: Events, with a trigger per dialect
-- transaction: false

-- migrate:up
CREATE TABLE event (id INTEGER PRIMARY KEY, name TEXT NOT NULL, touched TEXT);

-- migrate:up sqlite
CREATE TABLE event (id INTEGER PRIMARY KEY, name TEXT NOT NULL, touched TEXT);
CREATE TRIGGER event_touch AFTER UPDATE ON event
BEGIN
  UPDATE event SET touched = datetime('now') WHERE id = NEW.id;
END;

-- migrate:up postgresql
CREATE TABLE event (id SERIAL PRIMARY KEY, name TEXT NOT NULL, touched TIMESTAMPTZ);
CREATE FUNCTION event_touch() RETURNS trigger AS $$
BEGIN
  NEW.touched := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER event_touch BEFORE UPDATE ON event FOR EACH ROW EXECUTE FUNCTION event_touch();

-- migrate:down
DROP TABLE event;

-- migrate:down postgresql
DROP TABLE event;
DROP FUNCTION event_touch();
