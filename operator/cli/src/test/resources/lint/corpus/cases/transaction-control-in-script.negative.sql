-- Savepoints stay inside Flyway's transaction.
-- expect: none
SAVEPOINT before_currency;
ALTER TABLE orders ADD COLUMN currency text;
ROLLBACK TO SAVEPOINT before_currency;
