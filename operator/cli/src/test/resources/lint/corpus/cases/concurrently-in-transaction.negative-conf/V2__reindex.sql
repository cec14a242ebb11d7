-- expect: none
REINDEX INDEX CONCURRENTLY orders_status;
