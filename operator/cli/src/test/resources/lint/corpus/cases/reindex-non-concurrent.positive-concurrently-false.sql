-- CONCURRENTLY switched off is an ordinary, blocking REINDEX that runs in Flyway's transaction.
-- expect: reindex-non-concurrent@5
-- observed: reindex-non-concurrent@5 lock=SHARE rewrite=no risk=high
-- note: reindex-non-concurrent@5 Confirmed: SHARE on orders (and ACCESS EXCLUSIVE on index orders_status)
REINDEX (CONCURRENTLY false) INDEX orders_status;
