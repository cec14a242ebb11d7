-- expect: constraint-missing-not-valid@3
-- observed: constraint-missing-not-valid@3 lock=SHARE_ROW_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
