-- Only marks the index to cluster on; nothing is rewritten.
-- expect: none
ALTER TABLE orders CLUSTER ON orders_pkey;
