-- expect: none
REINDEX TABLE CONCURRENTLY orders;
