-- expect: enum-add-value@3
-- observed: enum-add-value@3 lock=EXCLUSIVE rewrite=no risk=moderate
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'angry' AFTER 'happy';
