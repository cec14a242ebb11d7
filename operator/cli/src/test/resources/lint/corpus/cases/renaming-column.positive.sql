-- expect: renaming-column@3
-- observed: renaming-column@3 lock=ACCESS_EXCLUSIVE rewrite=no risk=high
ALTER TABLE orders RENAME COLUMN note TO remark;
