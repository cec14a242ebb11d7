-- Flyway runs this script in a transaction already: the COMMIT ends it early (high); the BEGIN only
-- announces a transaction that is not the script's to make (moderate).
-- expect: transaction-control-in-script@6 transaction-control-in-script@9
-- observed: transaction-control-in-script@6 lock=- rewrite=no risk=moderate
-- observed: transaction-control-in-script@9 lock=- rewrite=no risk=high
BEGIN;
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR' WHERE id < 3;
COMMIT;
