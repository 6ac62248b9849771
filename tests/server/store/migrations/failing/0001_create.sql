CREATE TABLE f1 (a integer);
