-- expect: cluster@3
-- observed: cluster@3 lock=ACCESS_EXCLUSIVE rewrite=yes risk=high
CLUSTER orders USING orders_pkey;
