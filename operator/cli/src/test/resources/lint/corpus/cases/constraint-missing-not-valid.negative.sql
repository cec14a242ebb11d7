-- expect: none
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
CREATE TABLE shipments (id bigint, order_id bigint);
ALTER TABLE shipments ADD CONSTRAINT shipments_order FOREIGN KEY (order_id) REFERENCES orders (id);
