-- The linter cannot tell the index's table; the shadow's note names the index and its table.
-- expect: reindex-non-concurrent@5
-- observed: reindex-non-concurrent@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- note: reindex-non-concurrent@5 PostgreSQL held ACCESS EXCLUSIVE on index events_by_id (of events), SHARE on events
REINDEX (VERBOSE, CONCURRENTLY off) INDEX events_by_id;
