-- A stored generated column is computed for every existing row: its own rule, its own fix.
-- expect: adding-stored-generated-column@5
-- observed: adding-stored-generated-column@5 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
-- note: adding-stored-generated-column@5 Confirmed: ACCESS EXCLUSIVE on orders
ALTER TABLE orders ADD COLUMN amount_cents bigint GENERATED ALWAYS AS ((amount * 100)::bigint) STORED;
