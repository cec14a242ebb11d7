CREATE INDEX orders_total ON orders (total);
