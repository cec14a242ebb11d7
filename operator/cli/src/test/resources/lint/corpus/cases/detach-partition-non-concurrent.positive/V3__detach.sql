-- ACCESS EXCLUSIVE on the whole partitioned table, not only on the partition.
-- expect: detach-partition-non-concurrent@5
-- observed: detach-partition-non-concurrent@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- note: detach-partition-non-concurrent@5 Confirmed: ACCESS EXCLUSIVE on readings
ALTER TABLE readings DETACH PARTITION readings_2025;
