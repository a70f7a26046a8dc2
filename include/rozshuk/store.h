/*
 * store.h: the database handle of librozshuk (PostgreSQL through libpq, hidden behind it).
 *
 * Every statement is parameterised: values travel as parameters ($1, $2, ...), never pasted
 * into SQL text. Connection strings follow libpq's conventions; with NULL or "" the PG*
 * environment variables (PGHOST, PGDATABASE, PGSERVICE, ...) apply. Passwords belong in
 * ~/.pgpass or PGPASSFILE, never on a command line.
 */
#ifndef ROZSHUK_STORE_H
#define ROZSHUK_STORE_H

#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rz_db rz_db;
typedef struct rz_result rz_result;

/*
 * Opens a connection. `conninfo` is a libpq connection string or URI, or NULL/"" for the
 * PG* environment. On failure returns RZ_EDBCONN with libpq's reason and where it tried
 * (socket folder or host and port) in `err`. Free with rz_db_close().
 */
rz_status rz_db_open(const char *conninfo, rz_db **out, rz_error *err);

/* Closes the connection and frees the handle. Accepts NULL. */
void rz_db_close(rz_db *db);

/*
 * Where the connection goes, as "database D as user U on socket /path" or "... on host:port";
 * points into the handle, valid until rz_db_close(). For messages, never holds a password.
 */
const char *rz_db_where(const rz_db *db);

/*
 * Where a connection with this conninfo (or the environment) would go, without connecting;
 * for the message when rz_db_open() fails. Writes into `buf` and returns it.
 */
const char *rz_db_target(const char *conninfo, char *buf, size_t size);

/*
 * Runs one statement with `nparams` text parameters (a NULL element is SQL NULL).
 * On success, if `out` is not NULL, stores the result there (free with rz_result_free()).
 * A database error returns RZ_EDB with the server's message and SQLSTATE in `err`; a lost
 * connection returns RZ_EDBCONN.
 */
rz_status rz_db_exec(rz_db *db, const char *sql, int nparams, const char *const *params,
                     rz_result **out, rz_error *err);

/*
 * Prepares `sql` as the named statement `name` on this connection, once: a later call with the
 * same name does nothing (the handle remembers up to 32 names). For statements run many times,
 * where planning would cost more than running (search). Errors as rz_db_exec.
 */
rz_status rz_db_prepare(rz_db *db, const char *name, const char *sql, int nparams, rz_error *err);

/* Runs a statement prepared with rz_db_prepare(); parameters and result as rz_db_exec. */
rz_status rz_db_exec_prepared(rz_db *db, const char *name, int nparams, const char *const *params,
                              rz_result **out, rz_error *err);

/* One statement of rz_db_batch() or rz_db_pipeline_send(). */
typedef struct rz_db_stmt {
    const char *name; /* a prepared statement's name (prepared on first use), or NULL */
    const char *sql;  /* its text */
    int nparams;      /* text parameters, as rz_db_exec */
    const char *const *params;
    rz_result **out; /* where its result goes (free with rz_result_free()), or NULL */
} rz_db_stmt;

/*
 * Runs `n` statements in one round trip (libpq's pipeline mode): all are sent, then all results
 * read. Outside a transaction they run as one (implicit) transaction; the first error aborts
 * those after it and is returned, with no result stored for any. A named statement is prepared
 * in the same round trip the first time this connection sees its name (as rz_db_prepare).
 */
rz_status rz_db_batch(rz_db *db, rz_db_stmt *stmts, size_t n, rz_error *err);

/*
 * Runs a script of several statements with no parameters (the simple query protocol).
 * Only for trusted SQL shipped with the project (migrations); never for user values.
 */
rz_status rz_db_exec_script(rz_db *db, const char *sql, rz_error *err);

/*
 * Sends statements to run one after another without waiting for them (libpq's pipeline mode),
 * so that the caller can work while the server runs them; named ones are prepared on the way,
 * as in rz_db_batch(), and `out` is not used (rz_db_pipeline_end() keeps one result).
 * rz_db_pipeline_end() must follow before any other use of the connection; after a failed
 * statement the rest do not run.
 */
rz_status rz_db_pipeline_send(rz_db *db, const rz_db_stmt *stmts, size_t n, rz_error *err);

/*
 * Waits for the statements of rz_db_pipeline_send() and reads their results: RZ_OK, and in
 * `out` (when not NULL) the result of statement number `keep`; or the first error, as
 * rz_db_exec. The connection is then back to normal use.
 */
rz_status rz_db_pipeline_end(rz_db *db, size_t keep, rz_result **out, rz_error *err);

/* Transactions: BEGIN, COMMIT, ROLLBACK. Rollback is safe to call when none is open. */
rz_status rz_db_begin(rz_db *db, rz_error *err);
rz_status rz_db_commit(rz_db *db, rz_error *err);
void rz_db_rollback(rz_db *db);

/* Whether a transaction is open on the connection (BEGIN issued, not yet ended). */
bool rz_db_in_transaction(const rz_db *db);

/*
 * COPY ... FROM STDIN: begin with the COPY statement, put data (in the format the statement
 * names), then end. A failed put or end aborts the COPY; rz_db_copy_in_abort() aborts it on
 * purpose with a reason.
 */
rz_status rz_db_copy_in_begin(rz_db *db, const char *copy_sql, rz_error *err);
rz_status rz_db_copy_in_put(rz_db *db, const char *data, size_t len, rz_error *err);
rz_status rz_db_copy_in_end(rz_db *db, rz_error *err);
void rz_db_copy_in_abort(rz_db *db, const char *reason);

/* Called for each row of COPY ... TO STDOUT; a non-zero return stops the copy early. */
typedef int (*rz_copy_row_fn)(const char *row, size_t len, void *user);

/* Runs COPY ... TO STDOUT and hands each row to `fn`. */
rz_status rz_db_copy_out(rz_db *db, const char *copy_sql, rz_copy_row_fn fn, void *user,
                         rz_error *err);

/* Rows and columns of a result. */
size_t rz_result_rows(const rz_result *res);
size_t rz_result_cols(const rz_result *res);

/* The value as text, or NULL for SQL NULL or out of range; points into the result. */
const char *rz_result_value(const rz_result *res, size_t row, size_t col);

/* A column's name, or NULL out of range; points into the result. */
const char *rz_result_colname(const rz_result *res, size_t col);

/* Number of rows a command affected (UPDATE, DELETE, INSERT), 0 when not applicable. */
size_t rz_result_affected(const rz_result *res);

/* Frees a result. Accepts NULL. */
void rz_result_free(rz_result *res);

/*
 * Appends `value` (UTF-8, `len` bytes) to `buf` escaped for COPY's text format
 * (backslash, tab, newline, carriage return). NULL `value` appends "\N".
 * Returns the number of bytes the escaped form needs; writes only if it fits in `cap`
 * bytes from `buf`. For callers building COPY rows.
 */
size_t rz_copy_escape(char *buf, size_t cap, const char *value, size_t len);

/*
 * Waits up to `timeout_seconds` for a notification on a channel the connection LISTENs to
 * (run "LISTEN channel" with rz_db_exec first); sets *notified when one (or more) arrived.
 * Returns RZ_OK on timeout too, and early when a signal interrupts the wait. A lost
 * connection returns RZ_EDBCONN.
 */
rz_status rz_db_wait_notify(rz_db *db, double timeout_seconds, bool *notified, rz_error *err);

/*
 * Asks the server to cancel the statement running on `db` (PQcancel). Safe to call from
 * another thread than the one using `db`; the statement then fails with SQLSTATE 57014.
 * Accepts NULL.
 */
void rz_db_cancel(rz_db *db);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_STORE_H */
