ALTER TABLE orders ADD COLUMN other text;
