-- expect: drop-index-non-concurrent@4
-- observed: drop-index-non-concurrent@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- note: drop-index-non-concurrent@4 Confirmed: ACCESS EXCLUSIVE on orders
DROP INDEX orders_status;
