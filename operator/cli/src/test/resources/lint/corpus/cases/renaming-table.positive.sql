-- expect: renaming-table@3
-- observed: renaming-table@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE events RENAME TO audit_events;
