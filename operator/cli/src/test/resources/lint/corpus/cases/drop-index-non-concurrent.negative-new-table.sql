-- The index of a table created in the same script: nobody waits on its locks.
-- expect: none
CREATE TABLE parcels (id bigint PRIMARY KEY, weight int);
CREATE INDEX parcels_weight ON parcels (weight);
DROP INDEX parcels_weight;
