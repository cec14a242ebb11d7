-- Without Flyway's transaction, a block the script opens and never closes.
-- expect: transaction-control-in-script@4
-- observed: transaction-control-in-script@4 lock=- rewrite=no risk=high
BEGIN;
ALTER TABLE orders ADD COLUMN currency text;
