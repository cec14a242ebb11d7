-- On a table created in the same script nobody waits; a virtual expression is no column at all.
-- expect: none
CREATE TABLE invoices (id bigint PRIMARY KEY, net numeric(10, 2));
ALTER TABLE invoices ADD COLUMN gross numeric(10, 2) GENERATED ALWAYS AS (net * 1.2) STORED;
CREATE VIEW order_cents AS SELECT id, (amount * 100)::bigint AS amount_cents FROM orders;
