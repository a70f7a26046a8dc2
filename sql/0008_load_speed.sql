-- 0008_load_speed.sql: byte-order ("C") collation for the columns that loading sorts and
-- indexes most: the blocking keys and the record ids of a source. The database's C.UTF-8
-- orders text by code point, which for UTF-8 is byte order, so every ORDER BY and every
-- equality gives the same answer as before; but PostgreSQL 15 treats only "C" as the fast
-- path, so without it each comparison in a sort or an index descent goes through strcoll().
-- On 450,000 keys, an INSERT into person_key in key order took 7.5 s instead of 11.5-12.7 s.
SET search_path = rozshuk, public;

ALTER TABLE person_key ALTER COLUMN kind TYPE text COLLATE "C",
                       ALTER COLUMN key TYPE text COLLATE "C";
ALTER TABLE person ALTER COLUMN source_record_id TYPE text COLLATE "C";
