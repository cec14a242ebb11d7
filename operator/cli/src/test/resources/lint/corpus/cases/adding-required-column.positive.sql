-- expect: adding-required-column@3
-- observed: adding-required-column@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ADD COLUMN region text NOT NULL;
