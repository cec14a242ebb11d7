-- expect: none
ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';
ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN code varchar(3) DEFAULT 'abc'::varchar(3);
ALTER TABLE orders ADD COLUMN flag boolean DEFAULT NULL;
ALTER TABLE orders ADD COLUMN at_start date DEFAULT CURRENT_DATE;
CREATE TABLE shipments (id bigint);
ALTER TABLE shipments ADD COLUMN token uuid DEFAULT gen_random_uuid();
