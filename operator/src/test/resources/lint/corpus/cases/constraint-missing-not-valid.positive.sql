-- expect: constraint-missing-not-valid@4 constraint-missing-not-valid@5
-- observed: constraint-missing-not-valid@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- observed: constraint-missing-not-valid@5 lock=SHARE_ROW_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
