/*
 * db.c: the libpq wrapper behind store.h. The only file family that includes libpq-fe.h.
 * Errors from the server carry their SQLSTATE into rz_error.
 */
#include "rozshuk/store.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#define PREPARED_MAX 32
#define PIPELINE_MAX 32 /* statements in one pipeline */

struct rz_db {
    PGconn *conn;
    PGcancel *cancel; /* made at open, so that rz_db_cancel() may run on another thread */
    char where[512];
    size_t nprepared;
    char prepared[PREPARED_MAX][64];
    /* the statements of rz_db_pipeline_send() not yet read: which are prepared on the way */
    size_t npipe;
    bool pipe_prepare[PIPELINE_MAX];
    char pipe_name[PIPELINE_MAX][64];
};

struct rz_result {
    PGresult *res;
};

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs (e.g. "already exists, skipping") are not the user's concern */
}

static rz_status db_error(rz_db *db, const PGresult *res, rz_error *err)
{
    rz_status status = RZ_EDB;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);
    if (PQstatus(db->conn) == CONNECTION_BAD)
        status = RZ_EDBCONN;
    if (msg == NULL || msg[0] == '\0')
        msg = PQerrorMessage(db->conn);
    rz_error_set(err, status, "%s", msg);
    if (err != NULL) {
        size_t n = strlen(err->message);
        while (n > 0 && (err->message[n - 1] == '\n' || err->message[n - 1] == ' '))
            err->message[--n] = '\0';
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        if (state != NULL)
            snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
    }
    return status;
}

static void describe(PGconn *conn, char *buf, size_t size)
{
    const char *host = PQhost(conn);
    const char *port = PQport(conn);
    const char *db = PQdb(conn);
    const char *user = PQuser(conn);
    if (host == NULL || host[0] == '\0')
        host = "/var/run/postgresql";
    if (host[0] == '/')
        snprintf(buf, size, "database \"%s\" as user \"%s\" on socket %s/.s.PGSQL.%s",
                 db ? db : "?", user ? user : "?", host, port ? port : "5432");
    else
        snprintf(buf, size, "database \"%s\" as user \"%s\" on %s:%s", db ? db : "?",
                 user ? user : "?", host, port ? port : "5432");
}

const char *rz_db_target(const char *conninfo, char *buf, size_t size)
{
    /* Parse without connecting: PQconninfoParse gives the explicit options, PQconndefaults
     * the environment's; explicit wins. */
    const char *host = NULL, *port = NULL, *dbname = NULL, *user = NULL;
    PQconninfoOption *defs = PQconndefaults();
    PQconninfoOption *opts = NULL;
    if (conninfo != NULL && conninfo[0] != '\0')
        opts = PQconninfoParse(conninfo, NULL);
    for (int pass = 0; pass < 2; pass++) {
        PQconninfoOption *o = pass == 0 ? defs : opts;
        for (; o != NULL && o->keyword != NULL; o++) {
            if (o->val == NULL || o->val[0] == '\0')
                continue;
            if (strcmp(o->keyword, "host") == 0)
                host = o->val;
            else if (strcmp(o->keyword, "port") == 0)
                port = o->val;
            else if (strcmp(o->keyword, "dbname") == 0)
                dbname = o->val;
            else if (strcmp(o->keyword, "user") == 0)
                user = o->val;
        }
    }
    if (host == NULL)
        host = "/var/run/postgresql";
    if (host[0] == '/')
        snprintf(buf, size, "database \"%s\" as user \"%s\" on socket %s/.s.PGSQL.%s",
                 dbname ? dbname : "(default)", user ? user : "(default)", host,
                 port ? port : "5432");
    else
        snprintf(buf, size, "database \"%s\" as user \"%s\" on %s:%s",
                 dbname ? dbname : "(default)", user ? user : "(default)", host,
                 port ? port : "5432");
    PQconninfoFree(opts);
    PQconninfoFree(defs);
    return buf;
}

rz_status rz_db_open(const char *conninfo, rz_db **out, rz_error *err)
{
    *out = NULL;
    rz_db *db = calloc(1, sizeof *db);
    if (db == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening a connection");
    db->conn = PQconnectdb(conninfo ? conninfo : "");
    if (db->conn == NULL) {
        free(db);
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening a connection");
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char target[400];
        rz_db_target(conninfo, target, sizeof target);
        rz_error_set(err, RZ_EDBCONN, "cannot connect to PostgreSQL (%s): %s", target,
                     PQerrorMessage(db->conn));
        if (err != NULL) {
            size_t n = strlen(err->message);
            while (n > 0 && (err->message[n - 1] == '\n' || err->message[n - 1] == ' '))
                err->message[--n] = '\0';
        }
        PQfinish(db->conn);
        free(db);
        return RZ_EDBCONN;
    }
    PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
    describe(db->conn, db->where, sizeof db->where);
    db->cancel = PQgetCancel(db->conn);
    /* Every session speaks UTF-8 and sees the rozshuk schema first. */
    PGresult *res = PQexec(db->conn, "SET client_encoding = 'UTF8'; "
                                     "SET search_path = rozshuk, public");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rz_status st = db_error(db, res, err);
        PQclear(res);
        rz_db_close(db);
        return st;
    }
    PQclear(res);
    *out = db;
    return RZ_OK;
}

void rz_db_close(rz_db *db)
{
    if (db == NULL)
        return;
    PQfreeCancel(db->cancel);
    PQfinish(db->conn);
    free(db);
}

const char *rz_db_where(const rz_db *db)
{
    return db ? db->where : "(no connection)";
}

rz_status rz_db_exec(rz_db *db, const char *sql, int nparams, const char *const *params,
                     rz_result **out, rz_error *err)
{
    if (out != NULL)
        *out = NULL;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rz_status rc = db_error(db, res, err);
        PQclear(res);
        return rc;
    }
    if (out == NULL) {
        PQclear(res);
        return RZ_OK;
    }
    rz_result *r = malloc(sizeof *r);
    if (r == NULL) {
        PQclear(res);
        return rz_error_set(err, RZ_ENOMEM, "out of memory holding a query result");
    }
    r->res = res;
    *out = r;
    return RZ_OK;
}

static rz_status keep_result(rz_db *db, PGresult *res, rz_result **out, rz_error *err)
{
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rz_status rc = db_error(db, res, err);
        PQclear(res);
        return rc;
    }
    if (out == NULL) {
        PQclear(res);
        return RZ_OK;
    }
    rz_result *r = malloc(sizeof *r);
    if (r == NULL) {
        PQclear(res);
        return rz_error_set(err, RZ_ENOMEM, "out of memory holding a query result");
    }
    r->res = res;
    *out = r;
    return RZ_OK;
}

rz_status rz_db_prepare(rz_db *db, const char *name, const char *sql, int nparams, rz_error *err)
{
    for (size_t i = 0; i < db->nprepared; i++)
        if (strcmp(db->prepared[i], name) == 0)
            return RZ_OK;
    if (strlen(name) >= sizeof db->prepared[0] || db->nprepared >= PREPARED_MAX)
        return rz_error_set(err, RZ_EINVAL, "too many or too long prepared statement names");
    rz_status st = keep_result(db, PQprepare(db->conn, name, sql, nparams, NULL), NULL, err);
    if (st == RZ_OK)
        memcpy(db->prepared[db->nprepared++], name, strlen(name) + 1);
    return st;
}

rz_status rz_db_exec_prepared(rz_db *db, const char *name, int nparams, const char *const *params,
                              rz_result **out, rz_error *err)
{
    if (out != NULL)
        *out = NULL;
    return keep_result(db, PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0), out,
                       err);
}

static bool is_prepared(const rz_db *db, const char *name)
{
    for (size_t i = 0; i < db->nprepared; i++)
        if (strcmp(db->prepared[i], name) == 0)
            return true;
    return false;
}

/* Reads the results of one pipelined command up to its end (NULL); keeps the first. */
static PGresult *command_result(PGconn *conn)
{
    PGresult *first = PQgetResult(conn), *more;
    while (first != NULL && (more = PQgetResult(conn)) != NULL)
        PQclear(more);
    return first;
}

rz_status rz_db_exec_script(rz_db *db, const char *sql, rz_error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    rz_status rc = RZ_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = db_error(db, res, err);
    PQclear(res);
    return rc;
}

rz_status rz_db_pipeline_send(rz_db *db, const rz_db_stmt *stmts, size_t n, rz_error *err)
{
    if (n > PIPELINE_MAX)
        return rz_error_set(err, RZ_EINVAL, "more than %d statements in one pipeline",
                            PIPELINE_MAX);
    size_t nprepare = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = stmts[i].name;
        bool prepare = name != NULL && !is_prepared(db, name);
        for (size_t j = 0; prepare && j < i; j++)
            prepare = !(db->pipe_prepare[j] && strcmp(db->pipe_name[j], name) == 0);
        if (prepare &&
            (strlen(name) >= sizeof db->pipe_name[0] || db->nprepared + ++nprepare > PREPARED_MAX))
            return rz_error_set(err, RZ_EINVAL, "too many or too long prepared statement names");
        db->pipe_prepare[i] = prepare;
        if (prepare)
            memcpy(db->pipe_name[i], name, strlen(name) + 1);
    }
    if (!PQenterPipelineMode(db->conn))
        return db_error(db, NULL, err);
    db->npipe = n;
    bool sent = true;
    for (size_t i = 0; sent && i < n; i++) {
        const rz_db_stmt *s = &stmts[i];
        if (db->pipe_prepare[i])
            sent = PQsendPrepare(db->conn, s->name, s->sql, s->nparams, NULL);
        if (sent)
            sent = s->name ? PQsendQueryPrepared(db->conn, s->name, s->nparams, s->params, NULL,
                                                 NULL, 0)
                           : PQsendQueryParams(db->conn, s->sql, s->nparams, NULL, s->params, NULL,
                                               NULL, 0);
    }
    if (!sent || !PQpipelineSync(db->conn)) {
        rz_status st = db_error(db, NULL, err);
        rz_db_pipeline_end(db, 0, NULL, NULL);
        return st;
    }
    return RZ_OK;
}

/*
 * Reads the results of the pipeline's statements, then its sync, and leaves pipeline mode:
 * statement i's result goes to *outs[i] when outs and outs[i] are not NULL. After an error the
 * rest say "aborted"; the first error is returned and no result is kept.
 */
static rz_status pipeline_read(rz_db *db, rz_result **const *outs, rz_error *err)
{
    rz_status st = RZ_OK;
    size_t n = db->npipe;
    for (size_t i = 0; i < n; i++) {
        rz_result **out = outs ? outs[i] : NULL;
        for (int part = db->pipe_prepare[i] ? 0 : 1; part < 2; part++) {
            PGresult *res = command_result(db->conn);
            ExecStatusType rs = PQresultStatus(res);
            if (st == RZ_OK && rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
                st = db_error(db, res, err);
            if (st == RZ_OK && part == 0)
                memcpy(db->prepared[db->nprepared++], db->pipe_name[i],
                       strlen(db->pipe_name[i]) + 1);
            if (st == RZ_OK && part == 1 && out != NULL)
                st = keep_result(db, res, out, err);
            else
                PQclear(res);
        }
    }
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL) {
        ExecStatusType rs = PQresultStatus(res);
        PQclear(res);
        if (rs == PGRES_PIPELINE_SYNC)
            break;
    }
    db->npipe = 0;
    if (!PQexitPipelineMode(db->conn) && st == RZ_OK)
        st = db_error(db, NULL, err);
    if (st == RZ_OK && PQstatus(db->conn) == CONNECTION_BAD)
        st = db_error(db, NULL, err);
    for (size_t i = 0; st != RZ_OK && outs && i < n; i++)
        if (outs[i] != NULL) {
            rz_result_free(*outs[i]);
            *outs[i] = NULL;
        }
    return st;
}

rz_status rz_db_pipeline_end(rz_db *db, size_t keep, rz_result **out, rz_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF)
        return RZ_OK;
    rz_result **outs[PIPELINE_MAX] = {NULL};
    if (keep < db->npipe)
        outs[keep] = out;
    return pipeline_read(db, outs, err);
}

rz_status rz_db_batch(rz_db *db, rz_db_stmt *stmts, size_t n, rz_error *err)
{
    rz_result **outs[PIPELINE_MAX] = {NULL};
    for (size_t i = 0; i < n && i < PIPELINE_MAX; i++) {
        outs[i] = stmts[i].out;
        if (outs[i] != NULL)
            *outs[i] = NULL;
    }
    rz_status st = rz_db_pipeline_send(db, stmts, n, err);
    return st == RZ_OK ? pipeline_read(db, outs, err) : st;
}

rz_status rz_db_begin(rz_db *db, rz_error *err)
{
    return rz_db_exec(db, "BEGIN", 0, NULL, NULL, err);
}

rz_status rz_db_commit(rz_db *db, rz_error *err)
{
    return rz_db_exec(db, "COMMIT", 0, NULL, NULL, err);
}

void rz_db_rollback(rz_db *db)
{
    if (db != NULL)
        rz_db_pipeline_end(db, 0, NULL, NULL); /* statements sent and not waited for */
    if (db == NULL || PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        return;
    PQclear(PQexec(db->conn, "ROLLBACK"));
}

bool rz_db_in_transaction(const rz_db *db)
{
    return db != NULL && PQtransactionStatus(db->conn) != PQTRANS_IDLE;
}

rz_status rz_db_copy_in_begin(rz_db *db, const char *copy_sql, rz_error *err)
{
    PGresult *res = PQexec(db->conn, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rz_status rc = db_error(db, res, err);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    return RZ_OK;
}

rz_status rz_db_copy_in_put(rz_db *db, const char *data, size_t len, rz_error *err)
{
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        if (PQputCopyData(db->conn, data, chunk) != 1)
            return db_error(db, NULL, err);
        data += chunk;
        len -= (size_t)chunk;
    }
    return RZ_OK;
}

static rz_status finish_results(rz_db *db, rz_error *err)
{
    rz_status rc = RZ_OK;
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (rc == RZ_OK && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
            rc = db_error(db, res, err);
        PQclear(res);
    }
    return rc;
}

rz_status rz_db_copy_in_end(rz_db *db, rz_error *err)
{
    if (PQputCopyEnd(db->conn, NULL) != 1)
        return db_error(db, NULL, err);
    return finish_results(db, err);
}

void rz_db_copy_in_abort(rz_db *db, const char *reason)
{
    if (db == NULL)
        return;
    if (PQputCopyEnd(db->conn, reason ? reason : "aborted") == 1)
        finish_results(db, NULL);
}

rz_status rz_db_copy_out(rz_db *db, const char *copy_sql, rz_copy_row_fn fn, void *user,
                         rz_error *err)
{
    PGresult *res = PQexec(db->conn, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        rz_status rc = db_error(db, res, err);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    char *row = NULL;
    int n;
    int stop = 0;
    while ((n = PQgetCopyData(db->conn, &row, 0)) > 0) {
        if (!stop)
            stop = fn(row, (size_t)n, user);
        PQfreemem(row);
        row = NULL;
    }
    if (n == -2)
        return db_error(db, NULL, err);
    rz_status rc = finish_results(db, err);
    if (rc == RZ_OK && stop)
        return rz_error_set(err, RZ_ECANCELLED, "copy stopped by the caller");
    return rc;
}

size_t rz_result_rows(const rz_result *res)
{
    return res ? (size_t)PQntuples(res->res) : 0;
}

size_t rz_result_cols(const rz_result *res)
{
    return res ? (size_t)PQnfields(res->res) : 0;
}

const char *rz_result_value(const rz_result *res, size_t row, size_t col)
{
    if (res == NULL || row >= rz_result_rows(res) || col >= rz_result_cols(res))
        return NULL;
    if (PQgetisnull(res->res, (int)row, (int)col))
        return NULL;
    return PQgetvalue(res->res, (int)row, (int)col);
}

const char *rz_result_colname(const rz_result *res, size_t col)
{
    if (res == NULL || col >= rz_result_cols(res))
        return NULL;
    return PQfname(res->res, (int)col);
}

size_t rz_result_affected(const rz_result *res)
{
    if (res == NULL)
        return 0;
    const char *n = PQcmdTuples(res->res);
    if (n == NULL || n[0] == '\0')
        return 0;
    return (size_t)strtoull(n, NULL, 10);
}

void rz_result_free(rz_result *res)
{
    if (res == NULL)
        return;
    PQclear(res->res);
    free(res);
}

size_t rz_copy_escape(char *buf, size_t cap, const char *value, size_t len)
{
    size_t need = 0;
    if (value == NULL) {
        if (cap >= 2) {
            buf[0] = '\\';
            buf[1] = 'N';
        }
        return 2;
    }
    for (size_t i = 0; i < len; i++) {
        char c = value[i];
        char esc = 0;
        switch (c) {
        case '\\':
            esc = '\\';
            break;
        case '\t':
            esc = 't';
            break;
        case '\n':
            esc = 'n';
            break;
        case '\r':
            esc = 'r';
            break;
        default:
            break;
        }
        if (esc) {
            if (need + 2 <= cap) {
                buf[need] = '\\';
                buf[need + 1] = esc;
            }
            need += 2;
        } else {
            if (need + 1 <= cap)
                buf[need] = c;
            need += 1;
        }
    }
    return need;
}

/* ---- notifications and cancellation (the job queue) ------------------------------------------ */

rz_status rz_db_wait_notify(rz_db *db, double timeout_seconds, bool *notified, rz_error *err)
{
    *notified = false;
    if (PQconsumeInput(db->conn) == 0)
        return rz_error_set(err, RZ_EDBCONN, "connection lost: %s", PQerrorMessage(db->conn));
    PGnotify *n = PQnotifies(db->conn);
    if (n == NULL) {
        int sock = PQsocket(db->conn);
        if (sock < 0)
            return rz_error_set(err, RZ_EDBCONN, "connection lost");
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(sock, &fds);
        struct timeval tv = {
            (time_t)timeout_seconds,
            (suseconds_t)((timeout_seconds - (double)(time_t)timeout_seconds) * 1e6)};
        if (select(sock + 1, &fds, NULL, NULL, &tv) < 0)
            return RZ_OK; /* a signal: the caller checks its stop flag */
        if (PQconsumeInput(db->conn) == 0)
            return rz_error_set(err, RZ_EDBCONN, "connection lost: %s", PQerrorMessage(db->conn));
        n = PQnotifies(db->conn);
    }
    while (n != NULL) {
        *notified = true;
        PQfreemem(n);
        n = PQnotifies(db->conn);
    }
    return RZ_OK;
}

void rz_db_cancel(rz_db *db)
{
    if (db == NULL || db->cancel == NULL)
        return;
    char buf[256];
    PQcancel(db->cancel, buf, (int)sizeof buf); /* thread-safe, unlike PQgetCancel */
}
