-- expect: truncate-cascade@3
-- observed: truncate-cascade@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
TRUNCATE TABLE events CASCADE;
