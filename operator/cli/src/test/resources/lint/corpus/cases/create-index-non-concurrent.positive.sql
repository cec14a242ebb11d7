-- expect: create-index-non-concurrent@4 create-index-non-concurrent@5
-- observed: create-index-non-concurrent@4 lock=SHARE rewrite=no risk=high
-- observed: create-index-non-concurrent@5 lock=SHARE rewrite=no risk=high
CREATE INDEX orders_customer ON orders (customer_id);
create unique /* CONCURRENTLY */ index "concurrently" on public.customers (lower(email));
