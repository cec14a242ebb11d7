-- expect: none
CREATE TABLE readings (id bigint, taken_on date NOT NULL) PARTITION BY RANGE (taken_on);
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO readings SELECT g, DATE '2025-06-01' + g * 30 FROM generate_series(1, 12) g;
