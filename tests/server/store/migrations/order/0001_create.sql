CREATE TABLE t1 (a integer);
