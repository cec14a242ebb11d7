-- expect: none
CREATE TABLE shipments_draft (id bigint);
ALTER TABLE shipments_draft RENAME TO shipments;
