-- A USING that only casts the column to the new type changes nothing: the same verdict as without.
-- expect: none
ALTER TABLE customers ALTER COLUMN name TYPE text USING name::text;
ALTER TABLE orders ALTER COLUMN status TYPE varchar(40) USING CAST(status AS varchar(40));
ALTER TABLE customers ALTER COLUMN email TYPE varchar(120) USING email;
