/* support.h: helpers for the test suites: run the rozshuk binary, make throwaway databases. */
#ifndef RZ_TEST_SUPPORT_H
#define RZ_TEST_SUPPORT_H

#include <stddef.h>

/* What a finished child process left: its exit code (or 128+signal) and its output. */
typedef struct rzt_proc {
    int exit_code;
    char *out; /* stdout, NUL-terminated */
    char *err; /* stderr, NUL-terminated */
} rzt_proc;

/*
 * Runs the built rozshuk (path from $ROZSHUK_BIN) with `args` (NULL-terminated, without the
 * program name), feeding `input` (may be NULL) on stdin. Extra environment entries
 * "NAME=value" in `env` (NULL-terminated, may be NULL) override the inherited ones.
 * Returns 0 when the process ran. Free with rzt_proc_free().
 */
int rzt_run(const char *const *args, const char *input, const char *const *env, rzt_proc *out);
void rzt_proc_free(rzt_proc *p);

/* rzt_run() with no input and no extra environment, failing the current test (criterion) when
 * the binary cannot be run at all; its exit code is the caller's to check. */
rzt_proc rzt_run_ok(const char *const *args);

/*
 * Creates an empty database on the test server (the PG* environment) with a unique name and
 * writes a conninfo for it ("dbname=...") into `conninfo`. Returns 0 on success.
 */
int rzt_db_create(char *conninfo, size_t cap);

/* Drops a database made by rzt_db_create(), given its conninfo. */
void rzt_db_drop(const char *conninfo);

/* Creates a fresh database and applies all migrations (via the library). Returns 0 on success. */
int rzt_db_create_migrated(char *conninfo, size_t cap);

/* The first column of the first row of `sql` (no parameters) as a number, e.g. a count(*);
 * -1 when the statement fails. */
struct rz_db;
long rzt_count(struct rz_db *db, const char *sql);

/* Writes `text` to a new temporary file and returns its path (static buffer per call site). */
int rzt_write_temp(const char *text, char *path, size_t cap);

#endif
