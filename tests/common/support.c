/* support.c: process and database helpers for the criterion suites. */
#include "support.h"

#include <criterion/criterion.h>

#include "rozshuk/migrate.h"
#include "rozshuk/store.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sink {
    char *data;
    size_t len, cap;
};

static int sink_add(struct sink *s, const char *buf, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *d = realloc(s->data, cap);
        if (d == NULL)
            return -1;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, buf, n);
    s->len += n;
    s->data[s->len] = '\0';
    return 0;
}

static void child(const char *bin, const char *const *args, const char *const *env, int in, int out,
                  int err)
{
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (eq == NULL) {
            unsetenv(env[i]);
            continue;
        }
        char name[256];
        size_t n = (size_t)(eq - env[i]);
        if (n >= sizeof name)
            continue;
        memcpy(name, env[i], n);
        name[n] = '\0';
        setenv(name, eq + 1, 1);
    }
    size_t argc = 0;
    while (args[argc])
        argc++;
    char **argv = calloc(argc + 2, sizeof *argv);
    if (argv == NULL)
        _exit(127);
    argv[0] = (char *)bin;
    for (size_t i = 0; i < argc; i++)
        argv[i + 1] = (char *)args[i];
    execv(bin, argv);
    _exit(127);
}

int rzt_run(const char *const *args, const char *input, const char *const *env, rzt_proc *out)
{
    memset(out, 0, sizeof *out);
    const char *bin = getenv("ROZSHUK_BIN");
    if (bin == NULL)
        return -1;
    int pin[2], pout[2], perr[2];
    if (pipe(pin) || pipe(pout) || pipe(perr))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(pin[1]);
        close(pout[0]);
        close(perr[0]);
        child(bin, args, env, pin[0], pout[1], perr[1]);
    }
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    struct sink so = {0}, se = {0};
    sink_add(&so, "", 0);
    sink_add(&se, "", 0);
    size_t in_len = input ? strlen(input) : 0, in_off = 0;
    if (in_len == 0)
        close(pin[1]);
    else
        fcntl(pin[1], F_SETFL, O_NONBLOCK);
    int open_out = 2;
    while (open_out > 0 || in_off < in_len) {
        struct pollfd fds[3] = {{pout[0], POLLIN, 0},
                                {perr[0], POLLIN, 0},
                                {in_off < in_len ? pin[1] : -1, POLLOUT, 0}};
        if (poll(fds, 3, -1) < 0 && errno != EINTR)
            break;
        char buf[65536];
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                if (i == 0)
                    pout[0] = -1;
                else
                    perr[0] = -1;
                open_out--;
            } else {
                sink_add(i == 0 ? &so : &se, buf, (size_t)n);
            }
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(pin[1], input + in_off, in_len - in_off);
            if (n > 0)
                in_off += (size_t)n;
            if (n < 0 && errno != EAGAIN)
                in_off = in_len;
            if (in_off >= in_len)
                close(pin[1]);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    out->out = so.data;
    out->err = se.data;
    return 0;
}

void rzt_proc_free(rzt_proc *p)
{
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}

int rzt_db_create(char *conninfo, size_t cap)
{
    static unsigned counter;
    char name[64];
    snprintf(name, sizeof name, "rzt_%ld_%u_%ld", (long)getpid(), counter++,
             (long)(random() % 100000));
    rz_db *db = NULL;
    if (rz_db_open(NULL, &db, NULL) != RZ_OK)
        return -1;
    /* The name is made here from digits, never from input: an identifier cannot be a parameter. */
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    rz_error err;
    int rc = rz_db_exec(db, sql, 0, NULL, NULL, &err) == RZ_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "rzt_db_create: %s\n", err.message);
    rz_db_close(db);
    snprintf(conninfo, cap, "dbname=%s", name);
    return rc;
}

void rzt_db_drop(const char *conninfo)
{
    const char *name = strchr(conninfo, '=');
    if (name == NULL)
        return;
    rz_db *db = NULL;
    if (rz_db_open(NULL, &db, NULL) != RZ_OK)
        return;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name + 1);
    rz_db_exec(db, sql, 0, NULL, NULL, NULL);
    rz_db_close(db);
}

int rzt_db_create_migrated(char *conninfo, size_t cap)
{
    if (rzt_db_create(conninfo, cap) != 0)
        return -1;
    rz_db *db = NULL;
    rz_migration_set *set = NULL;
    rz_error err;
    int rc = -1;
    if (rz_db_open(conninfo, &db, &err) == RZ_OK && rz_migrations_builtin(&set, &err) == RZ_OK &&
        rz_migrate_apply(db, set, NULL, NULL, NULL, &err) == RZ_OK)
        rc = 0;
    else
        fprintf(stderr, "rzt_db_create_migrated: %s\n", err.message);
    rz_migration_set_free(set);
    rz_db_close(db);
    return rc;
}

int rzt_write_temp(const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/rzt-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    close(fd);
    return 0;
}

long rzt_count(struct rz_db *db, const char *sql)
{
    rz_result *res = NULL;
    rz_error err;
    if (rz_db_exec(db, sql, 0, NULL, &res, &err) != RZ_OK)
        return -1;
    const char *v = rz_result_value(res, 0, 0);
    long n = v ? strtol(v, NULL, 10) : -1;
    rz_result_free(res);
    return n;
}

rzt_proc rzt_run_ok(const char *const *args)
{
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0, "cannot run $ROZSHUK_BIN");
    return p;
}
