-- Bounded changes, and a table created in the same script.
-- expect: none
UPDATE orders SET note = 'checked' WHERE id = 1;
DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 2);
UPDATE orders SET status = 'open' WHERE status IS NULL;
UPDATE customers SET name = (SELECT max(name) FROM customers WHERE id > 1) WHERE id = 2;
CREATE TABLE regions (id bigint PRIMARY KEY, name text);
INSERT INTO regions VALUES (1, 'north'), (2, 'south');
UPDATE regions SET name = upper(name);
