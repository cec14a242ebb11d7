-- Reindexing a schema's user indexes online: Flyway runs it outside a transaction.
-- expect: none
REINDEX SCHEMA CONCURRENTLY public;
