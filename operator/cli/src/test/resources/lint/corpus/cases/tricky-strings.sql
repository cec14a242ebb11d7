-- expect: none
INSERT INTO events VALUES (100, 'it''s; DROP TABLE orders');
INSERT INTO events VALUES (101, E'it\'s; DROP TABLE orders');
INSERT INTO events VALUES (102, U&'d\0061t\+000061; DROP TABLE orders');
SELECT "DROP TABLE orders" FROM (SELECT 1 AS "DROP TABLE orders") AS t;
