-- expect: none
ALTER TABLE customers ADD COLUMN seen_at timestamptz;
UPDATE customers SET seen_at = now() WHERE id = 1;
