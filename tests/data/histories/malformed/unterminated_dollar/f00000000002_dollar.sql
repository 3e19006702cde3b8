-- revision: f00000000002
-- down_revision: none
-- migrate:up postgresql
CREATE FUNCTION f() RETURNS int AS $body$
BEGIN
  RETURN 1;
END;
$$ LANGUAGE plpgsql;
-- migrate:down postgresql
DROP FUNCTION f();
