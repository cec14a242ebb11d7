-- timestamptz to timestamp: the same, the other way.
-- expect: changing-column-type@5
-- observed: changing-column-type@5 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
-- note: changing-column-type@5 with TimeZone America/New_York and nothing with UTC
ALTER TABLE customers ALTER COLUMN seen_at TYPE timestamp;
