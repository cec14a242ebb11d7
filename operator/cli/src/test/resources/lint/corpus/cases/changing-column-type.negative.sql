-- Binary-coercible changes keep the table as it is.
-- expect: none
ALTER TABLE orders ALTER COLUMN status TYPE varchar(50);
ALTER TABLE customers ALTER COLUMN name TYPE text;
ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 2);
ALTER TABLE customers ALTER COLUMN email TYPE character varying;
