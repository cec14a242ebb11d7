-- The system catalogs cannot be reindexed CONCURRENTLY: the fix must not say so. (The shadow's
-- database has another name, so PostgreSQL refuses it there; the static rule stands.)
-- expect: reindex-system@5
-- observed: reindex-system@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
REINDEX SYSTEM shop;
