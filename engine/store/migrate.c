/*
 * migrate.c: numbered SQL migrations, applied in order inside transactions and recorded with
 * an XXH3-128 checksum of the file, so that an edited applied migration is detected.
 */
#include "rozshuk/migrate.h"

#include "migrate_builtin.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MIGRATION_FILE_MAX (4u << 20)
#define MIGRATION_LOCK_KEY "7315290017" /* pg_advisory_lock key: "rozshuk migrations" */

struct migration {
    char *name;
    char *sql;
    char checksum[33];
};

struct rz_migration_set {
    struct migration *items;
    size_t count;
};

static const char CREATE_TABLE[] = "CREATE SCHEMA IF NOT EXISTS rozshuk; "
                                   "CREATE TABLE IF NOT EXISTS rozshuk.schema_migrations ("
                                   " name text PRIMARY KEY,"
                                   " checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{32}$'),"
                                   " applied_at timestamptz NOT NULL DEFAULT now(),"
                                   " applied_by text NOT NULL DEFAULT current_user)";

static void checksum_hex(const char *sql, char out[33])
{
    XXH128_hash_t h = XXH3_128bits(sql, strlen(sql));
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

static rz_status set_add(rz_migration_set *set, const char *name, char *sql_owned, rz_error *err)
{
    struct migration *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(sql_owned);
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading migrations");
    }
    set->items = grown;
    struct migration *m = &set->items[set->count];
    m->name = strdup(name);
    m->sql = sql_owned;
    if (m->name == NULL) {
        free(sql_owned);
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading migrations");
    }
    checksum_hex(m->sql, m->checksum);
    set->count++;
    return RZ_OK;
}

rz_status rz_migrations_builtin(rz_migration_set **out, rz_error *err)
{
    *out = NULL;
    rz_migration_set *set = calloc(1, sizeof *set);
    if (set == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading migrations");
    for (size_t i = 0; i < rz__builtin_migration_count; i++) {
        char *sql = strdup(rz__builtin_migrations[i].sql);
        if (sql == NULL) {
            rz_migration_set_free(set);
            return rz_error_set(err, RZ_ENOMEM, "out of memory reading migrations");
        }
        rz_status st = set_add(set, rz__builtin_migrations[i].name, sql, err);
        if (st != RZ_OK) {
            rz_migration_set_free(set);
            return st;
        }
    }
    *out = set;
    return RZ_OK;
}

static int is_migration_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 9 || strcmp(name + n - 4, ".sql") != 0)
        return 0;
    for (int i = 0; i < 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    return name[4] == '_';
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct migration *)a)->name, ((const struct migration *)b)->name);
}

static rz_status read_file(const char *path, char **out, rz_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return rz_error_set(err, RZ_EIO, "cannot read %s: %s", path, strerror(errno));
    char *buf = malloc(MIGRATION_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading %s", path);
    }
    size_t n = fread(buf, 1, MIGRATION_FILE_MAX + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return rz_error_set(err, RZ_EIO, "cannot read %s", path);
    }
    if (n > MIGRATION_FILE_MAX) {
        free(buf);
        return rz_error_set(err, RZ_ETOOLONG, "%s is larger than 4 MiB", path);
    }
    buf[n] = '\0';
    *out = buf;
    return RZ_OK;
}

rz_status rz_migrations_from_dir(const char *dir, rz_migration_set **out, rz_error *err)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (d == NULL)
        return rz_error_set(err, RZ_EIO, "cannot open migrations folder %s: %s", dir,
                            strerror(errno));
    rz_migration_set *set = calloc(1, sizeof *set);
    rz_status st = set ? RZ_OK : rz_error_set(err, RZ_ENOMEM, "out of memory");
    struct dirent *e;
    while (st == RZ_OK && (e = readdir(d)) != NULL) {
        if (!is_migration_name(e->d_name))
            continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) {
            st = rz_error_set(err, RZ_ETOOLONG, "path too long in %s", dir);
            break;
        }
        char *sql;
        st = read_file(path, &sql, err);
        if (st == RZ_OK)
            st = set_add(set, e->d_name, sql, err);
    }
    closedir(d);
    if (st != RZ_OK) {
        rz_migration_set_free(set);
        return st;
    }
    qsort(set->items, set->count, sizeof *set->items, by_name);
    *out = set;
    return RZ_OK;
}

void rz_migration_set_free(rz_migration_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].name);
        free(set->items[i].sql);
    }
    free(set->items);
    free(set);
}

size_t rz_migration_set_count(const rz_migration_set *set)
{
    return set ? set->count : 0;
}

const char *rz_migration_set_name(const rz_migration_set *set, size_t i)
{
    return set && i < set->count ? set->items[i].name : NULL;
}

const char *rz_migration_state_name(rz_migration_state state)
{
    switch (state) {
    case RZ_MIGRATION_APPLIED:
        return "applied";
    case RZ_MIGRATION_PENDING:
        return "pending";
    case RZ_MIGRATION_CHANGED:
        return "changed";
    case RZ_MIGRATION_MISSING:
        return "missing";
    }
    return "unknown";
}

/* Reads the applied migrations; NULL result (and RZ_OK) when the table does not exist yet. */
static rz_status applied_list(rz_db *db, rz_result **out, rz_error *err)
{
    *out = NULL;
    rz_result *res = NULL;
    rz_status st = rz_db_exec(db, "SELECT to_regclass('rozshuk.schema_migrations') IS NOT NULL", 0,
                              NULL, &res, err);
    if (st != RZ_OK)
        return st;
    int exists = strcmp(rz_result_value(res, 0, 0), "t") == 0;
    rz_result_free(res);
    if (!exists)
        return RZ_OK;
    return rz_db_exec(db,
                      "SELECT name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ') "
                      "FROM rozshuk.schema_migrations ORDER BY name",
                      0, NULL, out, err);
}

static const struct migration *find(const rz_migration_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

static const char *applied_at(const rz_result *applied, const char *name, const char **checksum)
{
    for (size_t r = 0; r < rz_result_rows(applied); r++)
        if (strcmp(rz_result_value(applied, r, 0), name) == 0) {
            *checksum = rz_result_value(applied, r, 1);
            return rz_result_value(applied, r, 2);
        }
    *checksum = NULL;
    return NULL;
}

/*
 * Walks the set and the applied rows in name order, reporting each; returns RZ_EMIGRATION
 * (with the first offending name in `err`) when something was changed or is missing.
 */
static rz_status walk(const rz_migration_set *set, const rz_result *applied, rz_migration_fn fn,
                      void *user, rz_error *err)
{
    rz_status verdict = RZ_OK;
    for (size_t i = 0; i < set->count; i++) {
        const struct migration *m = &set->items[i];
        const char *sum = NULL;
        const char *when = applied ? applied_at(applied, m->name, &sum) : NULL;
        rz_migration_state state = RZ_MIGRATION_PENDING;
        if (sum != NULL)
            state = strcmp(sum, m->checksum) == 0 ? RZ_MIGRATION_APPLIED : RZ_MIGRATION_CHANGED;
        if (state == RZ_MIGRATION_CHANGED && verdict == RZ_OK)
            verdict = rz_error_set(err, RZ_EMIGRATION,
                                   "migration %s was changed after it was applied (recorded "
                                   "checksum %s, file now %s); restore the file and put the "
                                   "change in a new migration",
                                   m->name, sum, m->checksum);
        if (fn)
            fn(m->name, state, when, user);
    }
    for (size_t r = 0; applied && r < rz_result_rows(applied); r++) {
        const char *name = rz_result_value(applied, r, 0);
        if (find(set, name) != NULL)
            continue;
        if (verdict == RZ_OK)
            verdict = rz_error_set(err, RZ_EMIGRATION,
                                   "migration %s is applied in the database but this rozshuk "
                                   "does not have it: is the database newer than the program?",
                                   name);
        if (fn)
            fn(name, RZ_MIGRATION_MISSING, rz_result_value(applied, r, 2), user);
    }
    return verdict;
}

rz_status rz_migrate_status(rz_db *db, const rz_migration_set *set, rz_migration_fn fn, void *user,
                            rz_error *err)
{
    rz_result *applied = NULL;
    rz_status st = applied_list(db, &applied, err);
    if (st != RZ_OK)
        return st;
    st = walk(set, applied, fn, user, err);
    rz_result_free(applied);
    return st;
}

static rz_status apply_one(rz_db *db, const struct migration *m, rz_error *err)
{
    rz_status st = rz_db_begin(db, err);
    if (st != RZ_OK)
        return st;
    st = rz_db_exec_script(db, m->sql, err);
    if (st != RZ_OK) {
        char inner[RZ_ERROR_MESSAGE_MAX];
        snprintf(inner, sizeof inner, "%s", err ? err->message : "");
        char state[6] = "";
        if (err)
            memcpy(state, err->sqlstate, sizeof state);
        rz_db_rollback(db);
        rz_error_set(err, st, "migration %s failed and was rolled back: %s", m->name, inner);
        if (err)
            memcpy(err->sqlstate, state, sizeof state);
        return st;
    }
    const char *params[2] = {m->name, m->checksum};
    st = rz_db_exec(db, "INSERT INTO rozshuk.schema_migrations (name, checksum) VALUES ($1, $2)", 2,
                    params, NULL, err);
    if (st == RZ_OK)
        st = rz_db_commit(db, err);
    if (st != RZ_OK)
        rz_db_rollback(db);
    return st;
}

rz_status rz_migrate_apply(rz_db *db, const rz_migration_set *set, rz_migration_fn fn, void *user,
                           size_t *applied_count, rz_error *err)
{
    if (applied_count)
        *applied_count = 0;
    rz_status st =
        rz_db_exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0, NULL, NULL, err);
    if (st != RZ_OK)
        return st;
    st = rz_db_exec_script(db, CREATE_TABLE, err);
    rz_result *applied = NULL;
    if (st == RZ_OK)
        st = applied_list(db, &applied, err);
    if (st == RZ_OK)
        st = walk(set, applied, NULL, NULL, err);
    for (size_t i = 0; st == RZ_OK && i < set->count; i++) {
        const char *sum = NULL;
        if (applied_at(applied, set->items[i].name, &sum) != NULL || sum != NULL)
            continue;
        st = apply_one(db, &set->items[i], err);
        if (st == RZ_OK) {
            if (applied_count)
                (*applied_count)++;
            if (fn)
                fn(set->items[i].name, RZ_MIGRATION_APPLIED, "now", user);
        }
    }
    rz_result_free(applied);
    rz_db_exec(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", 0, NULL, NULL, NULL);
    return st;
}
