-- An index made where the linter cannot see it: it does not know the index's table.
-- expect: none
DO $$ BEGIN EXECUTE 'CREATE INDEX events_by_id ON events (id)'; END $$;
