DROP INDEX orders_total;
