-- A partitioned table created in the same script: nobody waits on its locks.
-- expect: none
CREATE TABLE samples (id bigint, taken_on date NOT NULL) PARTITION BY RANGE (taken_on);
CREATE TABLE samples_2025 PARTITION OF samples FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE samples DETACH PARTITION samples_2025;
