-- expect: dropping-column@4 renaming-table@5
-- observed: dropping-column@4 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
CREATE TABLE "Weird ""Table""; DROP" ("drop column" int, "x" int);
ALTER TABLE orders DROP COLUMN "note";
ALTER TABLE "customers" RENAME TO "Customers";
