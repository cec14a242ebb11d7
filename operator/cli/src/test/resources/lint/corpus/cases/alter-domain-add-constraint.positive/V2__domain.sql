-- expect: none
CREATE DOMAIN sku AS text;
CREATE TABLE stock (id bigint PRIMARY KEY, item sku, amount integer);
INSERT INTO stock SELECT g, 'sku-' || g, g FROM generate_series(1, 5) g;
