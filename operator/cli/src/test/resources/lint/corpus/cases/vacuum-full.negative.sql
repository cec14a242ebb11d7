-- expect: none
VACUUM (FULL FALSE, ANALYZE) orders;
VACUUM orders;
