-- The script configuration turns Flyway's transaction off, but the script opens its own.
-- expect: concurrently-in-transaction@5
-- observed: concurrently-in-transaction@5 lock=- rewrite=no risk=high
BEGIN;
CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);
COMMIT;
