-- 0006_jobs.sql: the job queue (engine/jobs/). A job's tasks are claimed by `rozshuk worker`
-- processes on one or many machines with SELECT ... FOR UPDATE SKIP LOCKED. A claimed task
-- carries a lease (lease_until) that the worker's heartbeat extends; a task whose lease ran out
-- (its worker died) is claimed again. A task that fails is retried after a backoff (not_before)
-- until max_attempts, then marked failed with its error. Workers register themselves with their
-- own lease, so `rozshuk match` knows whether any is alive.
--
-- Lock order, to keep the queue free of deadlocks: a transaction that writes task rows and the
-- job row writes the task rows first. Only the job's finish (clustering) locks the job row
-- first, and it writes no task row.
SET search_path = rozshuk, public;

ALTER TABLE job DROP CONSTRAINT job_state_check;
ALTER TABLE job ADD CONSTRAINT job_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled'));
ALTER TABLE job
    -- NULL: not submitted, run by the process that made it (rz_match_run).
    ADD COLUMN queue        text CHECK (queue ~ '^[a-z0-9_.-]{1,64}$'),
    ADD COLUMN priority     integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1000 AND 1000),
    ADD COLUMN started_at   timestamptz,
    ADD COLUMN error        text CHECK (length(error) <= 2000);

ALTER TABLE task DROP CONSTRAINT task_state_check;
-- Tasks of jobs made before the queue: whatever was not done is queued again.
UPDATE task SET state = 'queued' WHERE state IN ('pending', 'running', 'failed');
ALTER TABLE task ALTER COLUMN state SET DEFAULT 'queued';
ALTER TABLE task ADD CONSTRAINT task_state_check
    CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled'));
ALTER TABLE task
    ADD COLUMN attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    ADD COLUMN not_before   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN worker       text CHECK (length(worker) <= 200),
    ADD COLUMN lease_until  timestamptz,
    ADD COLUMN started_at   timestamptz,
    ADD COLUMN pairs_scored bigint NOT NULL DEFAULT 0 CHECK (pairs_scored >= 0),
    ADD COLUMN error        text CHECK (length(error) <= 2000),
    ADD CHECK (state <> 'running' OR (worker IS NOT NULL AND lease_until IS NOT NULL));
-- What a claim looks for: queued tasks due, running tasks whose lease ran out.
CREATE INDEX task_queued_idx ON task (not_before) WHERE state = 'queued';
CREATE INDEX task_running_idx ON task (lease_until) WHERE state = 'running';

-- A running worker process: where it runs, its queue, and the lease its heartbeat extends.
-- A worker that stops cleanly sets stopped_at; one that died is recognised by its lease.
CREATE TABLE worker (
    id           text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    host         text NOT NULL CHECK (length(host) <= 200),
    pid          integer NOT NULL,
    queue        text NOT NULL CHECK (queue ~ '^[a-z0-9_.-]{1,64}$'),
    db_role      text NOT NULL DEFAULT session_user,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz NOT NULL,
    stopped_at   timestamptz,
    tasks_done   bigint NOT NULL DEFAULT 0,
    tasks_failed bigint NOT NULL DEFAULT 0
);
CREATE INDEX worker_live_idx ON worker (queue, lease_until) WHERE stopped_at IS NULL;

-- The worker role: what `rozshuk worker` needs and nothing more. It reads the records and the
-- job's plan, writes candidates and clusters, and moves task and job rows through their states;
-- it cannot load, change or delete records, read the audit trail or decide on pairs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rozshuk_worker') THEN
        CREATE ROLE rozshuk_worker NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA rozshuk TO rozshuk_worker;
GRANT SELECT ON source, batch, person, person_name, person_key, identifier, model, job_term
    TO rozshuk_worker;
-- Decisions are read, never written: an excluded pair is not proposed again.
GRANT SELECT ON decision, pair_decision TO rozshuk_worker;
GRANT SELECT, UPDATE ON job, task TO rozshuk_worker;
GRANT SELECT, INSERT, DELETE ON candidate, cluster_member, cluster TO rozshuk_worker;
GRANT UPDATE (conflict) ON cluster TO rozshuk_worker;
GRANT SELECT, INSERT, UPDATE ON worker TO rozshuk_worker;
GRANT SELECT ON schema_migrations TO rozshuk_worker;
GRANT INSERT ON audit TO rozshuk_worker;

GRANT ALL ON worker TO rozshuk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON worker TO rozshuk_matcher;
GRANT SELECT ON worker TO rozshuk_investigator;
