-- expect: setting-not-null@3
-- observed: setting-not-null@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
