-- The first statement succeeds, the second fails: neither may stay.
CREATE TABLE f2 (a integer);
SELECT * FROM no_such_table;
