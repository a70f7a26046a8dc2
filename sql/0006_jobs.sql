-- 0006_jobs.sql: the job queue. Tasks carry a queue name, a priority, attempts with a limit, a
-- backoff time, the worker holding them and the last error; workers register themselves with a
-- lease their heartbeat extends. A task whose worker's lease ran out is claimed again.
SET search_path = rozshuk, public;

ALTER TABLE job DROP CONSTRAINT job_state_check;
ALTER TABLE job ADD CONSTRAINT job_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled'));
ALTER TABLE job
    ADD COLUMN queue    text NOT NULL DEFAULT 'default' CHECK (length(queue) BETWEEN 1 AND 64),
    ADD COLUMN priority integer NOT NULL DEFAULT 0,
    ADD COLUMN error    text CHECK (length(error) <= 2000);

ALTER TABLE task DROP CONSTRAINT task_state_check;
UPDATE task SET state = 'queued' WHERE state = 'pending';
ALTER TABLE task ALTER COLUMN state SET DEFAULT 'queued';
ALTER TABLE task ADD CONSTRAINT task_state_check
    CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled'));
ALTER TABLE task
    ADD COLUMN attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    ADD COLUMN not_before   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN worker       text CHECK (length(worker) <= 200),
    ADD COLUMN started_at   timestamptz,
    ADD COLUMN error        text CHECK (length(error) <= 2000);
CREATE INDEX task_ready_idx ON task (job_id, task_no) WHERE state IN ('queued', 'running');

-- A running worker process: who and where, and the lease its heartbeat extends. The tasks it
-- holds (task.worker) are its until lease_until passes.
CREATE TABLE worker (
    id           text PRIMARY KEY CHECK (length(id) <= 200),
    host         text NOT NULL CHECK (length(host) <= 200),
    pid          integer NOT NULL,
    queue        text NOT NULL CHECK (length(queue) BETWEEN 1 AND 64),
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz NOT NULL,
    stopped_at   timestamptz
);

GRANT ALL ON worker TO rozshuk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON worker TO rozshuk_matcher;
GRANT SELECT ON worker TO rozshuk_investigator;
