ALTER TABLE orders ADD COLUMN note text DEFAULT 'Grüße';
