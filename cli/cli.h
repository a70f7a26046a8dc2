/*
 * cli.h: what the rozshuk subcommands share. The CLI uses only the public API in
 * include/rozshuk/; it prints, and it decides exit codes (0 ok, 1 failure, 2 usage).
 */
#ifndef RZ_CLI_H
#define RZ_CLI_H

#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <signal.h>
#include <stdbool.h>

enum { RZ_EXIT_OK = 0, RZ_EXIT_FAIL = 1, RZ_EXIT_USAGE = 2 };

/* One subcommand: `rozshuk NAME ...` runs fn(argc, argv) with argv[0] == NAME. */
struct rz_cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

/* Each subcommand's entry point, defined in cli/cmd_<name>.c. */
int rz_cli_db(int argc, char **argv);
int rz_cli_load(int argc, char **argv);
int rz_cli_batch(int argc, char **argv);
int rz_cli_name(int argc, char **argv);
int rz_cli_compare(int argc, char **argv);
int rz_cli_translit(int argc, char **argv);
int rz_cli_audit(int argc, char **argv);
int rz_cli_match(int argc, char **argv);
int rz_cli_candidates(int argc, char **argv);
int rz_cli_explain(int argc, char **argv);
int rz_cli_model(int argc, char **argv);
int rz_cli_search(int argc, char **argv);
int rz_cli_review(int argc, char **argv);
int rz_cli_worker(int argc, char **argv);
int rz_cli_job(int argc, char **argv);

/*
 * Follows job `job_id` until it ends, with progress on stderr unless `quiet` (cmd_job.c). With
 * `run`, runs the job's tasks in this process whenever no worker is alive on its queue.
 * Returns RZ_EXIT_OK when the job is done, RZ_EXIT_FAIL (with the reason printed) otherwise.
 */
/* SIGTERM and SIGINT set rz_cli_stop_requested (cmd_job.c), without restarting waits. */
extern volatile sig_atomic_t rz_cli_stop_requested;
void rz_cli_catch_stop(void);

int rz_cli_job_follow(rz_db *db, const char *conninfo, long long job_id, bool quiet, bool run);

/* Prints "rozshuk: <message>" to stderr (printf-style). */
void rz_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints an rz_error from the library, with the command's context first. */
void rz_cli_error(const char *context, const rz_error *err);

/* Prints a usage error and a pointer to --help; returns RZ_EXIT_USAGE. */
int rz_cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long's answer c was ':' (a value missing) or '?' (an unknown option): says which option
 * of argv and returns RZ_EXIT_USAGE. */
int rz_cli_bad_option(const char *command, int c, char **argv);

/*
 * Connects with `conninfo` (from --db; NULL means libpq's PG* environment). On failure prints
 * where it tried and what to do, and returns NULL.
 */
rz_db *rz_cli_connect(const char *conninfo);

/* Whether an argument is one of the help flags. */
bool rz_cli_is_help(const char *arg);

/* Writes `s` as a JSON string literal (quoted, escaped) to stdout. */
void rz_cli_json_string(const char *s);

#endif
