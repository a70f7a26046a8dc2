/*
 * cmd_worker.c: `rozshuk worker`: runs queued match tasks until stopped. With --concurrency N
 * (default: one per core) it forks N worker processes and forwards SIGTERM/SIGINT to them;
 * each releases its running task to the queue and deregisters.
 */
#include "cli.h"

#include "rozshuk/jobs.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char WORKER_HELP[] =
    "usage: rozshuk worker [--concurrency N] [--once] [--queue NAME] [options]\n\n"
    "Runs the tasks of submitted match jobs (rozshuk match --detach, or a match waiting for\n"
    "workers) until stopped with SIGTERM or Ctrl-C: a running task is then given back to the\n"
    "queue. Start workers on as many machines as you like against the same database: each task\n"
    "is claimed by one worker, kept by its heartbeat, and claimed again by another worker when\n"
    "its worker dies (after the lease). A failing task is retried with a growing pause, up to\n"
    "its attempt limit, then failed with its error (rozshuk job show ID). When the database\n"
    "goes away (restart, network), the worker says so, reconnects with a growing pause (0.2 s\n"
    "to 5 s) and queues the task it was running again; that attempt counts.\n\n"
    "Options:\n"
    "  --concurrency N   worker processes (default: one per core)\n"
    "  --once            exit when the queue holds no queued task, instead of waiting\n"
    "  --queue NAME      the queue to serve (default \"default\")\n"
    "  --lease SECONDS   a task stays held this long without a heartbeat (default 30)\n"
    "  --poll SECONDS    longest idle wait when no notification arrives (default 5)\n"
    "  --backoff SECONDS first pause before a failed task is retried, doubling (default 5)\n"
    "  --quiet           log nothing but errors\n"
    "  --db CONNINFO     database (default: libpq's PG* environment)\n";

static void log_line(void *user, const char *line)
{
    (void)user;
    time_t t = time(NULL);
    struct tm tm;
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
    fprintf(stderr, "%s %s\n", when, line);
}

static bool parse_seconds(const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= min && v <= max))
        return false;
    *out = v;
    return true;
}

/* One worker process: the names engine, the loop, its exit code. */
static int run_one(const char *conninfo, const rz_worker_options *o)
{
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        rz_cli_error("cannot open the names engine", &err);
        return RZ_EXIT_FAIL;
    }
    rz_worker_stats st;
    rz_status s = rz_worker_run(conninfo, ctx, o, &st, &err);
    rz_name_ctx_close(ctx);
    if (s != RZ_OK) {
        rz_cli_error("worker", &err);
        if (s == RZ_EDBCONN)
            fprintf(stderr, "  Is the server running? Pass --db 'host=... dbname=...' or set "
                            "PGHOST, PGDATABASE, PGUSER.\n");
        return RZ_EXIT_FAIL;
    }
    return RZ_EXIT_OK;
}

/* Forks n workers, forwards a stop to them, waits for all. */
static int run_many(const char *conninfo, const rz_worker_options *o, long n)
{
    pid_t pids[256];
    long started = 0;
    int rc = RZ_EXIT_OK;
    fflush(NULL);
    for (; started < n; started++) {
        pid_t pid = fork();
        if (pid < 0) {
            rz_cli_errorf("worker: cannot start process %ld: %s", started + 1, strerror(errno));
            rc = RZ_EXIT_FAIL;
            break;
        }
        if (pid == 0)
            _exit(run_one(conninfo, o));
        pids[started] = pid;
    }
    long alive = started;
    bool forwarded = false;
    while (alive > 0) {
        if (rz_cli_stop_requested && !forwarded) {
            for (long i = 0; i < started; i++)
                if (pids[i] > 0)
                    kill(pids[i], SIGTERM);
            forwarded = true;
        }
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (long i = 0; i < started; i++)
            if (pids[i] == pid)
                pids[i] = 0;
        alive--;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            rz_cli_errorf("worker process %ld ended %s %d", (long)pid,
                          WIFEXITED(status) ? "with code" : "by signal",
                          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            rc = RZ_EXIT_FAIL;
        }
    }
    return rc;
}

int rz_cli_worker(int argc, char **argv)
{
    static const struct option opts[] = {{"concurrency", required_argument, NULL, 'c'},
                                         {"once", no_argument, NULL, 'o'},
                                         {"queue", required_argument, NULL, 'q'},
                                         {"lease", required_argument, NULL, 'l'},
                                         {"poll", required_argument, NULL, 'p'},
                                         {"backoff", required_argument, NULL, 'b'},
                                         {"quiet", no_argument, NULL, 'Q'},
                                         {"test-task-seconds", required_argument, NULL, 'T'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    rz_worker_options o;
    rz_worker_options_defaults(&o);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long concurrency = cores > 0 ? cores : 1;
    const char *conninfo = NULL;
    bool quiet = false;
    double v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!parse_seconds(optarg, 1, 256, &v) || v != (double)(long)v)
                return rz_cli_usage("worker", "--concurrency needs a number from 1 to 256");
            concurrency = (long)v;
            break;
        case 'o':
            o.once = true;
            break;
        case 'q':
            if (!rz_queue_name_valid(optarg))
                return rz_cli_usage("worker", "--queue: 1 to 64 of a-z 0-9 _ . -");
            snprintf(o.queue, sizeof o.queue, "%s", optarg);
            break;
        case 'l':
            if (!parse_seconds(optarg, 0.5, 86400, &o.lease))
                return rz_cli_usage("worker", "--lease needs seconds from 0.5 to 86400");
            break;
        case 'p':
            if (!parse_seconds(optarg, 0.01, 3600, &o.poll))
                return rz_cli_usage("worker", "--poll needs seconds from 0.01 to 3600");
            break;
        case 'b':
            if (!parse_seconds(optarg, 0, 86400, &o.backoff))
                return rz_cli_usage("worker", "--backoff needs seconds from 0 to 86400");
            break;
        case 'Q':
            quiet = true;
            break;
        case 'T': /* for the test suite: makes each task last this long */
            if (!parse_seconds(optarg, 0, 3600, &o.test_task_seconds))
                return rz_cli_usage("worker", "--test-task-seconds needs seconds");
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(WORKER_HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("worker", c, argv);
        }
    }
    if (optind < argc)
        return rz_cli_usage("worker", "unexpected argument '%s'", argv[optind]);
    if (!quiet)
        o.log = log_line;
    o.stop = &rz_cli_stop_requested;
    rz_cli_catch_stop();
    if (concurrency == 1)
        return run_one(conninfo, &o);
    return run_many(conninfo, &o, concurrency);
}
