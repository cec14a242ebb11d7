-- Advisory: a brief catalog change, but old code may rely on the column having a value.
-- expect: dropping-not-null@4
-- observed: dropping-not-null@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=low
ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;
