-- PostgreSQL 12+ skips this rewrite only when the session time zone is UTC; production elsewhere
-- rewrites. The shadow judges outside UTC, tries UTC too, and says that the verdict depends on it.
-- expect: changing-column-type@6
-- observed: changing-column-type@6 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
-- note: changing-column-type@6 The verdict depends on the session time zone
ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz;
