-- expect: dropping-column@3
-- observed: dropping-column@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders DROP COLUMN IF EXISTS note;
