-- expect: none
ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';
ALTER TABLE orders ADD COLUMN comment text;
CREATE TABLE shipments (id bigint);
ALTER TABLE shipments ADD COLUMN carrier text NOT NULL;
