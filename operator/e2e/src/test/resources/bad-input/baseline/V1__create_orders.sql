-- The state every bad-input case starts from (applied by the test before the case's manifests).
CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2) NOT NULL, currency text);
INSERT INTO orders (total, currency) VALUES (10.50, 'EUR'), (99.99, NULL), (5.00, 'USD');
