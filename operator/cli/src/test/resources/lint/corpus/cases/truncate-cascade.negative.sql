-- expect: none
TRUNCATE events RESTART IDENTITY;
