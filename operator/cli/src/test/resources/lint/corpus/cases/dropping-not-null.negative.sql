-- expect: none
CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL);
ALTER TABLE tags ALTER COLUMN label DROP NOT NULL;
ALTER TABLE customers ALTER COLUMN email DROP DEFAULT;
