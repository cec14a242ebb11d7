-- The index build itself takes SHARE, but the ALTER before it in the same transaction already holds
-- ACCESS EXCLUSIVE on orders: during the build reads are blocked too. The observation says so.
-- expect: create-index-non-concurrent@6
-- observed: create-index-non-concurrent@6 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD COLUMN currency text;
CREATE INDEX orders_currency ON orders (currency);
