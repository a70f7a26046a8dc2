-- 0005_review.sql: review decisions on candidate pairs (issue 7).
-- A decision is about a pair of records, whichever job proposed it: confirm, exclude, unsure
-- (parked) or premature (not enough known yet). Decisions form a history that is never
-- overwritten; the pair's state is its latest decision. An exclusion holds until either
-- record changes (person.updated_at later than the decision): then the pair may be proposed
-- again, with the new evidence.
SET search_path = rozshuk, public;

-- Person ids without a foreign key on purpose: the history outlives the records (an undone
-- batch removes its records, not what reviewers decided about them), and batch_undo counts
-- only tables that reference person as work depending on a batch.
CREATE TABLE decision (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_a    bigint NOT NULL,
    person_b    bigint NOT NULL,
    job_id      bigint,
    decision    text NOT NULL CHECK (decision IN ('confirm', 'exclude', 'unsure', 'premature')),
    decided_by  text NOT NULL CHECK (length(decided_by) BETWEEN 1 AND 200),
    db_role     text NOT NULL DEFAULT session_user,
    note        text CHECK (length(note) <= 2000),
    decided_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (person_a < person_b)
);
CREATE INDEX decision_pair_idx ON decision (person_a, person_b, id DESC);
CREATE INDEX decision_b_idx ON decision (person_b);

CREATE FUNCTION decision_is_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review decisions are a history: % refused; record a new decision instead',
        TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER decision_history_only BEFORE UPDATE OR DELETE OR TRUNCATE ON decision
    FOR EACH STATEMENT EXECUTE FUNCTION decision_is_history();

-- The server says who and when, as for the audit.
CREATE FUNCTION decision_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_role := session_user;
    NEW.decided_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER decision_stamp BEFORE INSERT ON decision
    FOR EACH ROW EXECUTE FUNCTION decision_stamp();

-- The current state of every decided pair: its latest decision.
CREATE VIEW pair_decision AS
    SELECT DISTINCT ON (person_a, person_b)
           person_a, person_b, id AS decision_id, decision, decided_by, decided_at, note, job_id
    FROM decision
    ORDER BY person_a, person_b, id DESC;

-- Whether a pair is excluded now: its latest decision is 'exclude' and neither record has
-- changed since. Used when candidates are written, so that later jobs do not propose it.
CREATE FUNCTION pair_is_excluded(p_a bigint, p_b bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT d.decision = 'exclude'
               AND NOT EXISTS (SELECT 1 FROM rozshuk.person p
                               WHERE p.id IN (d.person_a, d.person_b)
                                 AND p.updated_at > d.decided_at)
        FROM rozshuk.decision d
        WHERE d.person_a = least(p_a, p_b) AND d.person_b = greatest(p_a, p_b)
        ORDER BY d.id DESC LIMIT 1), false)
$$;

-- Candidates of excluded pairs are not written (row trigger: COPY and INSERT alike). Only
-- when the candidate table exists (0003, matching); on a database where matching arrives
-- later, 0003's own trigger creation or a later migration adds it.
CREATE FUNCTION candidate_skip_excluded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF rozshuk.pair_is_excluded(NEW.person_a, NEW.person_b) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
DO $$
BEGIN
    IF to_regclass('rozshuk.candidate') IS NOT NULL THEN
        CREATE TRIGGER candidate_skip_excluded BEFORE INSERT ON rozshuk.candidate
            FOR EACH ROW EXECUTE FUNCTION rozshuk.candidate_skip_excluded();
    END IF;
END
$$;

GRANT ALL ON decision TO rozshuk_admin;
GRANT SELECT ON decision, pair_decision TO rozshuk_admin, rozshuk_matcher, rozshuk_investigator;
GRANT INSERT ON decision TO rozshuk_matcher;
