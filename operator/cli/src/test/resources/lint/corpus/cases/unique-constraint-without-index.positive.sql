-- expect: unique-constraint-without-index@4 unique-constraint-without-index@5
-- observed: unique-constraint-without-index@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
-- observed: unique-constraint-without-index@5 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE customers ADD CONSTRAINT customers_email_unique UNIQUE (email);
ALTER TABLE events ADD PRIMARY KEY (id);
