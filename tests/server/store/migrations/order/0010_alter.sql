-- Needs 0001 and 0002 before it: a wrong order fails loudly.
ALTER TABLE t1 ADD COLUMN b integer;
UPDATE t1 SET b = a * 5;
INSERT INTO t1 (a, b) VALUES (10, 10);
