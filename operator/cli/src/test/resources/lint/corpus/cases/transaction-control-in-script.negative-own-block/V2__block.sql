-- Flyway's transaction is off: the script's own BEGIN .. COMMIT block is the author's to make.
-- expect: none
BEGIN;
ALTER TABLE orders ADD COLUMN currency text;
COMMIT;
