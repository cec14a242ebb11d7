-- expect: none
CREATE TABLE shipments (id bigint, order_id bigint);
CREATE INDEX shipments_order ON shipments (order_id);
