-- 0003_match.sql: match jobs split into partition tasks, versioned models, candidate pairs
-- with their per-field levels and weight contributions, and clusters.
SET search_path = rozshuk, public;

-- A Fellegi-Sunter model: every level's m and u (see engine/model/). Versions only grow; a
-- job records the model it used, so its results can be reproduced.
CREATE TABLE model (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version     integer NOT NULL UNIQUE CHECK (version >= 1),
    label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    params      jsonb NOT NULL,
    trained_on  text CHECK (length(trained_on) <= 2000),
    created_by  text NOT NULL DEFAULT current_user,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- What to compare, with which model and thresholds, who asked and when; counts when done.
CREATE TABLE job (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mode                text NOT NULL CHECK (mode IN ('dedupe', 'link', 'new')),
    selection_a         text NOT NULL CHECK (length(selection_a) <= 1000),
    selection_b         text CHECK (length(selection_b) <= 1000),
    new_batch           bigint REFERENCES batch (id),
    model_id            bigint NOT NULL REFERENCES model (id),
    rules               text NOT NULL CHECK (length(rules) <= 1000),
    fields              text[] NOT NULL,
    min_probability     double precision NOT NULL CHECK (min_probability BETWEEN 0 AND 1),
    cluster_probability double precision NOT NULL CHECK (cluster_probability BETWEEN 0 AND 1),
    max_block           integer NOT NULL CHECK (max_block >= 2),
    partitions          integer NOT NULL CHECK (partitions BETWEEN 1 AND 4096),
    records_a           bigint NOT NULL DEFAULT 0,
    records_b           bigint NOT NULL DEFAULT 0,
    prior               double precision NOT NULL DEFAULT 0,
    tf_total            double precision NOT NULL DEFAULT 0,
    state               text NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'running', 'done', 'failed')),
    actor               text CHECK (length(actor) <= 200),
    created_by          text NOT NULL DEFAULT current_user,
    created_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    pairs_compared      bigint NOT NULL DEFAULT 0,
    candidates          bigint NOT NULL DEFAULT 0,
    clusters            bigint NOT NULL DEFAULT 0,
    cluster_conflicts   bigint NOT NULL DEFAULT 0,
    CHECK (mode <> 'link' OR selection_b IS NOT NULL),
    CHECK (mode <> 'new' OR new_batch IS NOT NULL)
);

-- One partition of a job's blocking-key space. A task commits its candidates and its 'done'
-- in one transaction, so a task that died is simply run again.
CREATE TABLE task (
    job_id          bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    task_no         integer NOT NULL CHECK (task_no >= 0),
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'running', 'done', 'failed')),
    records         bigint,
    pairs           bigint,
    candidates      bigint,
    blocks_skipped  bigint,
    pairs_skipped   bigint,
    seconds         double precision,
    finished_at     timestamptz,
    PRIMARY KEY (job_id, task_no)
);

-- Frequencies of surnames and given names when the job was planned (term-frequency adjustment).
CREATE TABLE job_term (
    job_id  bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    field   text NOT NULL CHECK (field IN ('surname', 'given')),
    term    text NOT NULL,
    freq    bigint NOT NULL CHECK (freq >= 1),
    PRIMARY KEY (job_id, field, term)
);

-- A candidate pair (person_a < person_b) with its score and, per field in the order of
-- job.fields, the comparison level and the weight it contributed.
CREATE TABLE candidate (
    job_id          bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    person_a        bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    person_b        bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    task_no         integer NOT NULL,
    rule            smallint NOT NULL,
    match_weight    double precision NOT NULL,
    probability     double precision NOT NULL CHECK (probability BETWEEN 0 AND 1),
    levels          smallint[] NOT NULL,
    contributions   real[] NOT NULL,
    PRIMARY KEY (job_id, person_a, person_b),
    CHECK (person_a < person_b)
);
CREATE INDEX candidate_rank_idx ON candidate (job_id, probability DESC);
CREATE INDEX candidate_b_idx ON candidate (person_b);

-- Person clusters of a job: connected components of the pairs above its cluster threshold.
CREATE TABLE cluster_member (
    job_id      bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    cluster_id  bigint NOT NULL,
    PRIMARY KEY (job_id, person_id)
);
CREATE INDEX cluster_member_cluster_idx ON cluster_member (job_id, cluster_id);

-- Clusters with their size, and the chaining guard: a cluster holding two records of one
-- source with conflicting valid identifiers of the same kind.
CREATE TABLE cluster (
    job_id      bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    cluster_id  bigint NOT NULL,
    size        integer NOT NULL CHECK (size >= 2),
    conflict    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, cluster_id)
);

GRANT ALL ON model, job, task, job_term, candidate, cluster_member, cluster TO rozshuk_admin;
GRANT SELECT, INSERT, UPDATE ON model, job, task TO rozshuk_matcher;
GRANT SELECT, INSERT, UPDATE, DELETE ON job_term, candidate, cluster_member, cluster
    TO rozshuk_matcher;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA rozshuk TO rozshuk_matcher;
GRANT SELECT ON model, job, task, candidate, cluster_member, cluster TO rozshuk_investigator;
