/* A block comment /* with a nested one: DROP TABLE orders; */ still a comment: DROP TABLE events;
   ALTER TABLE orders DROP COLUMN note; */
-- expect: none
-- DROP TABLE customers;
SELECT 1 /* ; DROP TABLE orders; */ ;
