-- Advisory: cheap now, but every later change of these constraints scans every table that uses them.
-- expect: create-domain-with-constraint@5 create-domain-with-constraint@6
-- observed: create-domain-with-constraint@5 lock=- rewrite=no risk=low
-- observed: create-domain-with-constraint@6 lock=- rewrite=no risk=low
CREATE DOMAIN quantity AS integer NOT NULL;
CREATE DOMAIN email_address AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
