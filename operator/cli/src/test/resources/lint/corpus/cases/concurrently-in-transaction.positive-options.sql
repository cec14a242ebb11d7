-- expect: concurrently-in-transaction@3
-- observed: concurrently-in-transaction@3 lock=- rewrite=no risk=high
REINDEX (CONCURRENTLY) INDEX orders_status;
