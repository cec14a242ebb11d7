-- expect: none
CREATE TABLE shipments (id bigint, order_id bigint);
INSERT INTO shipments VALUES (1, 1);
