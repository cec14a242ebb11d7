-- expect: dropping-table@3
-- observed: dropping-table@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
DROP TABLE IF EXISTS events;
