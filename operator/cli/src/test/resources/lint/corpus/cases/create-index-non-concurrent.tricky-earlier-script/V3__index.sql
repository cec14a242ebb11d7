-- shipments was created by an earlier script: it exists, with rows, when this one runs.
-- expect: create-index-non-concurrent@4
-- observed: create-index-non-concurrent@4 lock=SHARE rewrite=no risk=high
CREATE INDEX shipments_order ON shipments (order_id);
