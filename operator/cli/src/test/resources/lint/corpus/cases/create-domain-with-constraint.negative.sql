-- expect: none
CREATE DOMAIN label AS text DEFAULT 'none';
CREATE DOMAIN note_text AS varchar(200) COLLATE "C";
