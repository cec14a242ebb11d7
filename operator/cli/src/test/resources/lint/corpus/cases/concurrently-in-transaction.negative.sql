-- Flyway sees CONCURRENTLY and runs this script outside a transaction.
-- expect: none
CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);
DROP INDEX CONCURRENTLY orders_status;
