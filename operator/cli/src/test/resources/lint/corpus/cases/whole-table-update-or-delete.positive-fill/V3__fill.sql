-- The usual one-statement fill: the column is new and NULL in every row, so this touches them all.
-- expect: whole-table-update-or-delete@4
-- observed: whole-table-update-or-delete@4 lock=ROW_EXCLUSIVE rewrite=no risk=moderate
UPDATE orders SET amount_cents = (amount * 100)::bigint WHERE amount_cents IS NULL;
