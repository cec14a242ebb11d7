-- expect: changing-column-type@5 changing-column-type@6 changing-column-type@7
-- observed: changing-column-type@5 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
-- observed: changing-column-type@6 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
-- observed: changing-column-type@7 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
ALTER TABLE orders ALTER COLUMN amount TYPE numeric(8, 2);
ALTER TABLE orders ALTER COLUMN customer_id SET DATA TYPE integer;
ALTER TABLE orders ALTER COLUMN note TYPE varchar(200) USING substr(note, 1, 200);
