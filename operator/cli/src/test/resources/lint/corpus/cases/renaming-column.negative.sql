-- expect: none
ALTER INDEX orders_status RENAME TO orders_status_idx;
CREATE TABLE shipments (id bigint, carier text);
ALTER TABLE shipments RENAME carier TO carrier;
