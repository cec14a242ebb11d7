-- DROP DATABASE legacy; only in this comment
-- expect: none
SELECT 'DROP DATABASE legacy';
