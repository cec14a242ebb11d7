-- A ROLLBACK undoes what ran before it, and Flyway still records the script as applied.
-- expect: transaction-control-in-script@5
-- observed: transaction-control-in-script@5 lock=- rewrite=no risk=high
ALTER TABLE orders ADD COLUMN currency text;
ROLLBACK;
