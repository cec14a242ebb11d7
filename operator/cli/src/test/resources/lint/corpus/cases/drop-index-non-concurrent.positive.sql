-- expect: drop-index-non-concurrent@3
-- observed: drop-index-non-concurrent@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=moderate
DROP INDEX orders_status;
