-- NOT VALID checks only new values: no scan. (VALIDATE, in a later script, scans under SHARE: the
-- rule's fix says to run it at a quiet time.)
-- expect: none
ALTER DOMAIN sku ADD CONSTRAINT sku_not_empty CHECK (VALUE <> '') NOT VALID;
ALTER DOMAIN sku DROP DEFAULT;
