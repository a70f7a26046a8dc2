/*
 * cmd_job.c: `rozshuk job list|show|cancel|wait|retry`, and following a job until it ends
 * (for `rozshuk match`): progress on stderr, and the job's tasks run in this process when no
 * worker is alive to run them.
 */
#include "cli.h"

#include "rozshuk/jobs.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char JOB_HELP[] =
    "usage: rozshuk job list [--limit N] [--json]\n"
    "       rozshuk job show ID [--json]     the job, its progress and every task\n"
    "       rozshuk job wait ID [--quiet]    wait until it ends, showing progress\n"
    "       rozshuk job cancel ID            queued tasks cancelled, running ones stop\n"
    "       rozshuk job retry ID [--queue NAME]  queue failed and cancelled tasks again\n\n"
    "Jobs are made by `rozshuk match`; their tasks are run by `rozshuk worker` processes (or by\n"
    "the match command itself when no worker is running). Exit code of wait: 0 when the job is\n"
    "done, 1 when it failed or was cancelled.\n"
    "  --db CONNINFO   database (default: libpq's PG* environment)\n";

volatile sig_atomic_t rz_cli_stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    rz_cli_stop_requested = 1;
}

void rz_cli_catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a wait returns at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- following a job ------------------------------------------------------------------------- */

typedef struct follow {
    rz_db *db;
    long long job;
    bool quiet, tty;
    size_t last_done;
    char last_state[16];
    bool shown;
} follow;

static void progress_line(const rz_job_progress *p, char *buf, size_t cap)
{
    double rate = p->elapsed > 0.0 ? (double)p->pairs_scored / p->elapsed : 0.0;
    int n = snprintf(buf, cap, "job %lld: %s, %zu/%zu tasks done", (long long)p->job_id, p->state,
                     p->done, p->tasks);
    if (p->running && n > 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, " (%zu running)", p->running);
    if (n > 0 && (size_t)n < cap)
        n += snprintf(buf + n, cap - (size_t)n, ", %zu pairs scored, %.0f pairs/s", p->pairs_scored,
                      rate);
    if (p->done > 0 && p->done < p->tasks && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, ", about %.0f s left",
                 p->elapsed * (double)(p->tasks - p->done) / (double)p->done);
}

/* Shows the progress: on a terminal one line rewritten in place; otherwise one line each time
 * a task is done or the state changes. */
static void show_progress(follow *f)
{
    if (f->quiet)
        return;
    rz_job_progress p;
    if (rz_job_progress_read(f->db, f->job, &p, NULL) != RZ_OK)
        return;
    char line[400];
    progress_line(&p, line, sizeof line);
    if (f->tty) {
        fprintf(stderr, "\r%s\033[K", line);
        f->shown = true;
    } else if (p.done != f->last_done || strcmp(p.state, f->last_state) != 0) {
        fprintf(stderr, "%s\n", line);
    }
    f->last_done = p.done;
    snprintf(f->last_state, sizeof f->last_state, "%s", p.state);
}

static void end_progress(follow *f)
{
    if (f->tty && f->shown)
        fputc('\n', stderr);
    f->shown = false;
}

static void self_log(void *user, const char *line)
{
    (void)line; /* the worker's own lines are for `rozshuk worker`'s log; here, progress */
    show_progress(user);
}

/* Runs the job's tasks in this process until the job ends or the user interrupts. */
static int run_here(follow *f, const char *conninfo)
{
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        rz_cli_error("cannot open the names engine", &err);
        return RZ_EXIT_FAIL;
    }
    rz_worker_options o;
    rz_worker_options_defaults(&o);
    o.job_id = f->job;
    o.stop = &rz_cli_stop_requested;
    o.log = self_log;
    o.user = f;
    rz_worker_stats st;
    rz_status s = rz_worker_run(conninfo, ctx, &o, &st, &err);
    rz_name_ctx_close(ctx);
    if (s != RZ_OK) {
        end_progress(f);
        rz_cli_error("running the job's tasks", &err);
        return RZ_EXIT_FAIL;
    }
    return RZ_EXIT_OK;
}

int rz_cli_job_follow(rz_db *db, const char *conninfo, long long job_id, bool quiet, bool run)
{
    follow f = {db, job_id, quiet, isatty(2) == 1, (size_t)-1, "", false};
    rz_error err;
    rz_error_clear(&err);
    rz_cli_catch_stop();
    if (rz_db_exec(db, "LISTEN " RZ_CHANNEL_JOB, 0, NULL, NULL, &err) != RZ_OK) {
        rz_cli_error("job", &err);
        return RZ_EXIT_FAIL;
    }
    double next_check = 0.0;
    for (;;) {
        rz_job_progress p;
        if (rz_job_progress_read(db, job_id, &p, &err) != RZ_OK) {
            end_progress(&f);
            rz_cli_error("job", &err);
            return RZ_EXIT_FAIL;
        }
        show_progress(&f);
        if (rz_job_state_final(p.state))
            break;
        if (rz_cli_stop_requested) {
            end_progress(&f);
            rz_cli_errorf("stopped waiting; job %lld goes on with the workers (rozshuk job show "
                          "%lld), or run its tasks here with 'rozshuk match --resume %lld'",
                          job_id, job_id, job_id);
            return RZ_EXIT_FAIL;
        }
        if (run && mono() >= next_check) {
            size_t live = 0;
            if (rz_worker_count_live(db, p.queue[0] ? p.queue : NULL, &live, &err) != RZ_OK) {
                end_progress(&f);
                rz_cli_error("job", &err);
                return RZ_EXIT_FAIL;
            }
            next_check = mono() + 2.0;
            if (live == 0) {
                int rc = run_here(&f, conninfo);
                if (rc != RZ_EXIT_OK)
                    return rc;
                if (rz_cli_stop_requested) {
                    end_progress(&f);
                    rz_cli_errorf("interrupted: job %lld's running task went back to the queue; "
                                  "finish it with 'rozshuk match --resume %lld' or a worker",
                                  job_id, job_id);
                    return RZ_EXIT_FAIL;
                }
                continue;
            }
        }
        bool notified;
        if (rz_db_wait_notify(db, 1.0, &notified, &err) != RZ_OK) {
            end_progress(&f);
            rz_cli_error("job", &err);
            return RZ_EXIT_FAIL;
        }
    }
    end_progress(&f);
    rz_job_progress p;
    if (rz_job_progress_read(db, job_id, &p, &err) != RZ_OK) {
        rz_cli_error("job", &err);
        return RZ_EXIT_FAIL;
    }
    if (strcmp(p.state, "done") != 0) {
        rz_cli_errorf("job %lld %s%s%s", job_id, p.state, p.error[0] ? ": " : "", p.error);
        if (strcmp(p.state, "failed") == 0)
            fprintf(stderr,
                    "See 'rozshuk job show %lld'; after fixing the cause, "
                    "'rozshuk job retry %lld'.\n",
                    job_id, job_id);
        return RZ_EXIT_FAIL;
    }
    return RZ_EXIT_OK;
}

/* ---- the subcommands ---------------------------------------------------------------------------
 */

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static int job_list(rz_db *db, long long limit, bool json)
{
    rz_error err;
    rz_result *res = NULL;
    if (rz_job_list(db, (size_t)limit, &res, &err) != RZ_OK) {
        rz_cli_error("job list", &err);
        return RZ_EXIT_FAIL;
    }
    size_t n = rz_result_rows(res);
    if (!json)
        printf("%6s  %-6s  %-9s  %-10s  %11s  %10s  %-19s  %s\n", "job", "mode", "state", "queue",
               "tasks done", "candidates", "created (UTC)", "what");
    for (size_t i = 0; i < n; i++) {
        const char *v[11];
        for (size_t c = 0; c < 11; c++)
            v[c] = rz_result_value(res, i, c);
        if (json) {
            printf("{\"job\":%s,\"mode\":", v[0]);
            rz_cli_json_string(v[1]);
            printf(",\"selection_a\":");
            rz_cli_json_string(v[2]);
            printf(",\"selection_b\":");
            v[3] ? rz_cli_json_string(v[3]) : (void)fputs("null", stdout);
            printf(",\"state\":");
            rz_cli_json_string(v[4]);
            printf(",\"queue\":");
            v[5] ? rz_cli_json_string(v[5]) : (void)fputs("null", stdout);
            printf(",\"tasks\":%s,\"tasks_done\":%s,\"candidates\":%s}\n", v[6], v[7], v[8]);
            continue;
        }
        char done[32];
        snprintf(done, sizeof done, "%s/%s", v[7], v[6]);
        printf("%6s  %-6s  %-9s  %-10s  %11s  %10s  %-19s  %s%s%s\n", v[0], v[1], v[4],
               or_dash(v[5]), done, v[8], v[9], v[2], v[3] ? " / " : "", v[3] ? v[3] : "");
    }
    if (!json && n == 0)
        printf("no jobs yet: rozshuk match --dedupe all\n");
    rz_result_free(res);
    return RZ_EXIT_OK;
}

static void show_json(const rz_job_progress *p, const rz_result *tasks)
{
    printf("{\"job\":%lld,\"state\":", (long long)p->job_id);
    rz_cli_json_string(p->state);
    printf(",\"queue\":");
    p->queue[0] ? rz_cli_json_string(p->queue) : (void)fputs("null", stdout);
    printf(",\"priority\":%d,\"tasks\":%zu,\"queued\":%zu,\"running\":%zu,\"done\":%zu,"
           "\"failed\":%zu,\"cancelled\":%zu,\"pairs_scored\":%zu,\"candidates\":%zu,"
           "\"elapsed\":%.3f,\"error\":",
           p->priority, p->tasks, p->queued, p->running, p->done, p->failed, p->cancelled,
           p->pairs_scored, p->candidates, p->elapsed);
    p->error[0] ? rz_cli_json_string(p->error) : (void)fputs("null", stdout);
    printf(",\"task_list\":[");
    for (size_t i = 0; i < rz_result_rows(tasks); i++) {
        const char *v[10];
        for (size_t c = 0; c < 10; c++)
            v[c] = rz_result_value(tasks, i, c);
        printf("%s{\"task\":%s,\"state\":", i ? "," : "", v[0]);
        rz_cli_json_string(v[1]);
        printf(",\"attempts\":%s,\"max_attempts\":%s,\"worker\":", v[2], v[3]);
        v[4] ? rz_cli_json_string(v[4]) : (void)fputs("null", stdout);
        printf(",\"pairs\":%s,\"candidates\":%s,\"seconds\":%s,\"error\":", v[5] ? v[5] : "null",
               v[6] ? v[6] : "null", v[7] ? v[7] : "null");
        v[8] ? rz_cli_json_string(v[8]) : (void)fputs("null", stdout);
        printf("}");
    }
    printf("]}\n");
}

static void show_text(const rz_job_progress *p, const rz_result *tasks)
{
    char line[400];
    progress_line(p, line, sizeof line);
    printf("%s\n", line);
    printf("  queue %s, priority %d; tasks: %zu queued, %zu running, %zu done, %zu failed, "
           "%zu cancelled; %zu candidates so far\n",
           p->queue[0] ? p->queue : "(none: run by its creator)", p->priority, p->queued,
           p->running, p->done, p->failed, p->cancelled, p->candidates);
    if (p->error[0])
        printf("  error: %s\n", p->error);
    printf("\n%5s  %-9s  %8s  %12s  %10s  %8s  %s\n", "task", "state", "attempts", "pairs",
           "candidates", "seconds", "worker / error");
    for (size_t i = 0; i < rz_result_rows(tasks); i++) {
        const char *v[10];
        for (size_t c = 0; c < 10; c++)
            v[c] = rz_result_value(tasks, i, c);
        char att[24];
        snprintf(att, sizeof att, "%s/%s", v[2], v[3]);
        printf("%5s  %-9s  %8s  %12s  %10s  %8s  %s", v[0], v[1], att, or_dash(v[5]), or_dash(v[6]),
               or_dash(v[7]), or_dash(v[4]));
        if (v[9])
            printf(" (lease %s s left)", v[9]);
        if (v[8])
            printf("  %s", v[8]);
        printf("\n");
    }
}

static int job_show(rz_db *db, long long job, bool json)
{
    rz_error err;
    rz_job_progress p;
    rz_result *tasks = NULL;
    if (rz_job_progress_read(db, job, &p, &err) != RZ_OK ||
        rz_job_tasks(db, job, &tasks, &err) != RZ_OK) {
        rz_cli_error("job show", &err);
        return RZ_EXIT_FAIL;
    }
    if (json)
        show_json(&p, tasks);
    else
        show_text(&p, tasks);
    rz_result_free(tasks);
    return RZ_EXIT_OK;
}

static int job_cancel(rz_db *db, long long job)
{
    rz_error err;
    size_t n = 0;
    if (rz_job_cancel(db, job, &n, &err) != RZ_OK) {
        rz_cli_error("job cancel", &err);
        return RZ_EXIT_FAIL;
    }
    printf("job %lld cancelled: %zu task(s) stopped or unqueued; running ones stop at their "
           "next heartbeat and commit nothing\n",
           job, n);
    return RZ_EXIT_OK;
}

static int job_retry(rz_db *db, long long job, const char *queue)
{
    rz_error err;
    size_t n = 0;
    if (rz_job_retry(db, job, queue, &n, &err) != RZ_OK) {
        rz_cli_error("job retry", &err);
        return RZ_EXIT_FAIL;
    }
    printf("job %lld: %zu task(s) queued again; follow it with 'rozshuk job wait %lld'\n", job, n,
           job);
    return RZ_EXIT_OK;
}

static bool parse_id(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || v < 1)
        return false;
    *out = v;
    return true;
}

int rz_cli_job(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"quiet", no_argument, NULL, 'Q'},
                                         {"queue", required_argument, NULL, 'q'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false, quiet = false;
    long long limit = 20;
    const char *conninfo = NULL, *queue = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'l':
            if (!parse_id(optarg, &limit) || limit > 100000)
                return rz_cli_usage("job", "--limit needs a number from 1 to 100000");
            break;
        case 'Q':
            quiet = true;
            break;
        case 'q':
            if (!rz_queue_name_valid(optarg))
                return rz_cli_usage("job", "--queue: 1 to 64 of a-z 0-9 _ . -");
            queue = optarg;
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(JOB_HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("job", c, argv);
        }
    }
    if (optind >= argc)
        return rz_cli_usage("job", "say what to do: list, show ID, wait ID, cancel ID, retry ID");
    const char *what = argv[optind];
    bool needs_id = strcmp(what, "list") != 0;
    if (strcmp(what, "list") != 0 && strcmp(what, "show") != 0 && strcmp(what, "wait") != 0 &&
        strcmp(what, "cancel") != 0 && strcmp(what, "retry") != 0)
        return rz_cli_usage("job", "unknown action '%s' (list, show, wait, cancel, retry)", what);
    long long job = 0;
    if (needs_id && (argc - optind != 2 || !parse_id(argv[optind + 1], &job)))
        return rz_cli_usage("job", "'job %s' needs one job number", what);
    if (!needs_id && argc - optind != 1)
        return rz_cli_usage("job", "unexpected argument '%s'", argv[optind + 1]);
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    int rc;
    if (strcmp(what, "list") == 0)
        rc = job_list(db, limit, json);
    else if (strcmp(what, "show") == 0)
        rc = job_show(db, job, json);
    else if (strcmp(what, "cancel") == 0)
        rc = job_cancel(db, job);
    else if (strcmp(what, "retry") == 0)
        rc = job_retry(db, job, queue);
    else
        rc = rz_cli_job_follow(db, conninfo, job, quiet, false);
    rz_db_close(db);
    return rc;
}
