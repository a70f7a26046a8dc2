/*
 * test_jobs.c: the job runner end to end, with real `rozshuk worker` processes on the samples
 * of a Ukrainian police register and a Russian-language hospital list: a worker killed with
 * SIGKILL mid-task (its task claimed again after a short lease, the candidates identical to an
 * uninterrupted run), two workers racing on many small tasks (each ran exactly once, the job
 * finished once), cancel within a heartbeat, a poison task failed after its retries with its
 * error, SIGTERM giving the running task back, and `rozshuk job show` agreeing with the tasks.
 */
#include <criterion/criterion.h>

#include "rozshuk/store.h"
#include "support.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char conninfo[256];
static rz_db *db;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `rozshuk ARGS... --db CONNINFO` (arguments end with NULL), waiting for it; asserts the exit
 * code. */
static rzt_proc rz(int want, ...)
{
    const char *args[24];
    size_t n = 0;
    va_list ap;
    va_start(ap, want);
    for (const char *a = va_arg(ap, const char *); a != NULL && n < 20;
         a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n++] = "--db";
    args[n++] = conninfo;
    args[n] = NULL;
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, want, "rozshuk %s %s: exit %d\n%s%s", args[0], args[1], p.exit_code,
                 p.out, p.err);
    return p;
}

/* Starts a worker in the background, its log into `log`. */
static pid_t spawn_worker(const char *log, const char *lease, const char *task_seconds)
{
    const char *bin = getenv("ROZSHUK_BIN");
    cr_assert_not_null(bin);
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) { /* no criterion call in the child: it would report as a stranger */
        /* Killed with the test, even when a failed assertion or a timeout ends it before its
         * SIGTERM: no worker outlives its test. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(127);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(bin, bin, "worker", "--concurrency", "1", "--lease", lease, "--poll", "0.2",
              "--backoff", "0.1", "--test-task-seconds", task_seconds, "--db", conninfo,
              (char *)NULL);
        _exit(127);
    }
    cr_assert_gt(pid, 0);
    return pid;
}

/* Waits for a process up to `timeout` seconds; its exit code, or -1 (then it is killed). */
static int wait_exit(pid_t pid, double timeout)
{
    double end = mono() + timeout;
    int status;
    while (mono() < end) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static long query_long(const char *sql, const char *param)
{
    rz_result *res = NULL;
    rz_error err;
    const char *p[] = {param};
    cr_assert_eq(rz_db_exec(db, sql, param ? 1 : 0, p, &res, &err), RZ_OK, "%s: %s", sql,
                 err.message);
    const char *v = rz_result_value(res, 0, 0);
    long n = v ? strtol(v, NULL, 10) : -1;
    rz_result_free(res);
    return n;
}

static char *query_text(const char *sql, const char *param)
{
    rz_result *res = NULL;
    rz_error err;
    const char *p[] = {param};
    cr_assert_eq(rz_db_exec(db, sql, param ? 1 : 0, p, &res, &err), RZ_OK, "%s", err.message);
    const char *v = rz_result_value(res, 0, 0);
    char *out = strdup(v ? v : "");
    rz_result_free(res);
    return out;
}

/* Polls until the query returns `want`, up to `timeout` seconds; the seconds it took, or -1. */
static double wait_for(const char *sql, const char *param, long want, double timeout)
{
    double t0 = mono();
    while (mono() - t0 < timeout) {
        if (query_long(sql, param) == want)
            return mono() - t0;
        usleep(50000);
    }
    return -1.0;
}

static void load_samples(void)
{
    char a[600], b[600];
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    cr_assert_not_null(root);
    snprintf(a, sizeof a, "%s/data-samples/missing_register_uk.csv", root);
    snprintf(b, sizeof b, "%s/data-samples/hospital_ru.tsv", root);
    rzt_proc p = rz(0, "load", "--source", "npu-register", "--kind", "missing", a, NULL);
    rzt_proc_free(&p);
    p = rz(0, "load", "--source", "hospital-dnipro", "--kind", "list", b, NULL);
    rzt_proc_free(&p);
}

static void setup(void)
{
    rz_error err;
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    load_samples();
}

static void teardown(void)
{
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

TestSuite(jobs, .init = setup, .fini = teardown, .timeout = 120);

/* Submits a dedupe of everything in `parts` tasks without waiting; returns the job id. */
static long submit_attempts(const char *parts, const char *attempts)
{
    rzt_proc p = rz(0, "match", "--dedupe", "all", "--partitions", parts, "--min-probability", "0",
                    "--max-attempts", attempts, "--detach", "--json", NULL);
    long job = 0;
    cr_assert_eq(sscanf(p.out, "{\"job\":%ld", &job), 1, "%s", p.out);
    rzt_proc_free(&p);
    return job;
}

static long submit(const char *parts)
{
    return submit_attempts(parts, "3");
}

/* Waits until a task of job `id` is running (claimed by a worker), up to 30 s. */
static void wait_running(const char *id)
{
    cr_assert_geq(wait_for("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                           " AND state = 'running'",
                           id, 1, 30),
                  0, "no worker claimed a task of job %s", id);
}

/* Submits a dedupe in `parts` tasks of `attempts` attempts each and starts a worker on it
 * (spawn_worker), its log in /tmp/rzt-jobs-PID-TAG.log; the job id, as text in `id`. */
static long start_run(const char *parts, const char *attempts, const char *tag, const char *lease,
                      const char *task_seconds, char id[24], char log[64], pid_t *worker)
{
    long job = submit_attempts(parts, attempts);
    snprintf(id, 24, "%ld", job);
    snprintf(log, 64, "/tmp/rzt-jobs-%ld-%s.log", (long)getpid(), tag);
    *worker = spawn_worker(log, lease, task_seconds);
    return job;
}

/* Every candidate of a job: pair, probability, levels, in order. */
static char *candidates_of(long job)
{
    char id[24];
    snprintf(id, sizeof id, "%ld", job);
    return query_text("SELECT coalesce(string_agg(person_a || '-' || person_b || ':' ||"
                      " round(probability::numeric, 9) || ':' || levels::text, ' '"
                      " ORDER BY person_a, person_b), '') FROM rozshuk.candidate WHERE job_id = $1",
                      id);
}

static long count_lines(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[2048];
    long n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle))
            n++;
    fclose(f);
    return n;
}

/* The reference for a fault test: the same dedupe run here without a worker, uninterrupted. */
static long reference_job(const char *parts)
{
    rzt_proc ref = rz(0, "match", "--dedupe", "all", "--partitions", parts, "--min-probability",
                      "0", "--quiet", "--json", NULL);
    long whole = 0;
    cr_assert_eq(sscanf(ref.out, "{\"job\":%ld", &whole), 1, "%s", ref.out);
    rzt_proc_free(&ref);
    return whole;
}

/* Asserts that a job's candidates are those of the reference run, pair for pair. */
static void assert_same_candidates(long reference, long job, const char *after)
{
    char *a = candidates_of(reference), *b = candidates_of(job);
    cr_assert_gt(strlen(a), 0);
    cr_assert_str_eq(a, b, "candidates after %s differ from an uninterrupted run", after);
    free(a);
    free(b);
}

Test(jobs, a_worker_killed_mid_task_leaves_it_to_another_and_the_candidates_are_the_same)
{
    long whole = reference_job("3");

    long job = submit("3");
    char id[24];
    snprintf(id, sizeof id, "%ld", job);
    char log1[64], log2[64];
    snprintf(log1, sizeof log1, "/tmp/rzt-jobs-%ld-k1.log", (long)getpid());
    snprintf(log2, sizeof log2, "/tmp/rzt-jobs-%ld-k2.log", (long)getpid());
    pid_t w1 = spawn_worker(log1, "1", "60"); /* each task would take a minute */
    wait_running(id);
    usleep(300000); /* mid-task: its candidates are being written, nothing committed */
    kill(w1, SIGKILL);
    cr_assert_eq(wait_exit(w1, 5), 128 + SIGKILL);
    char *held = query_text("SELECT worker FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'running'",
                            id);
    cr_assert_neq(held[0], '\0', "the dead worker's task is still held, until its lease ends");
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.candidate WHERE job_id = $1", id), 0,
                 "the killed task committed nothing");

    pid_t w2 = spawn_worker(log2, "1", "0");
    rzt_proc wait = rz(0, "job", "wait", id, "--quiet", NULL);
    rzt_proc_free(&wait);
    kill(w2, SIGTERM);
    cr_assert_eq(wait_exit(w2, 10), 0, "a worker stops cleanly on SIGTERM");

    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1 AND state = "
                            "'done' AND attempts = 2",
                            id),
                 1, "the killed task ran again, as its second attempt");
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM rozshuk.task WHERE job_id = $1 AND worker = '%.80s'", held);
    cr_assert_eq(query_long(sql, id), 0, "another worker finished it");
    assert_same_candidates(whole, job, "the crash");
    free(held);
    unlink(log1);
    unlink(log2);
}

Test(jobs, two_workers_racing_run_each_of_many_small_tasks_exactly_once)
{
    long job = submit("40");
    char id[24];
    snprintf(id, sizeof id, "%ld", job);
    char log1[64], log2[64];
    snprintf(log1, sizeof log1, "/tmp/rzt-jobs-%ld-r1.log", (long)getpid());
    snprintf(log2, sizeof log2, "/tmp/rzt-jobs-%ld-r2.log", (long)getpid());
    pid_t w1 = spawn_worker(log1, "5", "0"), w2 = spawn_worker(log2, "5", "0");
    rzt_proc wait = rz(0, "job", "wait", id, "--quiet", NULL);
    rzt_proc_free(&wait);
    kill(w1, SIGTERM);
    kill(w2, SIGTERM);
    cr_assert_eq(wait_exit(w1, 10), 0);
    cr_assert_eq(wait_exit(w2, 10), 0);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'done' AND attempts = 1",
                            id),
                 40, "every task done at its first attempt");
    char needle[64];
    long runs = 0, finishes = 0;
    for (int t = 0; t < 40; t++) {
        snprintf(needle, sizeof needle, "job %ld task %d: done", job, t);
        long n = count_lines(log1, needle) + count_lines(log2, needle);
        cr_assert_eq(n, 1, "task %d ran %ld times", t, n);
        runs += n;
    }
    snprintf(needle, sizeof needle, "job %ld: done (clusters made)", job);
    finishes = count_lines(log1, needle) + count_lines(log2, needle);
    cr_assert_eq(finishes, 1, "the job was finished %ld times", finishes);
    cr_assert_gt(count_lines(log1, "done in"), 0, "the first worker took part");
    cr_assert_gt(count_lines(log2, "done in"), 0, "the second worker took part");
    cr_assert_eq(runs, 40);
    cr_assert_eq(query_long("SELECT count(*) - count(DISTINCT (person_a, person_b))"
                            " FROM rozshuk.candidate WHERE job_id = $1",
                            id),
                 0);
    /* job show agrees with the task table */
    rzt_proc show = rz(0, "job", "show", id, "--json", NULL);
    char want[200];
    snprintf(want, sizeof want, "\"tasks\":40,\"queued\":0,\"running\":0,\"done\":40");
    cr_assert(strstr(show.out, want) != NULL, "%s", show.out);
    long pairs = query_long("SELECT sum(pairs) FROM rozshuk.task WHERE job_id = $1", id);
    snprintf(want, sizeof want, "\"pairs_scored\":%ld,", pairs);
    cr_assert(strstr(show.out, want) != NULL, "want %s in %s", want, show.out);
    rzt_proc_free(&show);
    unlink(log1);
    unlink(log2);
}

/* A task's finished_at is when it committed, not when its transaction began, and a job's is
 * when its finish (clusters, counts) ended: `job show`'s elapsed time covers all of it. */
Test(jobs, task_and_job_times_cover_the_work_done)
{
    char id[24], log[64];
    pid_t w;
    start_run("2", "3", "t", "30", "1", id, log, &w);
    rzt_proc wait = rz(0, "job", "wait", id, "--quiet", NULL);
    rzt_proc_free(&wait);
    kill(w, SIGTERM);
    cr_assert_eq(wait_exit(w, 10), 0);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND finished_at - started_at >= interval '1 second'",
                            id),
                 2, "each task lasted at least 1 s (--test-task-seconds 1) by its times");
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.job j WHERE id = $1 AND finished_at >="
                            " (SELECT max(finished_at) FROM rozshuk.task WHERE job_id = j.id)",
                            id),
                 1, "the job finished after its last task");
    rzt_proc show = rz(0, "job", "show", id, "--json", NULL);
    const char *e = strstr(show.out, "\"elapsed\":");
    cr_assert_not_null(e, "%s", show.out);
    cr_assert_geq(strtod(e + strlen("\"elapsed\":"), NULL), 2.0,
                  "two tasks of 1 s one after the other: %s", show.out);
    rzt_proc_free(&show);
    unlink(log);
}

Test(jobs, cancel_stops_a_running_job_within_one_heartbeat)
{
    char id[24], log[64];
    pid_t w;
    start_run("2", "3", "c", "1.5", "60", id, log, &w); /* heartbeat every 0.5 s */
    wait_running(id);
    rzt_proc c = rz(0, "job", "cancel", id, NULL);
    rzt_proc_free(&c);
    /* Timed from the cancel's commit (the command's own start-up, slow under a sanitizer on a
     * busy machine, is not the worker's reaction). */
    double t0 = mono(), stopped = -1;
    while (mono() - t0 < 10 && stopped < 0) {
        if (count_lines(log, "no longer this worker's") > 0)
            stopped = mono() - t0;
        usleep(20000);
    }
    cr_assert_geq(stopped, 0, "the worker never stopped the cancelled task");
    cr_assert_lt(stopped, 1.5, "stopped after %.2f s, more than a heartbeat and a margin", stopped);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'cancelled'",
                            id),
                 2);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.job WHERE id = $1"
                            " AND state = 'cancelled'",
                            id),
                 1);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.candidate WHERE job_id = $1", id), 0);
    rzt_proc again = rz(1, "job", "cancel", id, NULL);
    cr_assert(strstr(again.err, "already ended") != NULL, "%s", again.err);
    rzt_proc_free(&again);
    /* a cancelled job can be run again to the end */
    kill(w, SIGTERM);
    cr_assert_eq(wait_exit(w, 10), 0);
    rzt_proc r = rz(0, "match", "--resume", id, "--quiet", "--json", NULL);
    cr_assert(strstr(r.out, "\"state\":\"done\"") != NULL, "%s", r.out);
    rzt_proc_free(&r);
    unlink(log);
}

Test(jobs, a_poison_task_fails_after_its_retries_with_its_error_recorded)
{
    long job = submit("2");
    char id[24];
    snprintf(id, sizeof id, "%ld", job);
    /* The job's stored plan is damaged after submission: every attempt of its tasks fails. */
    const char *p[] = {id};
    rz_error err;
    cr_assert_eq(rz_db_exec(db,
                            "UPDATE rozshuk.job SET rules = 'birth_year+sur_fold'"
                            " WHERE id = $1",
                            1, p, NULL, &err),
                 RZ_OK, "%s", err.message);
    const char *args[] = {"worker", "--concurrency", "1",    "--once", "--backoff", "0.1",
                          "--poll", "0.2",           "--db", conninfo, NULL};
    rzt_proc w;
    cr_assert_eq(rzt_run(args, NULL, NULL, &w), 0);
    cr_assert_eq(w.exit_code, 0, "%s", w.err);
    cr_assert(strstr(w.err, "attempt 3 of 3 failed") != NULL, "%s", w.err);
    rzt_proc_free(&w);
    cr_assert_eq(
        query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                   " AND state = 'failed' AND attempts = 3 AND error LIKE '%first part must be%'",
                   id),
        1, "the first task to fail three times is failed with its error");
    char *jerr = query_text("SELECT state || ': ' || error FROM rozshuk.job WHERE id = $1", id);
    cr_assert(strstr(jerr, "failed: task ") == jerr, "%s", jerr);
    cr_assert(strstr(jerr, "after 3 attempt(s)") != NULL, "%s", jerr);
    free(jerr);
    rzt_proc show = rz(0, "job", "show", id, NULL);
    cr_assert(strstr(show.out, "first part must be") != NULL, "%s", show.out);
    rzt_proc_free(&show);
    rzt_proc wait = rz(1, "job", "wait", id, "--quiet", NULL);
    cr_assert(strstr(wait.err, "failed") != NULL, "%s", wait.err);
    rzt_proc_free(&wait);
    /* after the cause is fixed, retry runs it to the end */
    cr_assert_eq(rz_db_exec(db,
                            "UPDATE rozshuk.job SET rules = 'sur_fold+birth_year' WHERE id = $1", 1,
                            p, NULL, &err),
                 RZ_OK);
    rzt_proc r = rz(0, "job", "retry", id, NULL);
    rzt_proc_free(&r);
    rzt_proc m = rz(0, "match", "--resume", id, "--quiet", NULL);
    rzt_proc_free(&m);
    cr_assert_eq(
        query_long("SELECT count(*) FROM rozshuk.job WHERE id = $1 AND state = 'done'", id), 1);
}

Test(jobs, sigterm_gives_the_running_task_back_to_the_queue)
{
    char id[24], log[64];
    pid_t w;
    start_run("1", "3", "t", "30", "60", id, log, &w);
    wait_running(id);
    double t0 = mono();
    kill(w, SIGTERM);
    cr_assert_eq(wait_exit(w, 10), 0);
    cr_assert_lt(mono() - t0, 3.0, "the worker took %.1f s to stop", mono() - t0);
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'queued' AND attempts = 0",
                            id),
                 1, "the task is queued again, the attempt not counted");
    cr_assert_eq(
        query_long("SELECT count(*) FROM rozshuk.worker WHERE stopped_at IS NOT NULL", NULL), 1,
        "the worker deregistered");
    unlink(log);
}

Test(jobs, a_task_whose_connection_is_cut_every_time_ends_failed_after_its_attempts)
{
    char id[24], log[64];
    pid_t w;
    start_run("1", "2", "x", "5", "1.5", id, log, &w);
    /* Each attempt's session is ended under it, as a task that brings down its own backend
     * (or a server that restarts whenever it runs) would. */
    for (int attempt = 1; attempt <= 2; attempt++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM rozshuk.task WHERE job_id = $1 AND state = 'running'"
                 " AND attempts = %d",
                 attempt);
        cr_assert_geq(wait_for(sql, id, 1, 30), 0, "attempt %d never started", attempt);
        cr_assert_geq(query_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                 " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                                 " AND backend_type = 'client backend'",
                                 NULL),
                      1);
    }
    double took =
        wait_for("SELECT count(*) FROM rozshuk.job WHERE id = $1 AND state = 'failed'", id, 1, 30);
    kill(w, SIGTERM);
    cr_assert_eq(wait_exit(w, 10), 0);
    cr_assert_geq(took, 0, "the task was not failed after its 2 attempts");
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'failed' AND attempts = 2"
                            " AND error LIKE 'the connection to the database was lost%'",
                            id),
                 1, "the task is failed with the reason");
    char *jerr = query_text("SELECT error FROM rozshuk.job WHERE id = $1", id);
    cr_assert(strstr(jerr, "task 0 failed after 2 attempt(s): the connection") == jerr, "%s", jerr);
    free(jerr);
    cr_assert_eq(count_lines(log, "attempt 1 of 2 failed"), 1);
    cr_assert_eq(count_lines(log, "attempt 2 of 2 failed"), 1);
    cr_assert_eq(count_lines(log, "the task and its job are failed"), 1);
    unlink(log);
}

Test(jobs, a_task_whose_worker_dies_is_failed_when_its_last_lease_runs_out)
{
    long job = submit_attempts("1", "1");
    char id[24];
    snprintf(id, sizeof id, "%ld", job);
    char log1[64], log2[64];
    snprintf(log1, sizeof log1, "/tmp/rzt-jobs-%ld-d1.log", (long)getpid());
    snprintf(log2, sizeof log2, "/tmp/rzt-jobs-%ld-d2.log", (long)getpid());
    pid_t w1 = spawn_worker(log1, "1", "60");
    wait_running(id);
    kill(w1, SIGKILL);
    cr_assert_eq(wait_exit(w1, 5), 128 + SIGKILL);
    pid_t w2 = spawn_worker(log2, "1", "0");
    double took =
        wait_for("SELECT count(*) FROM rozshuk.job WHERE id = $1 AND state = 'failed'", id, 1, 30);
    kill(w2, SIGTERM);
    cr_assert_eq(wait_exit(w2, 10), 0);
    cr_assert_geq(took, 0, "the task of the dead worker was not failed");
    cr_assert_eq(
        query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                   " AND state = 'failed' AND attempts = 1"
                   " AND error LIKE '%stopped answering (lease ran out) on attempt 1 of 1'",
                   id),
        1);
    cr_assert_eq(count_lines(log2, "task 0: started"), 0, "the task ran past its limit");
    unlink(log1);
    unlink(log2);
}

/* A job's progress computed from its task rows, in the form of `rozshuk job show --json`:
 * counts by state, pairs (done tasks' final count, running tasks' last report), candidates of
 * the done tasks. */
static char *progress_from_tasks(const char *id)
{
    return query_text(
        "SELECT '\"tasks\":' || count(*) || ',\"queued\":' || count(*) FILTER (WHERE state = "
        "'queued') || ',\"running\":' || count(*) FILTER (WHERE state = 'running') || "
        "',\"done\":' || count(*) FILTER (WHERE state = 'done') || ',\"failed\":' || count(*) "
        "FILTER (WHERE state = 'failed') || ',\"cancelled\":' || count(*) FILTER (WHERE state = "
        "'cancelled') || ',\"pairs_scored\":' || coalesce(sum(pairs) FILTER (WHERE state = "
        "'done'), 0) + coalesce(sum(pairs_scored) FILTER (WHERE state = 'running'), 0) || "
        "',\"candidates\":' || coalesce(sum(candidates) FILTER (WHERE state = 'done'), 0) || '|' "
        "|| string_agg('{\"task\":' || task_no || ',\"state\":\"' || state || "
        "'\",\"attempts\":' || attempts || ',\"max_attempts\":' || max_attempts, '|' ORDER BY "
        "task_no) FROM rozshuk.task WHERE job_id = $1",
        id);
}

Test(jobs, job_show_reports_the_progress_of_the_task_table_mid_run)
{
    char id[24], log[64];
    pid_t w;
    /* Each task lasts 4 s: long beside one `job show` even under a sanitizer on a busy machine. */
    start_run("4", "3", "p", "30", "4", id, log, &w);
    bool seen = false;
    double t0 = mono();
    /* A moment when the table does not change while `job show` reads it, with tasks done,
     * running and queued at once. */
    while (!seen && mono() - t0 < 60) {
        char *before = progress_from_tasks(id);
        rzt_proc show = rz(0, "job", "show", id, "--json", NULL);
        char *after = progress_from_tasks(id);
        if (strcmp(before, after) == 0 && strstr(before, "\"running\":1,") &&
            !strstr(before, "\"done\":0,") && !strstr(before, "\"queued\":0,")) {
            seen = true;
            char *part = before;
            for (char *bar = strchr(part, '|'); part != NULL; part = bar ? bar + 1 : NULL) {
                if ((bar = strchr(part, '|')) != NULL)
                    *bar = '\0';
                cr_assert(strstr(show.out, part) != NULL, "job show lacks %s:\n%s", part, show.out);
            }
        }
        rzt_proc_free(&show);
        free(before);
        free(after);
        usleep(100000);
    }
    kill(w, SIGTERM);
    cr_assert_eq(wait_exit(w, 10), 0);
    cr_assert(seen, "never saw the job with tasks done, running and queued at once");
    unlink(log);
}

/* ---- the database restarted under a running worker ------------------------------------------
 * On a PostgreSQL server of this test's own (tests/cli/throwaway-pg, in a temporary folder),
 * so that restarting it cuts no other test's sessions. */

static char pgdir[64];

/* tests/cli/throwaway-pg CMD pgdir [this process]; its exit code. */
static int throwaway(const char *cmd)
{
    char tool[600], self[24];
    snprintf(tool, sizeof tool, "%s/tests/cli/throwaway-pg", getenv("ROZSHUK_SOURCE_ROOT"));
    snprintf(self, sizeof self, "%ld", (long)getpid());
    pid_t pid = fork();
    if (pid == 0) {
        execl(tool, tool, cmd, pgdir, self, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Stops and deletes the throwaway server, once: from the suite's fini, and at exit when a
 * failed assertion in the setup skips the fini. */
static void destroy_server(void)
{
    if (pgdir[0] == '\0')
        return;
    throwaway("destroy");
    pgdir[0] = '\0';
}

static void restart_teardown(void)
{
    teardown();
    destroy_server();
}

static void restart_setup(void)
{
    cr_assert_not_null(getenv("ROZSHUK_SOURCE_ROOT"));
    snprintf(pgdir, sizeof pgdir, "/tmp/rzt-pg-XXXXXX");
    cr_assert_not_null(mkdtemp(pgdir));
    atexit(destroy_server);
    cr_assert_eq(throwaway("start"), 0, "cannot start a throwaway PostgreSQL (initdb)");
    /* This process and the rozshuk processes it starts use the throwaway server. */
    setenv("PGHOST", pgdir, 1);
    setenv("PGPORT", "5432", 1);
    setenv("PGUSER", "postgres", 1);
    setenv("PGDATABASE", "postgres", 1);
    setup();
}

TestSuite(jobs_restart, .init = restart_setup, .fini = restart_teardown, .timeout = 120);

/* Whether `path` holds a byte outside ASCII (a name from the records: they are all Cyrillic). */
static bool has_non_ascii(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    int ch;
    bool found = false;
    while (!found && (ch = fgetc(f)) != EOF)
        found = ch >= 0x80;
    fclose(f);
    return found;
}

Test(jobs_restart, the_database_restarted_under_a_running_worker_is_rejoined_and_the_job_completes)
{
    long whole = reference_job("2");

    char id[24], log[64];
    pid_t w;
    long job = start_run("2", "3", "db", "5", "2", id, log, &w); /* each task lasts 2 s */
    wait_running(id);
    rz_db_close(db);
    db = NULL;
    cr_assert_eq(throwaway("restart"), 0, "the throwaway server did not restart");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    double took =
        wait_for("SELECT count(*) FROM rozshuk.job WHERE id = $1 AND state = 'done'", id, 1, 60);
    kill(w, SIGTERM);
    int code = wait_exit(w, 10);
    cr_assert_geq(took, 0, "the job did not complete after the restart");
    cr_assert_eq(code, 0, "the worker stops cleanly on SIGTERM after reconnecting");
    cr_assert_geq(count_lines(log, "connection to the database lost"), 1,
                  "the worker does not say it lost the database");
    cr_assert_geq(count_lines(log, "connected again to the database after"), 1,
                  "the worker never said it reconnected");
    cr_assert(!has_non_ascii(log), "the worker's log holds text from the records");
    cr_assert_eq(query_long("SELECT count(*) FROM rozshuk.task WHERE job_id = $1"
                            " AND state = 'done'",
                            id),
                 2);
    assert_same_candidates(whole, job, "the restart");
    unlink(log);
}
