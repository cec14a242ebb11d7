-- expect: none
CREATE FUNCTION archive() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
  EXECUTE $sql$ DROP TABLE events; $sql$;
  RAISE NOTICE $$ ALTER TABLE orders DROP COLUMN note; $$;
END
$body$;
CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
