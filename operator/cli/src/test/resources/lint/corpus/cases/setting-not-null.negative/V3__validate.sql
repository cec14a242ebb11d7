-- expect: none
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_not_null;
