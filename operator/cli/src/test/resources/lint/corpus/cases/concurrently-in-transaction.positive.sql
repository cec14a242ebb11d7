-- Flyway does not know REINDEX .. CONCURRENTLY cannot run in a transaction: it runs this script in one.
-- expect: concurrently-in-transaction@4
-- observed: concurrently-in-transaction@4 lock=- rewrite=no risk=high
REINDEX TABLE CONCURRENTLY orders;
