-- The shadow names the table (the finding used to say "on null").
-- expect: drop-index-non-concurrent@5
-- observed: drop-index-non-concurrent@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- note: drop-index-non-concurrent@5 Confirmed: ACCESS EXCLUSIVE on events
DROP INDEX events_by_id;
