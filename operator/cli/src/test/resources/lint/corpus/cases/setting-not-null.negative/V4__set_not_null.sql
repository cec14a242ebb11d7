-- The validated check proves there is no NULL: PostgreSQL 12+ skips the scan.
-- expect: none
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_status_not_null;
