-- PostgreSQL 14: CONCURRENTLY, alone, outside a transaction (Flyway needs the .conf to know).
-- expect: none
ALTER TABLE readings DETACH PARTITION readings_2025 CONCURRENTLY;
