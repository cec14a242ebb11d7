-- expect: constraint-missing-not-valid@4 constraint-missing-not-valid@7
-- observed: constraint-missing-not-valid@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- observed: constraint-missing-not-valid@7 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
-- A foreign key alone takes SHARE ROW EXCLUSIVE, but the CHECK above already holds ACCESS EXCLUSIVE
-- on orders in this transaction: the observation reports the lock really held.
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
