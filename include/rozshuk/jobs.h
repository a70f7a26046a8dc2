/*
 * jobs.h: the job queue on PostgreSQL and the worker that runs its tasks.
 *
 * A match job (match.h) is split into partition tasks. Submitted to a queue, its tasks are
 * claimed one at a time by workers (`rozshuk worker`, on one or many machines against one
 * database) with SELECT ... FOR UPDATE SKIP LOCKED. A claimed task holds a lease that the
 * worker's heartbeat extends; when a worker dies its task is claimed again once the lease has
 * run out. A task commits its candidates and its completion in one transaction, and only while
 * it still holds its lease, so a task re-run never duplicates or loses a candidate. A task
 * that fails is retried after a growing backoff up to its attempt limit, then marked failed
 * with its error (and the job with it). The last task's worker finishes the job (clusters,
 * counts) exactly once. LISTEN/NOTIFY wakes idle workers and waiters; they poll as well.
 *
 * Task states: queued, running, done, failed, cancelled. Job states: pending (no task started),
 * running, done, failed, cancelled.
 */
#ifndef ROZSHUK_JOBS_H
#define ROZSHUK_JOBS_H

#include "rozshuk/match.h"
#include "rozshuk/names.h"
#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RZ_QUEUE_NAME_MAX 64  /* a queue name: a-z 0-9 _ . -, 1 to 64 bytes */
#define RZ_WORKER_ID_MAX  200 /* "host:pid:random" */
#define RZ_QUEUE_DEFAULT  "default"

/* The notification channels: a task became ready (payload: the queue), a job changed. */
#define RZ_CHANNEL_TASK "rozshuk_task"
#define RZ_CHANNEL_JOB  "rozshuk_job"

/* Whether `name` is a valid queue name. */
bool rz_queue_name_valid(const char *name);

#define RZ_ATTEMPTS_DEFAULT 3 /* attempts a task gets before it is failed */
#define RZ_ATTEMPTS_MAX     100

/*
 * Creates a match job (rz_match_job_create) and queues its tasks on `queue` (NULL: "default")
 * with `priority` (higher first, -1000 to 1000) and `max_attempts` per task (1 to
 * RZ_ATTEMPTS_MAX; 0: RZ_ATTEMPTS_DEFAULT), then wakes the workers. Every claim of a task counts
 * as an attempt, except a task given back by a worker told to stop. A job that is not submitted
 * (rz_match_run) has no queue and is run by its creator only.
 */
rz_status rz_job_submit(rz_db *db, const rz_match_options *opts, const char *queue, int priority,
                        int max_attempts, int64_t *job_id, rz_error *err);

/* A job's progress, read from its task rows in one statement. */
typedef struct rz_job_progress {
    int64_t job_id;
    char state[16];
    char queue[RZ_QUEUE_NAME_MAX + 1]; /* "" when the job was not submitted to a queue */
    int priority;
    size_t tasks, queued, running, done, failed, cancelled;
    size_t pairs_scored; /* done tasks' pairs plus what running tasks reported so far */
    size_t candidates;   /* of the done tasks */
    double elapsed;      /* seconds since the first task started (0 before), to now or the end */
    char error[512];     /* the job's error (a failed task's), "" when none */
} rz_job_progress;

rz_status rz_job_progress_read(rz_db *db, int64_t job_id, rz_job_progress *out, rz_error *err);

/* Whether a job state is final (done, failed, cancelled). */
bool rz_job_state_final(const char *state);

/*
 * Cancels a job: its queued and running tasks become cancelled, the job cancelled. Running
 * tasks stop at their worker's next heartbeat and commit nothing. RZ_ENOTFOUND for an unknown
 * job, RZ_ECONFLICT when it had already ended (done, failed or cancelled). *tasks: how many
 * tasks were cancelled.
 */
rz_status rz_job_cancel(rz_db *db, int64_t job_id, size_t *tasks, rz_error *err);

/*
 * Queues a failed or cancelled job's failed and cancelled tasks again (attempts from zero) and
 * wakes the workers; a job that was never submitted goes to `queue` (NULL: "default").
 * RZ_ENOTFOUND, or RZ_ECONFLICT when the job is done. *tasks: how many were queued.
 */
rz_status rz_job_retry(rz_db *db, int64_t job_id, const char *queue, size_t *tasks, rz_error *err);

/*
 * The latest jobs, newest first, at most `limit`. Columns: id, mode, selection_a, selection_b,
 * state, queue, tasks, tasks_done, candidates (done tasks), created_at, finished_at (text).
 * Free with rz_result_free().
 */
rz_status rz_job_list(rz_db *db, size_t limit, rz_result **out, rz_error *err);

/*
 * The tasks of a job by number. Columns: task_no, state, attempts, max_attempts, worker,
 * pairs (done: final; running: so far), candidates, seconds, error, lease_left (seconds, text;
 * NULL unless running). Free with rz_result_free().
 */
rz_status rz_job_tasks(rz_db *db, int64_t job_id, rz_result **out, rz_error *err);

/* Workers alive on `queue` (NULL: any): not stopped, lease not run out. */
rz_status rz_worker_count_live(rz_db *db, const char *queue, size_t *count, rz_error *err);

/* ---- the worker ----------------------------------------------------------------------------- */

typedef struct rz_worker_options {
    char queue[RZ_QUEUE_NAME_MAX + 1]; /* default "default" */
    int64_t job_id;   /* 0: any job of the queue; else only this job's tasks, until it ends */
    bool once;        /* exit when the queue holds no queued task (ready or in its retry
                         pause), instead of waiting for new work */
    double lease;     /* seconds a task stays held without a heartbeat; default 30 */
    double heartbeat; /* seconds between heartbeats; default lease / 3 */
    double poll;      /* longest idle wait when no notification arrives; default 5 */
    double backoff;   /* a failed task waits backoff * 2^(attempt-1) seconds; default 5 */
    /* Set (by a signal handler) to stop: a running task is abandoned and released to the
     * queue without counting the attempt; the worker deregisters and returns. May be NULL. */
    const volatile sig_atomic_t *stop;
    /* What happened, one line at a time (no personal data): for the CLI's log. May be NULL. */
    void (*log)(void *user, const char *line);
    void *user;
    double test_task_seconds; /* tests: each task lasts at least this long before its commit */
} rz_worker_options;

void rz_worker_options_defaults(rz_worker_options *opts);

typedef struct rz_worker_stats {
    char id[RZ_WORKER_ID_MAX + 1];
    size_t tasks_done, tasks_failed, tasks_released, tasks_lost, jobs_finished, reconnects;
    size_t pairs;
} rz_worker_stats;

/*
 * Runs tasks until stopped (opts->stop), until no task is ready (opts->once), or until job
 * opts->job_id has ended. Connects with `conninfo` (libpq string, NULL for the PG*
 * environment) twice: one connection runs the tasks, the other beats the heart. A lost
 * connection (database restarted) is reopened with a growing pause; the task it cut is queued
 * again after the usual pause, its attempt counted (failed at the task's attempt limit).
 * RZ_EDBCONN when the first connection fails; other errors only for the worker itself, never
 * for a task (a task's error is recorded on its row).
 */
rz_status rz_worker_run(const char *conninfo, const rz_name_ctx *names,
                        const rz_worker_options *opts, rz_worker_stats *stats, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_JOBS_H */
