-- A user-defined immutable function: statically unknown, so treated as volatile; PostgreSQL does not
-- rewrite the table, and the observation wins.
-- expect: adding-column-volatile-default@7
-- observed: adding-column-volatile-default@7 lock=ACCESS_EXCLUSIVE rewrite=no risk=low
CREATE FUNCTION default_region() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'eu' $$;
-- the default is computed once and stored in the catalog
ALTER TABLE orders ADD COLUMN region text DEFAULT default_region();
