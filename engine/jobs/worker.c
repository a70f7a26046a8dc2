/*
 * worker.c: `rozshuk worker`'s loop. Claim a task (FOR UPDATE SKIP LOCKED), run it with a
 * heartbeat thread extending its lease on a second connection, then finish the job when it was
 * the last. Idle, wait for a notification or the poll interval. A failed task is queued again
 * after a backoff until its attempt limit, then failed with its error. A lost connection (the
 * database restarted) is reopened with a growing pause and the task it held is released.
 *
 * Threads: the main thread runs tasks on `db`; the heartbeat thread owns its own connection and
 * touches the main one only through rz_db_cancel() (thread-safe), under the mutex, while the
 * task it means is still the current one.
 */
#include "jobs/jobs_internal.h"
#include "match/match_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ERROR_TEXT_MAX 1500 /* bytes of a task's error kept on its row (column cap 2000) */

typedef struct worker {
    const rz_worker_options *o;
    const char *conninfo;
    const rz_name_ctx *names;
    rz_worker_stats *stats;
    rz_db *db; /* the main connection; NULL while lost */
    char lease[32], queue[RZ_QUEUE_NAME_MAX + 1];
    char lost[304]; /* why the connection went (first line), for the attempt's error */
    /* shared with the heartbeat thread, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool quit, has_task;
    int64_t job;
    int task_no, attempt;
    atomic_bool cancel;
    atomic_size_t pairs;
} worker;

static void wlog(worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void wlog(worker *w, const char *fmt, ...)
{
    if (w->o->log == NULL)
        return;
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    w->o->log(w->o->user, line);
}

static bool stopping(const worker *w)
{
    return w->o->stop != NULL && *w->o->stop;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps up to `seconds` in short slices, returning early when the worker is stopping. */
static void nap(const worker *w, double seconds)
{
    double end = now_seconds() + seconds;
    while (!stopping(w) && now_seconds() < end)
        usleep(50000);
}

/* The length of a libpq message's first line (its hints follow on further lines), at most 300
 * bytes: for "%.*s". */
static int line_len(const char *message)
{
    size_t n = strcspn(message, "\n");
    return (int)(n > 300 ? 300 : n);
}

/* Keeps why the connection went, for the error of the attempt it cut. */
static void note_lost(worker *w, const char *message)
{
    snprintf(w->lost, sizeof w->lost, "%.*s", line_len(message), message);
}

/* Whether a failure means the connection is gone (rather than the statement failed). */
static bool connection_lost(rz_status s, const rz_error *e)
{
    return s == RZ_EDBCONN || strncmp(e->sqlstate, "08", 2) == 0 ||
           strncmp(e->sqlstate, "57P", 3) == 0;
}

void rz_worker_options_defaults(rz_worker_options *opts)
{
    memset(opts, 0, sizeof *opts);
    memcpy(opts->queue, RZ_QUEUE_DEFAULT, sizeof RZ_QUEUE_DEFAULT);
    opts->lease = 30.0;
    opts->poll = 5.0;
    opts->backoff = 5.0;
}

/* Cuts `text` to at most `max` bytes at a UTF-8 character boundary (PostgreSQL refuses a cut
 * character). */
static void cut_utf8(char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    text[max] = '\0';
}

/* ---- statements ------------------------------------------------------------------------------ */

static rz_status exec_affected(rz_db *db, const char *sql, int n, const char *const *params,
                               size_t *affected, rz_error *err)
{
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db, sql, n, params, &res, err);
    if (affected != NULL)
        *affected = rz_result_affected(res);
    rz_result_free(res);
    return s;
}

static rz_status register_worker(worker *w, rz_error *err)
{
    char host[101] = "", pid[16];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    const char *params[] = {w->stats->id, host, pid, w->queue, w->lease};
    return rz_db_exec(w->db,
                      "INSERT INTO rozshuk.worker (id, host, pid, queue, lease_until)"
                      " VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::float8))"
                      " ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(),"
                      " lease_until = EXCLUDED.lease_until, stopped_at = NULL",
                      5, params, NULL, err);
}

typedef struct claim {
    int64_t job;
    int task_no, attempt, max_attempts;
} claim;

/*
 * Records that an attempt at a task ended without its result: the task is queued again after
 * backoff * 2^(attempt-1) seconds or, at its attempt limit, failed with its job (task row
 * before job row), and each is logged. `c` NULL: every task this worker holds (after a lost
 * connection: whatever it held, even a claim whose answer was lost). *failed: how many were
 * failed for good.
 */
static rz_status fail_tasks(worker *w, const claim *c, const char *message, size_t *failed,
                            rz_error *err)
{
    char job[24], task[16], att[16], backoff[32], text[ERROR_TEXT_MAX + 1];
    snprintf(job, sizeof job, "%lld", c ? (long long)c->job : 0LL);
    snprintf(task, sizeof task, "%d", c ? c->task_no : 0);
    snprintf(att, sizeof att, "%d", c ? c->attempt : 0);
    snprintf(backoff, sizeof backoff, "%.3f", w->o->backoff);
    snprintf(text, sizeof text, "%s", message[0] ? message : "unknown error");
    cut_utf8(text, ERROR_TEXT_MAX);
    const char *params[] = {job, task, w->stats->id, att, text, backoff};
    rz_result *res = NULL;
    *failed = 0;
    rz_status s = rz_db_exec(
        w->db,
        "WITH t AS (UPDATE rozshuk.task SET lease_until = NULL, error = $5,"
        "  state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,"
        "  not_before = now() + make_interval(secs => $6::float8 * power(2, attempts - 1))"
        "  WHERE worker = $3 AND state = 'running' AND ($1::bigint = 0 OR"
        "   (job_id = $1::bigint AND task_no = $2::integer AND attempts = $4::integer))"
        "  RETURNING job_id, task_no, state, attempts, max_attempts),"
        " j AS (UPDATE rozshuk.job j SET state = 'failed', finished_at = now(),"
        "  error = 'task ' || t.task_no || ' failed after ' || t.attempts || ' attempt(s): ' || $5"
        "  FROM t WHERE j.id = t.job_id AND t.state = 'failed'"
        "  AND j.state IN ('pending', 'running'))"
        " SELECT job_id, task_no, attempts, max_attempts, state FROM t",
        6, params, &res, err);
    for (size_t i = 0; s == RZ_OK && i < rz_result_rows(res); i++) {
        bool last = strcmp(rz_result_value(res, i, 4), "failed") == 0;
        *failed += last;
        w->stats->tasks_failed++;
        wlog(w, "job %s task %s: attempt %s of %s failed: %s%s", rz_result_value(res, i, 0),
             rz_result_value(res, i, 1), rz_result_value(res, i, 2), rz_result_value(res, i, 3),
             text, last ? "; the task and its job are failed" : "; queued again after a pause");
        rz__jobs_notify(w->db, RZ_CHANNEL_JOB, rz_result_value(res, i, 0), NULL);
    }
    rz_result_free(res);
    return s;
}

/* After a reconnect: the tasks this worker held when the connection went. Their attempt counts
 * (a task that ends its own session, or brings the server down, every time must not run
 * forever); below the limit they are queued again after the usual pause. */
static rz_status give_back_lost(worker *w, rz_error *err)
{
    char message[512];
    snprintf(message, sizeof message,
             "the connection to the database was lost during this attempt (server restart, "
             "network, or the task ended its session): %s",
             w->lost[0] ? w->lost : "connection lost");
    size_t failed = 0;
    rz_status s = fail_tasks(w, NULL, message, &failed, err);
    if (s == RZ_OK)
        w->lost[0] = '\0';
    return s;
}

static rz_status setup_session(worker *w, rz_error *err)
{
    rz_status s = rz_db_exec(w->db, "LISTEN " RZ_CHANNEL_TASK, 0, NULL, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(w->db, "LISTEN " RZ_CHANNEL_JOB, 0, NULL, NULL, err);
    if (s == RZ_OK && w->o->job_id == 0)
        s = register_worker(w, err);
    if (s == RZ_OK)
        s = give_back_lost(w, err);
    return s;
}

static void drop_connection(worker *w)
{
    pthread_mutex_lock(&w->mu);
    rz_db *db = w->db;
    w->db = NULL;
    pthread_mutex_unlock(&w->mu);
    rz_db_close(db);
}

/* Opens the main connection again with a growing pause (0.2 s doubling to 5 s) until it works
 * or the worker is told to stop. */
static bool reconnect(worker *w)
{
    double pause = 0.2, t0 = now_seconds();
    unsigned tries = 0;
    while (!stopping(w)) {
        rz_db *db = NULL;
        rz_error e;
        rz_error_clear(&e);
        tries++;
        if (rz_db_open(w->conninfo, &db, &e) == RZ_OK) {
            pthread_mutex_lock(&w->mu);
            w->db = db;
            pthread_mutex_unlock(&w->mu);
            if (setup_session(w, &e) == RZ_OK) {
                w->stats->reconnects++;
                wlog(w, "connected again to the database after %.1f s (%u tries)",
                     now_seconds() - t0, tries);
                return true;
            }
            drop_connection(w);
        }
        /* Said once, then every minute or so: a long outage should not flood the log. */
        if (tries == 1 || tries % 12 == 0)
            wlog(w, "database unavailable for %.1f s (%.*s); trying again every %.1f s to 5 s",
                 now_seconds() - t0, line_len(e.message), e.message, pause);
        nap(w, pause);
        pause = pause * 2 > 5.0 ? 5.0 : pause * 2;
    }
    return false;
}

/* Tasks whose worker stopped answering on their last attempt are failed (and their jobs). */
static rz_status reap(worker *w, rz_error *err)
{
    return rz_db_exec(
        w->db,
        "WITH t AS (UPDATE rozshuk.task SET state = 'failed', lease_until = NULL,"
        "  error = 'worker ' || worker || ' stopped answering (lease ran out) on attempt '"
        "  || attempts || ' of ' || max_attempts"
        "  WHERE state = 'running' AND lease_until < now() AND attempts >= max_attempts"
        "  RETURNING job_id, task_no, error)"
        " UPDATE rozshuk.job j SET state = 'failed', finished_at = now(),"
        "  error = 'task ' || t.task_no || ': ' || t.error"
        " FROM t WHERE j.id = t.job_id AND j.state IN ('pending', 'running')",
        0, NULL, NULL, err);
}

/*
 * Claims the next task: a queued one that is due, or a running one whose lease ran out, of a
 * live job of the queue (or of job opts->job_id), highest priority first. One statement: the
 * task row is locked (SKIP LOCKED: rows another worker is claiming are passed over), updated,
 * and the job marked running, task row before job row.
 */
static rz_status claim_next(worker *w, claim *c, bool *got, rz_error *err)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)w->o->job_id);
    const char *params[] = {w->stats->id, w->queue, job, w->lease};
    rz_result *res = NULL;
    *got = false;
    rz_status s = rz_db_exec(
        w->db,
        "WITH c AS (SELECT t.job_id, t.task_no FROM rozshuk.task t"
        "  JOIN rozshuk.job j ON j.id = t.job_id"
        "  WHERE j.state IN ('pending', 'running')"
        "  AND CASE WHEN $3::bigint = 0 THEN j.queue = $2 ELSE j.id = $3::bigint END"
        "  AND ((t.state = 'queued' AND t.not_before <= now())"
        "   OR (t.state = 'running' AND t.lease_until < now() AND t.attempts < t.max_attempts))"
        "  ORDER BY j.priority DESC, t.job_id, t.task_no"
        "  LIMIT 1 FOR UPDATE OF t SKIP LOCKED),"
        " t AS (UPDATE rozshuk.task t SET state = 'running', worker = $1,"
        "  attempts = t.attempts + 1, started_at = now(), pairs_scored = 0,"
        "  lease_until = now() + make_interval(secs => $4::float8)"
        "  FROM c WHERE t.job_id = c.job_id AND t.task_no = c.task_no"
        "  RETURNING t.job_id, t.task_no, t.attempts, t.max_attempts),"
        " j AS (UPDATE rozshuk.job j SET state = 'running', started_at = now()"
        "  FROM t WHERE j.id = t.job_id AND j.state = 'pending')"
        " SELECT job_id, task_no, attempts, max_attempts FROM t",
        4, params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) == 1) {
        c->job = (int64_t)strtoll(rz_result_value(res, 0, 0), NULL, 10);
        c->task_no = (int)strtol(rz_result_value(res, 0, 1), NULL, 10);
        c->attempt = (int)strtol(rz_result_value(res, 0, 2), NULL, 10);
        c->max_attempts = (int)strtol(rz_result_value(res, 0, 3), NULL, 10);
        *got = true;
    }
    rz_result_free(res);
    return s;
}

/* Queues the task again without counting the attempt (the worker stops, or lost it). */
static rz_status release_task(worker *w, const claim *c, size_t *n, rz_error *err)
{
    char job[24], task[16], att[16];
    snprintf(job, sizeof job, "%lld", (long long)c->job);
    snprintf(task, sizeof task, "%d", c->task_no);
    snprintf(att, sizeof att, "%d", c->attempt);
    const char *params[] = {job, task, w->stats->id, att};
    return exec_affected(w->db,
                         "UPDATE rozshuk.task SET state = 'queued', lease_until = NULL,"
                         " attempts = greatest(attempts - 1, 0), not_before = now()"
                         " WHERE job_id = $1 AND task_no = $2 AND worker = $3"
                         " AND attempts = $4::integer AND state = 'running'",
                         4, params, n, err);
}

/* ---- the heartbeat ----------------------------------------------------------------------------
 */

/* Extends the worker's lease and the current task's; *lost when the task is no longer this
 * worker's to run (cancelled, re-claimed after a lost lease, or its job failed). */
static rz_status beat(worker *w, rz_db *hb, bool has_task, const claim *c, size_t pairs, bool *lost,
                      rz_error *err)
{
    *lost = false;
    const char *wp[] = {w->stats->id, w->lease};
    rz_status s = rz_db_exec(hb,
                             "UPDATE rozshuk.worker SET heartbeat_at = now(),"
                             " lease_until = now() + make_interval(secs => $2::float8)"
                             " WHERE id = $1",
                             2, wp, NULL, err);
    if (s != RZ_OK || !has_task)
        return s;
    char job[24], task[16], att[16], np[24];
    snprintf(job, sizeof job, "%lld", (long long)c->job);
    snprintf(task, sizeof task, "%d", c->task_no);
    snprintf(att, sizeof att, "%d", c->attempt);
    snprintf(np, sizeof np, "%zu", pairs);
    const char *params[] = {job, task, w->stats->id, att, w->lease, np};
    rz_result *res = NULL;
    /* The task's own commit may have made it 'done' a moment ago: that is not a loss. */
    s = rz_db_exec(hb,
                   "WITH u AS (UPDATE rozshuk.task t SET pairs_scored = $6::bigint,"
                   "  lease_until = now() + make_interval(secs => $5::float8)"
                   "  WHERE job_id = $1 AND task_no = $2 AND worker = $3"
                   "  AND attempts = $4::integer AND state = 'running' RETURNING 1)"
                   " SELECT (SELECT count(*) FROM u) > 0 OR t.state = 'done' AND t.worker = $3"
                   "  AND t.attempts = $4::integer,"
                   "  j.state IN ('pending', 'running', 'done')"
                   " FROM rozshuk.task t JOIN rozshuk.job j ON j.id = t.job_id"
                   " WHERE t.job_id = $1 AND t.task_no = $2",
                   6, params, &res, err);
    if (s == RZ_OK)
        *lost = rz_result_rows(res) != 1 || strcmp(rz_result_value(res, 0, 0), "t") != 0 ||
                strcmp(rz_result_value(res, 0, 1), "t") != 0;
    rz_result_free(res);
    return s;
}

static void *heartbeat_main(void *arg)
{
    worker *w = arg;
    rz_db *hb = NULL;
    double every = w->o->heartbeat > 0 ? w->o->heartbeat : w->o->lease / 3.0;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long long ns = (long long)until.tv_nsec + (long long)(every * 1e9);
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (w->quit)
            break;
        bool has_task = w->has_task;
        claim c = {w->job, w->task_no, w->attempt, 0};
        pthread_mutex_unlock(&w->mu);
        bool lost = false;
        rz_error e;
        rz_error_clear(&e);
        if (hb == NULL && rz_db_open(w->conninfo, &hb, &e) != RZ_OK)
            hb = NULL;
        if (hb != NULL && beat(w, hb, has_task, &c, atomic_load(&w->pairs), &lost, &e) != RZ_OK) {
            rz_db_close(hb); /* reopened at the next beat */
            hb = NULL;
        }
        pthread_mutex_lock(&w->mu);
        bool same =
            w->has_task && w->job == c.job && w->task_no == c.task_no && w->attempt == c.attempt;
        if (same && (lost || stopping(w)) && !atomic_load(&w->cancel)) {
            atomic_store(&w->cancel, lost);
            rz_db_cancel(w->db); /* stops a long statement of the task */
        }
    }
    pthread_mutex_unlock(&w->mu);
    rz_db_close(hb);
    return NULL;
}

/* Starts the heartbeat with every signal blocked in it, so that SIGTERM and SIGINT reach the
 * main thread (and interrupt its wait). */
static bool heartbeat_start(worker *w, pthread_t *thread)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    bool ok = pthread_create(thread, NULL, heartbeat_main, w) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok;
}

static void heartbeat_stop(worker *w, pthread_t thread)
{
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(thread, NULL);
}

static void set_current(worker *w, const claim *c)
{
    pthread_mutex_lock(&w->mu);
    w->has_task = c != NULL;
    if (c != NULL) {
        w->job = c->job;
        w->task_no = c->task_no;
        w->attempt = c->attempt;
        atomic_store(&w->cancel, false);
        atomic_store(&w->pairs, 0);
    }
    pthread_mutex_unlock(&w->mu);
}

/* ---- running one task -------------------------------------------------------------------------
 */

/* After a task is done: finish its job if it was the last, and tell the waiters. A failure
 * here is left to the idle sweep (finish_orphans), which any worker does. */
static void after_done(worker *w, int64_t job_id)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    rz_error e;
    rz_error_clear(&e);
    bool finished = false;
    if (rz__match_job_try_finish(w->db, job_id, &finished, &e) != RZ_OK)
        wlog(w, "job %s: finishing failed (%s); another pass will finish it", job, e.message);
    if (finished) {
        w->stats->jobs_finished++;
        wlog(w, "job %s: done (clusters made)", job);
    }
    rz__jobs_notify(w->db, RZ_CHANNEL_JOB, job, NULL);
}

static void handle_failure(worker *w, const claim *c, rz_status s, const rz_error *te)
{
    rz_error e;
    rz_error_clear(&e);
    size_t n = 0;
    if (connection_lost(s, te)) {
        wlog(w, "job %lld task %d: connection to the database lost (%.*s); reconnecting",
             (long long)c->job, c->task_no, line_len(te->message), te->message);
        note_lost(w, te->message);
        drop_connection(w); /* the attempt is recorded after the reconnect */
        return;
    }
    if (stopping(w) || atomic_load(&w->cancel) || s == RZ_ECONFLICT) {
        bool lost = !stopping(w);
        if (release_task(w, c, &n, &e) != RZ_OK && connection_lost(e.status, &e))
            drop_connection(w);
        if (lost)
            w->stats->tasks_lost++;
        else
            w->stats->tasks_released += n;
        wlog(w, "job %lld task %d: %s", (long long)c->job, c->task_no,
             lost ? "no longer this worker's (cancelled, job failed, or lease lost); stopped"
                  : "released to the queue (worker stopping)");
        rz__jobs_notify(w->db, RZ_CHANNEL_JOB, "", NULL);
        return;
    }
    size_t failed = 0;
    if (fail_tasks(w, c, te->message, &failed, &e) != RZ_OK) {
        wlog(w, "job %lld task %d: cannot record its failure: %s", (long long)c->job, c->task_no,
             e.message);
        if (connection_lost(e.status, &e)) {
            note_lost(w, e.message);
            drop_connection(w);
        }
    }
}

static void run_claimed(worker *w, const claim *c)
{
    set_current(w, c);
    rz__task_control ctl = {w->stats->id, c->attempt, &w->cancel,
                            w->o->stop,   &w->pairs,  w->o->test_task_seconds};
    rz_error te;
    rz_error_clear(&te);
    size_t pairs = 0;
    double t0 = now_seconds();
    wlog(w, "job %lld task %d: started (attempt %d of %d)", (long long)c->job, c->task_no,
         c->attempt, c->max_attempts);
    rz_status s = rz__match_task_run(w->db, w->names, c->job, c->task_no, &ctl, &pairs, &te);
    set_current(w, NULL);
    if (s == RZ_OK) {
        w->stats->tasks_done++;
        w->stats->pairs += pairs;
        wlog(w, "job %lld task %d: done in %.2f s, %zu pairs scored", (long long)c->job, c->task_no,
             now_seconds() - t0, pairs);
        after_done(w, c->job);
        return;
    }
    handle_failure(w, c, s, &te);
}

/* Jobs of the queue whose tasks are all done but that nobody finished (their last worker died
 * between the task's commit and the finish): finish them. */
static rz_status finish_orphans(worker *w, rz_error *err)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)w->o->job_id);
    const char *params[] = {w->queue, job};
    rz_result *res = NULL;
    rz_status s =
        rz_db_exec(w->db,
                   "SELECT j.id FROM rozshuk.job j WHERE j.state IN ('pending', 'running')"
                   " AND CASE WHEN $2::bigint = 0 THEN j.queue = $1 ELSE j.id = $2::bigint END"
                   " AND NOT EXISTS (SELECT 1 FROM rozshuk.task t WHERE t.job_id = j.id"
                   "  AND t.state <> 'done') ORDER BY j.id LIMIT 8",
                   2, params, &res, err);
    for (size_t i = 0; s == RZ_OK && i < rz_result_rows(res); i++)
        after_done(w, (int64_t)strtoll(rz_result_value(res, i, 0), NULL, 10));
    rz_result_free(res);
    return s;
}

/* Whether job opts->job_id has ended (or does not exist). */
static rz_status job_ended(worker *w, bool *ended, rz_error *err)
{
    rz_job_progress p;
    rz_status s = rz_job_progress_read(w->db, w->o->job_id, &p, err);
    *ended = s == RZ_ENOTFOUND || (s == RZ_OK && rz_job_state_final(p.state));
    return s == RZ_ENOTFOUND ? RZ_OK : s;
}

/* For --once: whether the queue still holds a queued task of a live job (waiting for its retry
 * pause): then the worker waits for it rather than exiting. */
static rz_status queue_waiting(worker *w, bool *waiting, rz_error *err)
{
    const char *params[] = {w->queue};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(w->db,
                             "SELECT EXISTS (SELECT 1 FROM rozshuk.task t JOIN rozshuk.job j"
                             " ON j.id = t.job_id WHERE j.queue = $1 AND t.state = 'queued'"
                             " AND j.state IN ('pending', 'running'))",
                             1, params, &res, err);
    *waiting = s == RZ_OK && strcmp(rz_result_value(res, 0, 0), "t") == 0;
    rz_result_free(res);
    return s;
}

/* One turn of the loop: reap, claim and run a task, or wait. *done: the worker should end. */
static rz_status turn(worker *w, bool *done, rz_error *err)
{
    claim c;
    bool got = false, ended = false, notified = false;
    *done = false;
    rz_status s = reap(w, err);
    if (s == RZ_OK)
        s = claim_next(w, &c, &got, err);
    if (s != RZ_OK)
        return s;
    if (got) {
        run_claimed(w, &c);
        return RZ_OK;
    }
    if ((s = finish_orphans(w, err)) != RZ_OK)
        return s;
    if (w->o->job_id != 0) {
        if ((s = job_ended(w, &ended, err)) != RZ_OK)
            return s;
        *done = ended;
    } else if (w->o->once) {
        bool waiting = false;
        if ((s = queue_waiting(w, &waiting, err)) != RZ_OK)
            return s;
        *done = !waiting;
    }
    if (*done)
        return RZ_OK;
    double wait = w->o->poll;
    if (w->o->job_id != 0 && wait > 1.0)
        wait = 1.0; /* a task in backoff, or held by another worker: look again soon */
    return rz_db_wait_notify(w->db, wait, &notified, err);
}

static void make_id(char *id, size_t cap)
{
    char host[101] = "";
    gethostname(host, sizeof host - 1);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned tag = (unsigned)((ts.tv_nsec ^ (long)getpid() * 2654435761L) & 0xFFFF);
    snprintf(id, cap, "%.100s:%ld:%04x", host[0] ? host : "localhost", (long)getpid(), tag);
}

static rz_status check_options(const rz_worker_options *o, rz_error *err)
{
    if (!rz_queue_name_valid(o->queue))
        return rz_error_set(err, RZ_EINVAL, "queue name '%.64s': use 1 to %d of a-z 0-9 _ . -",
                            o->queue, RZ_QUEUE_NAME_MAX);
    if (!(o->lease >= 0.5 && o->lease <= 86400.0))
        return rz_error_set(err, RZ_EINVAL, "lease %.3g s: use 0.5 to 86400 seconds", o->lease);
    if (!(o->heartbeat >= 0.0 && o->heartbeat < o->lease))
        return rz_error_set(err, RZ_EINVAL, "heartbeat must be shorter than the lease");
    if (!(o->poll > 0.0 && o->poll <= 3600.0) || !(o->backoff >= 0.0 && o->backoff <= 86400.0))
        return rz_error_set(err, RZ_EINVAL,
                            "poll (0 to 3600 s) or backoff (0 to 86400 s) out "
                            "of range");
    return RZ_OK;
}

rz_status rz_worker_run(const char *conninfo, const rz_name_ctx *names,
                        const rz_worker_options *opts, rz_worker_stats *stats, rz_error *err)
{
    memset(stats, 0, sizeof *stats);
    rz_status s = check_options(opts, err);
    if (s != RZ_OK)
        return s;
    worker w = {.o = opts, .conninfo = conninfo, .names = names, .stats = stats};
    make_id(stats->id, sizeof stats->id);
    snprintf(w.lease, sizeof w.lease, "%.3f", opts->lease);
    snprintf(w.queue, sizeof w.queue, "%s", opts->queue);
    atomic_init(&w.cancel, false);
    atomic_init(&w.pairs, 0);
    if ((s = rz_db_open(conninfo, &w.db, err)) != RZ_OK)
        return s;
    if ((s = setup_session(&w, err)) != RZ_OK) {
        rz_db_close(w.db);
        return s;
    }
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    pthread_t hb;
    if (!heartbeat_start(&w, &hb)) {
        s = rz_error_set(err, RZ_ENOMEM, "cannot start the heartbeat thread");
        goto out;
    }
    wlog(&w, "worker %s: started on queue %s (lease %.1f s)", stats->id, w.queue, opts->lease);
    bool done = false;
    while (!done && !stopping(&w)) {
        if (w.db == NULL && !reconnect(&w))
            break;
        rz_error e;
        rz_error_clear(&e);
        rz_status ts = turn(&w, &done, &e);
        if (ts != RZ_OK) {
            if (!connection_lost(ts, &e)) {
                wlog(&w, "queue statement failed: %s", e.message);
                nap(&w, 1.0);
            } else {
                wlog(&w, "connection to the database lost (%.*s); reconnecting",
                     line_len(e.message), e.message);
                note_lost(&w, e.message);
            }
            drop_connection(&w);
            done = false;
        }
    }
    heartbeat_stop(&w, hb);
    if (w.db != NULL) {
        const char *params[] = {stats->id};
        rz_db_exec(w.db, "UPDATE rozshuk.worker SET stopped_at = now() WHERE id = $1", 1, params,
                   NULL, NULL);
    }
    wlog(&w, "worker %s: stopped (%zu task(s) done, %zu failed, %zu released)", stats->id,
         stats->tasks_done, stats->tasks_failed, stats->tasks_released);
out:
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    rz_db_close(w.db);
    return s;
}
