-- revision: 6a0000000001
-- down_revision: none
-- message: Create tags
-- migrate:up
CREATE TABLE tag (
  name VARCHAR(50) NOT NULL,
  label TEXT,
  CONSTRAINT pk_tag PRIMARY KEY (name)
);
-- migrate:down
DROP TABLE tag;
