-- A nested BEGIN and a stray COMMIT do nothing but mislead.
-- expect: transaction-control-in-script@6 transaction-control-in-script@9
-- observed: transaction-control-in-script@6 lock=- rewrite=no risk=moderate
-- observed: transaction-control-in-script@9 lock=- rewrite=no risk=moderate
BEGIN;
BEGIN;
ALTER TABLE orders ADD COLUMN currency text;
COMMIT;
COMMIT;
