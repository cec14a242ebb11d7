-- expect: none
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
CREATE TABLE shipments (id bigint, scratch text);
ALTER TABLE shipments DROP COLUMN scratch;
