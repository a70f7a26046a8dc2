-- 0016_match_links.sql: a task's candidates and a job's cluster members are linked to their
-- persons by one check per statement instead of two foreign-key queries per row; a job's
-- cluster edges test reviewers' exclusions only for pairs that have one; a job's split size
-- for oversized blocks and each task's count of split blocks and of the pairs left out there.
--
-- Measured on the 56,665 candidates of a 100,000-record dedupe (COPY into the indexed table):
-- 5.7 s with the foreign keys on person_a and person_b, 2.4 s without them; the cluster
-- members' COPY pays the same per-row cost. The rules stay the same, set-based, as 0009 did
-- for names and keys:
-- - rows inserted into candidate or cluster_member (or updated there) must point at existing
--   persons, and those persons are locked FOR KEY SHARE until the transaction ends, as a
--   foreign key's check locks them: a batch undo running at the same time waits for the
--   task's commit instead of leaving candidates of deleted records behind;
-- - deleting persons deletes their candidates and cluster memberships (ON DELETE CASCADE);
-- - batch_undo still counts these rows as later work on a batch's records:
--   person_dependents() lists the links explicitly now that no foreign key names them.
-- Person ids are never updated (identity), as 0009 assumes too.
SET search_path = rozshuk, public;

ALTER TABLE candidate DROP CONSTRAINT candidate_person_a_fkey;
ALTER TABLE candidate DROP CONSTRAINT candidate_person_b_fkey;
ALTER TABLE cluster_member DROP CONSTRAINT cluster_member_person_id_fkey;

-- The persons named by the statement's rows, locked; an error naming one that does not exist.
CREATE FUNCTION person_pair_link_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = rozshuk, pg_temp AS $$
DECLARE
    wanted bigint;
    locked bigint;
    orphan bigint;
BEGIN
    IF TG_TABLE_NAME = 'candidate' THEN
        SELECT count(*) INTO wanted FROM (SELECT person_a FROM added UNION
                                          SELECT person_b FROM added) x;
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM rozshuk.person p
             WHERE p.id IN (SELECT person_a FROM added UNION SELECT person_b FROM added)
               FOR KEY SHARE OF p) x;
    ELSE
        SELECT count(DISTINCT person_id) INTO wanted FROM added;
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM rozshuk.person p WHERE p.id IN (SELECT person_id FROM added)
               FOR KEY SHARE OF p) x;
    END IF;
    IF locked <> wanted THEN
        IF TG_TABLE_NAME = 'candidate' THEN
            SELECT i.id INTO orphan FROM (SELECT person_a AS id FROM added UNION ALL
                                          SELECT person_b FROM added) i
             WHERE NOT EXISTS (SELECT 1 FROM rozshuk.person p WHERE p.id = i.id) LIMIT 1;
        ELSE
            SELECT a.person_id INTO orphan FROM added a
             WHERE NOT EXISTS (SELECT 1 FROM rozshuk.person p WHERE p.id = a.person_id) LIMIT 1;
        END IF;
        RAISE EXCEPTION 'insert or update on table "%" violates the link to person: person % '
                        'does not exist', TG_TABLE_NAME, orphan
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER candidate_link_ins AFTER INSERT ON candidate
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_pair_link_check();
CREATE TRIGGER candidate_link_upd AFTER UPDATE ON candidate
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_pair_link_check();
CREATE TRIGGER cluster_member_link_ins AFTER INSERT ON cluster_member
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_pair_link_check();
CREATE TRIGGER cluster_member_link_upd AFTER UPDATE ON cluster_member
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_pair_link_check();

CREATE FUNCTION person_match_cascade() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = rozshuk, pg_temp AS $$
BEGIN
    DELETE FROM rozshuk.candidate c USING gone g WHERE c.person_a = g.id;
    DELETE FROM rozshuk.candidate c USING gone g WHERE c.person_b = g.id;
    DELETE FROM rozshuk.cluster_member m USING gone g WHERE m.person_id = g.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER person_match_cascade AFTER DELETE ON person
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION person_match_cascade();

-- Tables other than the record's own whose rows are later work about a person: those with a
-- foreign key to person, and the links above.
CREATE OR REPLACE FUNCTION person_dependents()
RETURNS TABLE (tbl regclass, col name) LANGUAGE sql STABLE AS $$
    SELECT c.conrelid::regclass, a.attname
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid = 'rozshuk.person'::regclass
      AND c.conrelid NOT IN ('rozshuk.person_name'::regclass, 'rozshuk.person_key'::regclass,
                             'rozshuk.identifier'::regclass, 'rozshuk.person_history'::regclass)
    UNION ALL
    SELECT t::regclass, col::name
    FROM (VALUES ('rozshuk.candidate', 'person_a'), ('rozshuk.candidate', 'person_b'),
                 ('rozshuk.cluster_member', 'person_id')) v (t, col)
$$;

-- The same edges as 0007's: pair_state() (a query per pair) runs only for the pairs that a
-- reviewer ever excluded; a pair with no exclusion in its history is not excluded now.
CREATE OR REPLACE FUNCTION job_cluster_edges(p_job bigint, p_threshold double precision)
RETURNS TABLE (person_a bigint, person_b bigint)
LANGUAGE sql STABLE AS $$
    SELECT c.person_a, c.person_b FROM rozshuk.candidate c
    WHERE c.job_id = p_job AND c.probability >= p_threshold
      AND (NOT EXISTS (SELECT 1 FROM rozshuk.decision d
                        WHERE d.person_a = c.person_a AND d.person_b = c.person_b
                          AND d.decision = 'exclude')
           OR rozshuk.pair_state(c.person_a, c.person_b) <> 'exclude')
    UNION
    SELECT d.person_a, d.person_b FROM rozshuk.pair_decision d
    WHERE d.decision = 'confirm'
      AND rozshuk.job_has_record(p_job, d.person_a) AND rozshuk.job_has_record(p_job, d.person_b)
$$;

-- Blocks of a rule with a split key ("given_canon+sur_dm/sur_fold") larger than split_block
-- records compare only the records sharing a key of that kind too (NULL: jobs from before).
ALTER TABLE job ADD COLUMN split_block integer CHECK (split_block >= 0);
ALTER TABLE task ADD COLUMN blocks_split bigint, ADD COLUMN pairs_split bigint;
