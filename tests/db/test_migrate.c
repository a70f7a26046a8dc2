/* test_migrate.c: schema migrations against the private PostgreSQL (a fresh database each). */
#include <criterion/criterion.h>

#include "rozshuk/migrate.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char conninfo[256];
static rz_db *db;

static void setup(void)
{
    cr_assert_eq(rzt_db_create(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
}

static void teardown(void)
{
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

static long count(const char *sql)
{
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, &res, &err), RZ_OK, "%s", err.message);
    long n = strtol(rz_result_value(res, 0, 0), NULL, 10);
    rz_result_free(res);
    return n;
}

TestSuite(migrate, .init = setup, .fini = teardown, .timeout = 60);

Test(migrate, empty_database_gets_schema_v1_and_second_run_does_nothing)
{
    rz_migration_set *set = NULL;
    rz_error err;
    size_t applied = 0;
    cr_assert_eq(rz_migrations_builtin(&set, &err), RZ_OK);
    cr_assert_geq(rz_migration_set_count(set), 1);
    cr_assert_str_eq(rz_migration_set_name(set, 0), "0001_init.sql");
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, &applied, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(applied, rz_migration_set_count(set));
    const char *tables[] = {"source",     "batch",      "person", "person_name",
                            "person_key", "identifier", "audit",  "schema_migrations"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        const char *p[1] = {tables[i]};
        rz_result *res = NULL;
        cr_assert_eq(rz_db_exec(db,
                                "SELECT count(*) FROM pg_tables WHERE schemaname = 'rozshuk' "
                                "AND tablename = $1",
                                1, p, &res, &err),
                     RZ_OK);
        cr_assert_str_eq(rz_result_value(res, 0, 0), "1", "table %s missing", tables[i]);
        rz_result_free(res);
    }
    cr_assert_eq(count("SELECT count(*) FROM pg_roles WHERE rolname IN ('rozshuk_admin', "
                       "'rozshuk_loader', 'rozshuk_matcher', 'rozshuk_investigator')"),
                 4);
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, &applied, &err), RZ_OK);
    cr_assert_eq(applied, 0, "second run must apply nothing");
    cr_assert_eq(count("SELECT count(*) FROM rozshuk.schema_migrations"),
                 (long)rz_migration_set_count(set));
    rz_migration_set_free(set);
}

static size_t changed_seen;
static size_t pending_seen;
static void note_state(const char *name, rz_migration_state st, const char *at, void *user)
{
    (void)name;
    (void)at;
    (void)user;
    if (st == RZ_MIGRATION_CHANGED)
        changed_seen++;
    if (st == RZ_MIGRATION_PENDING)
        pending_seen++;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(migrate, edited_applied_migration_is_refused_with_its_name)
{
    char dir[] = "/tmp/rzt-mig-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/0001_a.sql", dir);
    snprintf(b, sizeof b, "%s/0002_b.sql", dir);
    write_file(a, "CREATE TABLE rozshuk.t_a (x int);");
    rz_migration_set *set = NULL;
    rz_error err;
    cr_assert_eq(rz_migrations_from_dir(dir, &set, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, NULL, &err), RZ_OK, "%s", err.message);
    rz_migration_set_free(set);

    /* a new migration is pending; the edited old one is refused, and nothing is applied */
    write_file(a, "CREATE TABLE rozshuk.t_a (x bigint);");
    write_file(b, "CREATE TABLE rozshuk.t_b (y int);");
    cr_assert_eq(rz_migrations_from_dir(dir, &set, &err), RZ_OK);
    changed_seen = pending_seen = 0;
    cr_assert_eq(rz_migrate_status(db, set, note_state, NULL, &err), RZ_EMIGRATION);
    cr_assert_eq(changed_seen, 1);
    cr_assert_eq(pending_seen, 1);
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, NULL, &err), RZ_EMIGRATION);
    cr_assert_not_null(strstr(err.message, "0001_a.sql"), "message: %s", err.message);
    cr_assert_eq(count("SELECT count(*) FROM pg_tables WHERE tablename = 't_b'"), 0);
    rz_migration_set_free(set);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

Test(migrate, failing_migration_rolls_back_and_is_not_recorded)
{
    char dir[] = "/tmp/rzt-mig-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char a[512];
    snprintf(a, sizeof a, "%s/0001_broken.sql", dir);
    write_file(a, "CREATE TABLE rozshuk.half (x int); SELECT no_such_function();");
    rz_migration_set *set = NULL;
    rz_error err;
    cr_assert_eq(rz_migrations_from_dir(dir, &set, &err), RZ_OK);
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, NULL, &err), RZ_EDB);
    cr_assert_str_eq(err.sqlstate, "42883");
    cr_assert_not_null(strstr(err.message, "0001_broken.sql"));
    cr_assert_eq(count("SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);
    cr_assert_eq(count("SELECT count(*) FROM rozshuk.schema_migrations"), 0);
    rz_migration_set_free(set);
    unlink(a);
    rmdir(dir);
}

Test(migrate, constraints_keep_bad_records_out)
{
    rz_migration_set *set = NULL;
    rz_error err;
    cr_assert_eq(rz_migrations_builtin(&set, &err), RZ_OK);
    cr_assert_eq(rz_migrate_apply(db, set, NULL, NULL, NULL, &err), RZ_OK);
    rz_migration_set_free(set);
    cr_assert_eq(rz_db_exec_script(db,
                                   "INSERT INTO source (name) VALUES ('npu');"
                                   "INSERT INTO batch (source_id, kind, file_name, format) "
                                   "VALUES (1, 'missing', 'a.csv', 'csv');",
                                   &err),
                 RZ_OK, "%s", err.message);
    const char *bad[] = {
        /* unknown kind */
        "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash) "
        "VALUES (1, 'x1', 1, 'ghost', '{}', '0123456789abcdef')",
        /* birth range reversed */
        "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash, "
        "birth_from, birth_to, birth_precision) VALUES (1, 'x2', 1, 'missing', '{}', "
        "'0123456789abcdef', '1990-01-01', '1980-01-01', 'range')",
        /* a date without its precision */
        "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash, "
        "birth_from, birth_to) VALUES (1, 'x3', 1, 'missing', '{}', '0123456789abcdef', "
        "'1980-01-01', '1980-01-01')",
        /* loaded batch whose counts do not add up */
        "UPDATE batch SET state = 'loaded', rows_read = 3, rows_loaded = 1",
        /* audit rows are never changed */
        "INSERT INTO audit (action) VALUES ('test.write'); UPDATE audit SET actor = 'x'",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_neq(rz_db_exec_script(db, bad[i], &err), RZ_OK, "accepted: %s", bad[i]);
    cr_assert_eq(rz_db_exec_script(db,
                                   "INSERT INTO person (source_id, source_record_id, batch_id, "
                                   "kind, raw, row_hash, birth_from, birth_to, birth_precision)"
                                   " VALUES (1, 'ok', 1, 'missing', '{}', '0123456789abcdef', "
                                   "'1985-03-01', '1985-03-31', 'month')",
                                   &err),
                 RZ_OK, "%s", err.message);
}

Test(migrate, dead_server_is_a_connection_error_not_a_crash)
{
    rz_db *none = NULL;
    rz_error err;
    rz_status st =
        rz_db_open("host=/nonexistent-rozshuk-socket dbname=x connect_timeout=2", &none, &err);
    cr_assert_eq(st, RZ_EDBCONN);
    cr_assert_null(none);
    cr_assert_not_null(strstr(err.message, "/nonexistent-rozshuk-socket"), "%s", err.message);
}
