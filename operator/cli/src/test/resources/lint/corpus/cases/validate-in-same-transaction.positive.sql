-- expect: validate-in-same-transaction@5
-- observed: validate-in-same-transaction@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;
-- Flyway runs this script in one transaction: the ACCESS EXCLUSIVE lock is still held here.
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;
