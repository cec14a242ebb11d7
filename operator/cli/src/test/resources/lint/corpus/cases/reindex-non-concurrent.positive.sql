-- expect: reindex-non-concurrent@3
-- observed: reindex-non-concurrent@3 lock=SHARE rewrite=no risk=high
REINDEX TABLE orders;
