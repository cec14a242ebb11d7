-- expect: none
CREATE TYPE mood AS ENUM ('happy', 'sad');

CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email varchar(100) NOT NULL,
  name varchar(50)
);

CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint,
  amount numeric(10, 2),
  status varchar(20),
  note text,
  created_at timestamp,
  feeling mood
);
CREATE INDEX orders_status ON orders (status);

CREATE TABLE events (id bigint, payload text);

INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 5) g;
INSERT INTO orders SELECT g, g, g * 10, 'open', 'note ' || g, now(), 'happy' FROM generate_series(1, 5) g;
INSERT INTO events SELECT g, 'payload ' || g FROM generate_series(1, 5) g;
