-- Flyway runs this script in a transaction already: the COMMIT ends it early (high); the BEGIN only
-- announces a transaction that is not the script's to make (moderate).
-- expect: transaction-control-in-script@7 transaction-control-in-script@10
-- observed: transaction-control-in-script@7 lock=- rewrite=no risk=moderate
-- observed: transaction-control-in-script@10 lock=- rewrite=no risk=high
-- note: transaction-control-in-script@10 At this point the transaction held ACCESS EXCLUSIVE on orders
BEGIN;
ALTER TABLE orders ADD COLUMN currency text;
UPDATE orders SET currency = 'EUR' WHERE id < 3;
COMMIT;
