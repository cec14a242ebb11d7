-- Every row, in one transaction: a row lock on each until the script commits.
-- expect: whole-table-update-or-delete@6 whole-table-update-or-delete@7 whole-table-update-or-delete@8
-- observed: whole-table-update-or-delete@6 lock=ROW_EXCLUSIVE rewrite=no risk=moderate
-- observed: whole-table-update-or-delete@7 lock=ROW_EXCLUSIVE rewrite=no risk=moderate
-- note: whole-table-update-or-delete@6 Confirmed: ROW EXCLUSIVE on orders
UPDATE orders SET note = upper(note);
DELETE FROM events;
UPDATE ONLY customers AS c SET name = lower(c.name) WHERE true RETURNING c.id;
