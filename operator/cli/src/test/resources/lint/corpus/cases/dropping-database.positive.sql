-- expect: dropping-database@3
-- observed: dropping-database@3 lock=- rewrite=no risk=high
DROP DATABASE IF EXISTS legacy;
