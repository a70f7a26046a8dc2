/*
 * queue.c: the job queue's statements: submit, progress, cancel, retry, lists, live workers.
 * The worker's own statements (claim, heartbeat, release, retry with backoff) are in worker.c.
 * Lock order (see sql/0006_jobs.sql): task rows before the job row.
 */
#include "jobs/jobs_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rz_queue_name_valid(const char *name)
{
    if (name == NULL)
        return false;
    size_t n = strlen(name);
    if (n == 0 || n > RZ_QUEUE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

bool rz_job_state_final(const char *state)
{
    return state != NULL && (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0 ||
                             strcmp(state, "cancelled") == 0);
}

size_t rz__jobs_size(const char *s)
{
    return s ? (size_t)strtoull(s, NULL, 10) : 0;
}

rz_status rz__jobs_notify(rz_db *db, const char *channel, const char *payload, rz_error *err)
{
    if (db == NULL)
        return RZ_OK; /* the connection is being reopened: the waiters poll too */
    const char *params[] = {channel, payload};
    return rz_db_exec(db, "SELECT pg_notify($1, $2)", 2, params, NULL, err);
}

static rz_status check_queue(const char **queue, rz_error *err)
{
    if (*queue == NULL)
        *queue = RZ_QUEUE_DEFAULT;
    if (!rz_queue_name_valid(*queue))
        return rz_error_set(err, RZ_EINVAL, "queue name '%.64s': use 1 to %d of a-z 0-9 _ . -",
                            *queue, RZ_QUEUE_NAME_MAX);
    return RZ_OK;
}

rz_status rz_job_submit(rz_db *db, const rz_match_options *opts, const char *queue, int priority,
                        int max_attempts, int64_t *job_id, rz_error *err)
{
    *job_id = 0;
    rz_status s = check_queue(&queue, err);
    if (s != RZ_OK)
        return s;
    if (priority < -1000 || priority > 1000)
        return rz_error_set(err, RZ_EINVAL, "priority %d: use -1000 to 1000", priority);
    if (max_attempts == 0)
        max_attempts = RZ_ATTEMPTS_DEFAULT;
    if (max_attempts < 1 || max_attempts > RZ_ATTEMPTS_MAX)
        return rz_error_set(err, RZ_EINVAL, "max attempts %d: use 1 to %d", max_attempts,
                            RZ_ATTEMPTS_MAX);
    /* The job is made without a queue (no worker sees it), then put on the queue: its task
     * rows first (the lock order), then the job row. */
    if ((s = rz_match_job_create(db, opts, job_id, err)) != RZ_OK)
        return s;
    char job[24], prio[16], attempts[16];
    snprintf(job, sizeof job, "%lld", (long long)*job_id);
    snprintf(prio, sizeof prio, "%d", priority);
    snprintf(attempts, sizeof attempts, "%d", max_attempts);
    const char *params[] = {job, queue, prio}, *tparams[] = {job, attempts};
    s = rz_db_exec(db, "UPDATE rozshuk.task SET max_attempts = $2::integer WHERE job_id = $1", 2,
                   tparams, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(db, "UPDATE rozshuk.job SET queue = $2, priority = $3 WHERE id = $1", 3,
                       params, NULL, err);
    if (s == RZ_OK)
        s = rz__jobs_notify(db, RZ_CHANNEL_TASK, queue, err);
    return s;
}

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

rz_status rz_job_progress_read(rz_db *db, int64_t job_id, rz_job_progress *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    const char *params[] = {job};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "SELECT j.state, j.queue, j.priority, count(t.task_no),"
                             " count(*) FILTER (WHERE t.state = 'queued'),"
                             " count(*) FILTER (WHERE t.state = 'running'),"
                             " count(*) FILTER (WHERE t.state = 'done'),"
                             " count(*) FILTER (WHERE t.state = 'failed'),"
                             " count(*) FILTER (WHERE t.state = 'cancelled'),"
                             " coalesce(sum(CASE WHEN t.state = 'done' THEN t.pairs"
                             "   WHEN t.state = 'running' THEN t.pairs_scored ELSE 0 END), 0),"
                             " coalesce(sum(t.candidates) FILTER (WHERE t.state = 'done'), 0),"
                             " CASE WHEN j.started_at IS NULL THEN 0 ELSE extract(epoch FROM"
                             "   coalesce(j.finished_at, now()) - j.started_at) END,"
                             " j.error"
                             " FROM rozshuk.job j LEFT JOIN rozshuk.task t ON t.job_id = j.id"
                             " WHERE j.id = $1 GROUP BY j.id",
                             1, params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) != 1)
        s = rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
    if (s == RZ_OK) {
        out->job_id = job_id;
        copy_text(out->state, sizeof out->state, rz_result_value(res, 0, 0));
        copy_text(out->queue, sizeof out->queue, rz_result_value(res, 0, 1));
        out->priority = (int)strtol(rz_result_value(res, 0, 2), NULL, 10);
        size_t *counts[] = {&out->tasks,  &out->queued,    &out->running,      &out->done,
                            &out->failed, &out->cancelled, &out->pairs_scored, &out->candidates};
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            *counts[c] = rz__jobs_size(rz_result_value(res, 0, 3 + c));
        out->elapsed = strtod(rz_result_value(res, 0, 11), NULL);
        copy_text(out->error, sizeof out->error, rz_result_value(res, 0, 12));
    }
    rz_result_free(res);
    return s;
}

/* Reads the job's state into `state` ("" when there is no such job). */
static rz_status job_state(rz_db *db, const char *job, char *state, size_t cap, rz_error *err)
{
    const char *params[] = {job};
    rz_result *res = NULL;
    state[0] = '\0';
    rz_status s =
        rz_db_exec(db, "SELECT state FROM rozshuk.job WHERE id = $1", 1, params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) == 1)
        copy_text(state, cap, rz_result_value(res, 0, 0));
    rz_result_free(res);
    return s;
}

/* Runs `task_sql` then `job_sql` (both with $1 = job) in one transaction; *tasks: the rows the
 * first changed, *job_changed whether the second changed the job. */
static rz_status tasks_then_job(rz_db *db, const char *job, const char *task_sql,
                                const char *job_sql, const char *param2, size_t *tasks,
                                bool *job_changed, rz_error *err)
{
    const char *params[] = {job, param2};
    rz_result *res = NULL;
    rz_status s = rz_db_begin(db, err);
    if (s == RZ_OK)
        s = rz_db_exec(db, task_sql, 1, params, &res, err);
    *tasks = rz_result_affected(res);
    rz_result_free(res);
    res = NULL;
    if (s == RZ_OK)
        s = rz_db_exec(db, job_sql, param2 ? 2 : 1, params, &res, err);
    *job_changed = rz_result_affected(res) == 1;
    rz_result_free(res);
    if (s == RZ_OK && *job_changed)
        s = rz_db_commit(db, err);
    if (s != RZ_OK || !*job_changed)
        rz_db_rollback(db);
    return s;
}

rz_status rz_job_cancel(rz_db *db, int64_t job_id, size_t *tasks, rz_error *err)
{
    char job[24], state[16];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    *tasks = 0;
    bool changed = false;
    rz_status s = tasks_then_job(
        db, job,
        "UPDATE rozshuk.task SET state = 'cancelled', lease_until = NULL,"
        " error = 'cancelled by ' || session_user"
        " WHERE job_id = $1 AND state IN ('queued', 'running')"
        " AND (SELECT state FROM rozshuk.job WHERE id = $1) IN ('pending', 'running')",
        "UPDATE rozshuk.job SET state = 'cancelled', finished_at = now(),"
        " error = 'cancelled by ' || session_user"
        " WHERE id = $1 AND state IN ('pending', 'running')",
        NULL, tasks, &changed, err);
    if (s == RZ_OK && !changed) {
        *tasks = 0;
        if ((s = job_state(db, job, state, sizeof state, err)) != RZ_OK)
            return s;
        if (state[0] == '\0')
            return rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
        return rz_error_set(err, RZ_ECONFLICT, "job %lld has already ended (%s)", (long long)job_id,
                            state);
    }
    if (s == RZ_OK)
        s = rz__jobs_notify(db, RZ_CHANNEL_JOB, job, err);
    return s;
}

rz_status rz_job_retry(rz_db *db, int64_t job_id, const char *queue, size_t *tasks, rz_error *err)
{
    char job[24], state[16];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    *tasks = 0;
    rz_status s = check_queue(&queue, err);
    if (s != RZ_OK)
        return s;
    bool changed = false;
    s = tasks_then_job(
        db, job,
        "UPDATE rozshuk.task SET state = 'queued', attempts = 0, not_before = now(),"
        " worker = NULL, lease_until = NULL, error = NULL"
        " WHERE job_id = $1 AND state IN ('failed', 'cancelled')"
        " AND (SELECT state FROM rozshuk.job WHERE id = $1) <> 'done'",
        "UPDATE rozshuk.job SET state = CASE WHEN started_at IS NULL THEN 'pending'"
        " ELSE 'running' END, error = NULL, finished_at = NULL, queue = coalesce(queue, $2)"
        " WHERE id = $1 AND state <> 'done'",
        queue, tasks, &changed, err);
    if (s == RZ_OK && !changed) {
        if ((s = job_state(db, job, state, sizeof state, err)) != RZ_OK)
            return s;
        if (state[0] == '\0')
            return rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
        return rz_error_set(err, RZ_ECONFLICT, "job %lld is done: nothing to retry",
                            (long long)job_id);
    }
    if (s == RZ_OK)
        s = rz__jobs_notify(db, RZ_CHANNEL_TASK, queue, err);
    return s;
}

rz_status rz_job_list(rz_db *db, size_t limit, rz_result **out, rz_error *err)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%zu", limit);
    const char *params[] = {lim};
    return rz_db_exec(
        db,
        "SELECT j.id, j.mode, j.selection_a, j.selection_b, j.state, j.queue,"
        " (SELECT count(*) FROM rozshuk.task t WHERE t.job_id = j.id),"
        " (SELECT count(*) FROM rozshuk.task t WHERE t.job_id = j.id AND t.state = 'done'),"
        " (SELECT coalesce(sum(t.candidates), 0) FROM rozshuk.task t"
        "   WHERE t.job_id = j.id AND t.state = 'done'),"
        " to_char(j.created_at, 'YYYY-MM-DD HH24:MI:SS'),"
        " to_char(j.finished_at, 'YYYY-MM-DD HH24:MI:SS')"
        " FROM rozshuk.job j ORDER BY j.id DESC LIMIT $1",
        1, params, out, err);
}

rz_status rz_job_tasks(rz_db *db, int64_t job_id, rz_result **out, rz_error *err)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    const char *params[] = {job};
    return rz_db_exec(db,
                      "SELECT task_no, state, attempts, max_attempts, worker,"
                      " CASE WHEN state = 'done' THEN pairs ELSE pairs_scored END, candidates,"
                      " round(seconds::numeric, 2), error,"
                      " CASE WHEN state = 'running' THEN round(extract(epoch FROM"
                      "   lease_until - now())::numeric, 1) END"
                      " FROM rozshuk.task WHERE job_id = $1 ORDER BY task_no",
                      1, params, out, err);
}

rz_status rz_worker_count_live(rz_db *db, const char *queue, size_t *count, rz_error *err)
{
    const char *params[] = {queue};
    rz_result *res = NULL;
    *count = 0;
    rz_status s = rz_db_exec(db,
                             "SELECT count(*) FROM rozshuk.worker WHERE stopped_at IS NULL"
                             " AND lease_until > now() AND ($1::text IS NULL OR queue = $1)",
                             1, params, &res, err);
    if (s == RZ_OK)
        *count = rz__jobs_size(rz_result_value(res, 0, 0));
    rz_result_free(res);
    return s;
}
