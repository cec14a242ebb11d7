-- Both check every stored value of the domain, holding SHARE on each table that uses it.
-- expect: alter-domain-add-constraint@6 alter-domain-add-constraint@7
-- observed: alter-domain-add-constraint@6 lock=SHARE rewrite=no risk=high
-- observed: alter-domain-add-constraint@7 lock=SHARE rewrite=no risk=high
-- note: alter-domain-add-constraint@6 Confirmed: SHARE on stock
ALTER DOMAIN sku ADD CONSTRAINT sku_not_empty CHECK (VALUE <> '');
ALTER DOMAIN public.sku SET NOT NULL;
