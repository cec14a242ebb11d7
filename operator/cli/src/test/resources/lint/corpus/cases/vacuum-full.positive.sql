-- expect: vacuum-full@3
-- observed: vacuum-full@3 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
VACUUM FULL orders;
