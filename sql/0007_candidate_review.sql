-- 0007_candidate_review.sql: candidates addressed by id, their review state, and clusters that
-- follow the reviewers (issue 7).
-- Numbered 0007: 0006 is the job runner's. Migrations apply by name, so a gap is harmless.
SET search_path = rozshuk, public;

-- A candidate's id: stable for the life of the row (a job's candidates are never rewritten;
-- a new job makes new rows with new ids). `rozshuk review ID`, `explain ID` and `candidates`
-- use it; the pair of records stays the subject of a decision.
ALTER TABLE candidate ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE candidate ADD CONSTRAINT candidate_id_key UNIQUE (id);
GRANT USAGE ON ALL SEQUENCES IN SCHEMA rozshuk TO rozshuk_matcher;

-- The review state of a pair: its latest decision, or 'undecided'. An exclusion that one of
-- the records has outlived (changed since, see pair_is_excluded) no longer holds: 'undecided'.
CREATE FUNCTION pair_state(p_a bigint, p_b bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT CASE WHEN d.decision = 'exclude'
                         AND EXISTS (SELECT 1 FROM rozshuk.person p
                                     WHERE p.id IN (d.person_a, d.person_b)
                                       AND p.updated_at > d.decided_at)
                    THEN 'undecided' ELSE d.decision END
        FROM rozshuk.decision d
        WHERE d.person_a = least(p_a, p_b) AND d.person_b = greatest(p_a, p_b)
        ORDER BY d.id DESC LIMIT 1), 'undecided')
$$;

-- Whether a record is in one of a job's candidate pairs (both indexes: the key, person_b's).
CREATE FUNCTION job_has_record(p_job bigint, p_person bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM rozshuk.candidate WHERE job_id = p_job AND person_a = p_person)
        OR EXISTS (SELECT 1 FROM rozshuk.candidate WHERE job_id = p_job AND person_b = p_person)
$$;

-- The edges a job's clusters are made of: its candidates at or above the threshold unless
-- excluded since the job ran, and every pair a reviewer confirmed whose two records are both
-- among the job's candidates, whatever its score (a confirmed pair joins the person's
-- cluster). Reviews change the clusters of finished jobs (rz_match_job_recluster).
CREATE FUNCTION job_cluster_edges(p_job bigint, p_threshold double precision)
RETURNS TABLE (person_a bigint, person_b bigint)
LANGUAGE sql STABLE AS $$
    SELECT c.person_a, c.person_b FROM rozshuk.candidate c
    WHERE c.job_id = p_job AND c.probability >= p_threshold
      AND rozshuk.pair_state(c.person_a, c.person_b) <> 'exclude'
    UNION
    SELECT d.person_a, d.person_b FROM rozshuk.pair_decision d
    WHERE d.decision = 'confirm'
      AND rozshuk.job_has_record(p_job, d.person_a) AND rozshuk.job_has_record(p_job, d.person_b)
$$;
