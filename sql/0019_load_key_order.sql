-- 0019_load_key_order.sql: person_key indexed in the order its rows are written and mostly read.
--
-- person_key has about nine rows a record. Its primary key was (kind, key, person_id): every
-- new key went to a random place of a large b-tree (a descent comparing text at each level), and
-- a second index on person_id took the same rows again. In a load that was the largest single
-- cost of the server (about 40% of its time). But most readers take a record's keys by
-- person_id (the match job, search_name's rebuild, the loader's updates, batch undo, rekey), and
-- only three kinds are ever looked up by key: sur_fold (search's one-edit surnames, the match
-- job's term frequencies and explain), given_canon and given_skel (search by a given name alone,
-- term frequencies, explain).
--
-- So the primary key is now (person_id, kind, key): the same rows are unique, and new records'
-- keys, whose person ids ascend, go to the right edge of the b-tree, where an insert is cheap.
-- It serves every lookup by person_id, so the person_id index goes. Lookups by (kind, key) get
-- an index of those three kinds only. A query by key must name its kind as a constant (or with a
-- parameter bound when it is planned) for the planner to use it; the other kinds (sur_skel,
-- sur_dm, given_dm, patr_canon, word_skel) are read only by person. On 905,576 keys of 100,000
-- records, 90,427 more keys took 1.1-1.7 s with the old two indexes, 0.39-0.78 s with these.
SET search_path = rozshuk, public;

ALTER TABLE person_key DROP CONSTRAINT person_key_pkey;
ALTER TABLE person_key ADD PRIMARY KEY (person_id, kind, key);
DROP INDEX person_key_person_idx;
CREATE INDEX person_key_lookup_idx ON person_key (kind, key, person_id)
    WHERE kind IN ('sur_fold', 'given_canon', 'given_skel');
