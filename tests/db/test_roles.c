/*
 * test_roles.c: the four rozshuk roles in practice. Login roles are made for this run, granted
 * one group role each, and connect for real (session_user is the login role), then try what
 * their job needs and what it must not allow.
 */
#include <criterion/criterion.h>

#include "rozshuk/audit.h"
#include "rozshuk/jobs.h"
#include "rozshuk/load.h"
#include "rozshuk/names.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char conninfo[256];
static rz_db *super;
#define NROLES 5
static char role_name[NROLES][64];
static const char *const groups[NROLES] = {"rozshuk_investigator", "rozshuk_loader",
                                           "rozshuk_matcher", "rozshuk_admin", "rozshuk_worker"};
enum { INV, LOAD, MATCH, ADMIN, WORKER };

static void exec_ok(rz_db *db, const char *sql)
{
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, NULL, &err), RZ_OK, "%s: %s", sql, err.message);
}

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &super, &err), RZ_OK, "%s", err.message);
    for (int i = 0; i < NROLES; i++) {
        /* Names from digits and fixed words only: an identifier cannot be a parameter. */
        snprintf(role_name[i], sizeof role_name[i], "rzt_%ld_%ld_%s", (long)getpid(),
                 (long)(random() % 100000), groups[i] + strlen("rozshuk_"));
        char sql[256];
        snprintf(sql, sizeof sql, "CREATE ROLE %.63s LOGIN IN ROLE %s", role_name[i], groups[i]);
        exec_ok(super, sql);
    }
    /* One record for the readers to find. */
    exec_ok(super, "INSERT INTO source (name) VALUES ('police.kyiv')");
    exec_ok(super, "INSERT INTO batch (source_id, kind, file_name, format) "
                   "VALUES (1, 'missing', 'missing-2024-03.csv', 'csv')");
    exec_ok(super,
            "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash) "
            "VALUES (1, 'KV-1042', 1, 'missing', "
            "'{\"ПІБ\": \"Клименко Олександр Іванович\"}', '0123456789abcdef')");
    exec_ok(super, "INSERT INTO person_name (person_id, written, surname, given, key_version) "
                   "VALUES (1, 'Клименко Олександр Іванович', 'Клименко', 'Олександр', 1)");
    exec_ok(super, "INSERT INTO person_key (person_id, kind, key, key_version) "
                   "VALUES (1, 'sur_skel', 'klimenko', 1)");
    exec_ok(super, "INSERT INTO batch_reject (batch_id, line, reason, raw) "
                   "VALUES (1, 7, 'birth date 31.02.1985 is not a date', "
                   "'Коваленко Марія;31.02.1985')");
}

static void teardown(void)
{
    rz_db_close(super);
    rzt_db_drop(conninfo);
    rz_db *db = NULL;
    if (rz_db_open(NULL, &db, NULL) != RZ_OK)
        return;
    for (int i = 0; i < NROLES; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %.63s", role_name[i]);
        rz_db_exec(db, sql, 0, NULL, NULL, NULL);
    }
    rz_db_close(db);
}

/* The conninfo of the test database as role `who`. */
static void conninfo_as(int who, char *ci, size_t cap)
{
    snprintf(ci, cap, "%s user=%s", conninfo, role_name[who]);
}

static rz_db *connect_as(int who)
{
    char ci[400];
    conninfo_as(who, ci, sizeof ci);
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(ci, &db, &err), RZ_OK, "%s", err.message);
    return db;
}

/* Runs `sql` and returns the SQLSTATE ("" on success) in a static buffer. */
static const char *try_sql(rz_db *db, const char *sql)
{
    static char state[6];
    rz_error err;
    rz_error_clear(&err);
    if (rz_db_exec(db, sql, 0, NULL, NULL, &err) == RZ_OK)
        state[0] = '\0';
    else
        memcpy(state, err.sqlstate, sizeof state);
    return state;
}

#define DENIED "42501"

TestSuite(roles, .init = setup, .fini = teardown, .timeout = 60);

Test(roles, investigator_searches_and_writes_audit_but_reads_no_audit_and_changes_nothing)
{
    rz_db *db = connect_as(INV);
    cr_assert_str_eq(try_sql(db, "SELECT p.source_record_id, n.written FROM person_key k "
                                 "JOIN person p ON p.id = k.person_id "
                                 "JOIN person_name n ON n.person_id = p.id "
                                 "WHERE k.kind = 'sur_skel' AND k.key = ANY('{klimenko}')"),
                     "");
    rz_error err;
    cr_assert_eq(rz_audit_write(db, "Оксана Петренко", "search", NULL, NULL,
                                "{\"query\": \"Клименко\"}", &err),
                 RZ_OK, "%s", err.message);
    cr_assert_str_eq(try_sql(db, "SELECT * FROM audit"), DENIED, "investigator read the audit");
    cr_assert_str_eq(try_sql(db, "UPDATE audit SET actor = 'someone else'"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM audit"), DENIED);
    cr_assert_str_eq(try_sql(db, "TRUNCATE audit"), DENIED);
    /* no loading, no changing or removing records */
    cr_assert_str_eq(try_sql(db, "INSERT INTO source (name) VALUES ('fake.source')"), DENIED);
    cr_assert_str_eq(try_sql(db, "UPDATE person SET sex = 'f'"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM person"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM person_key"), DENIED);
    /* no access to the loaded files' batches and rejected raw rows (bulk source data) */
    cr_assert_str_eq(try_sql(db, "SELECT * FROM batch"), DENIED);
    cr_assert_str_eq(try_sql(db, "SELECT raw FROM batch_reject"), DENIED);
    rz_db_close(db);
}

Test(roles, investigator_cannot_undo_a_batch)
{
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(super,
                            "SELECT to_regprocedure('rozshuk.batch_undo(bigint,boolean)') "
                            "IS NOT NULL",
                            0, NULL, &res, &err),
                 RZ_OK);
    bool have_undo = strcmp(rz_result_value(res, 0, 0), "t") == 0;
    rz_result_free(res);
    rz_db *db = connect_as(INV);
    if (have_undo)
        cr_assert_str_eq(try_sql(db, "SELECT rozshuk.batch_undo(1, true)"), DENIED);
    /* and whatever undo does underneath is refused too */
    cr_assert_str_eq(try_sql(db, "UPDATE batch SET state = 'undone' WHERE id = 1"), DENIED);
    rz_db_close(db);
    cr_assert_eq(rz_db_exec(super, "SELECT count(*) FROM person", 0, NULL, &res, &err), RZ_OK);
    cr_assert_str_eq(rz_result_value(res, 0, 0), "1", "the record must still be there");
    rz_result_free(res);
}

Test(roles, loader_loads_records_and_cannot_read_the_audit)
{
    rz_db *db = connect_as(LOAD);
    cr_assert_str_eq(try_sql(db, "INSERT INTO source (name) VALUES ('hospital.dnipro')"), "");
    cr_assert_str_eq(try_sql(db, "INSERT INTO batch (source_id, kind, file_name, format) "
                                 "VALUES (2, 'living', 'hospital-dnipro.csv', 'csv')"),
                     "");
    cr_assert_str_eq(
        try_sql(db, "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, "
                    "row_hash) VALUES (2, 'DN-77', 2, 'living', "
                    "'{\"name\": \"Shevchenko Mariia\"}', 'fedcba9876543210')"),
        "");
    rz_error err;
    cr_assert_eq(rz_audit_write(db, NULL, "batch.load", "batch", "2", NULL, &err), RZ_OK, "%s",
                 err.message);
    cr_assert_str_eq(try_sql(db, "SELECT * FROM audit"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM audit"), DENIED);
    rz_db_close(db);
}

Test(roles, loader_rekeys_old_names_and_investigator_or_matcher_cannot)
{
    rz_name_ctx *ctx = NULL;
    rz_error err;
    cr_assert_eq(rz_name_ctx_open(&ctx, &err), RZ_OK, "%s", err.message);
    rz_rekey_result r;
    int refused[] = {INV, MATCH};
    for (size_t i = 0; i < 2; i++) {
        rz_db *db = connect_as(refused[i]);
        rz_error_clear(&err);
        cr_assert_eq(rz_rekey(db, ctx, &r, &err), RZ_EDB, "%s may rekey", groups[refused[i]]);
        cr_assert_str_eq(err.sqlstate, DENIED, "%s", err.message);
        rz_db_close(db);
    }
    cr_assert_eq(rzt_count(super, "SELECT min(key_version) FROM person_name"), 1);
    rz_db *db = connect_as(LOAD);
    cr_assert_eq(rz_rekey(db, ctx, &r, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(r.names, 1);
    cr_assert_eq(r.records, 1);
    rz_db_close(db);
    cr_assert_eq(rzt_count(super, "SELECT min(key_version) FROM person_key"), RZ_KEY_VERSION);
    cr_assert_eq(rzt_count(super, "SELECT count(*) FROM person_key WHERE kind = 'given_canon'"
                                  " AND key = 'oleksandr'"),
                 1);
    rz_name_ctx_close(ctx);
}

Test(roles, matcher_reads_records_but_does_not_load_or_read_the_audit)
{
    rz_db *db = connect_as(MATCH);
    cr_assert_str_eq(try_sql(db, "SELECT written FROM person_name"), "");
    cr_assert_str_eq(try_sql(db, "SELECT key FROM person_key"), "");
    cr_assert_str_eq(try_sql(db, "INSERT INTO source (name) VALUES ('prisoners.list')"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM person"), DENIED);
    cr_assert_str_eq(try_sql(db, "SELECT * FROM audit"), DENIED);
    rz_error err;
    cr_assert_eq(rz_audit_write(db, "Ігор Мельник", "job.run", "job", "1", NULL, &err), RZ_OK);
    rz_db_close(db);
}

Test(roles, admin_reads_the_audit_but_cannot_change_or_delete_it)
{
    rz_error err;
    cr_assert_eq(rz_audit_write(super, NULL, "batch.load", "batch", "1", NULL, &err), RZ_OK);
    rz_db *db = connect_as(ADMIN);
    cr_assert_str_eq(try_sql(db, "SELECT * FROM audit"), "");
    cr_assert_str_eq(try_sql(db, "UPDATE audit SET actor = 'nobody'"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM audit"), DENIED);
    cr_assert_str_eq(try_sql(db, "TRUNCATE audit"), DENIED);
    rz_db_close(db);
    /* not even the superuser who owns the table, short of dropping the trigger */
    cr_assert_str_eq(try_sql(super, "DELETE FROM audit"), DENIED);
    rz_result *res = NULL;
    cr_assert_eq(rz_db_exec(super, "SELECT count(*) FROM audit", 0, NULL, &res, &err), RZ_OK);
    cr_assert_str_eq(rz_result_value(res, 0, 0), "1");
    rz_result_free(res);
}

Test(roles, audit_row_names_the_login_role_whatever_the_insert_claims)
{
    rz_db *db = connect_as(INV);
    cr_assert_str_eq(try_sql(db, "INSERT INTO audit (db_role, at, action) "
                                 "VALUES ('rozshuk_admin', '2001-01-01', 'search')"),
                     "");
    rz_db_close(db);
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(super, "SELECT db_role, at > now() - interval '1 hour' FROM audit", 0,
                            NULL, &res, &err),
                 RZ_OK);
    cr_assert_eq(rz_result_rows(res), 1);
    cr_assert_str_eq(rz_result_value(res, 0, 0), role_name[INV]);
    cr_assert_str_eq(rz_result_value(res, 0, 1), "t", "the forged time was kept");
    rz_result_free(res);
}

/* The samples of a police register and a hospital list, loaded with `rozshuk load`. */
static void load_samples(void)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    cr_assert_not_null(root);
    const char *files[2][3] = {{"npu-register", "missing", "missing_register_uk.csv"},
                               {"hospital-dnipro", "list", "hospital_ru.tsv"}};
    for (int i = 0; i < 2; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/data-samples/%s", root, files[i][2]);
        const char *args[] = {"load", "--source", files[i][0], "--kind", files[i][1],
                              "--db", conninfo,   path,        NULL};
        rzt_proc p;
        cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
        cr_assert_eq(p.exit_code, 0, "%s", p.err);
        rzt_proc_free(&p);
    }
}

Test(roles, worker_runs_tasks_and_writes_candidates_but_cannot_load_undo_or_read_the_audit)
{
    load_samples();
    rz_error err;
    rz_error_clear(&err);
    rz_match_options mo;
    rz_match_options_defaults(&mo);
    mo.mode = RZ_MODE_DEDUPE;
    mo.min_probability = 0.0;
    mo.partitions = 2;
    cr_assert_eq(rz_selection_parse("all", &mo.a, &err), RZ_OK);
    int64_t job = 0;
    cr_assert_eq(rz_job_submit(super, &mo, NULL, 0, 0, &job, &err), RZ_OK, "%s", err.message);

    /* A worker logged in with nothing but rozshuk_worker runs the whole job. */
    rz_name_ctx *names = NULL;
    cr_assert_eq(rz_name_ctx_open(&names, &err), RZ_OK, "%s", err.message);
    rz_worker_options wo;
    rz_worker_options_defaults(&wo);
    wo.once = true;
    wo.poll = 0.2;
    wo.backoff = 0.1;
    char ci[400];
    conninfo_as(WORKER, ci, sizeof ci);
    rz_worker_stats st;
    rz_status s = rz_worker_run(ci, names, &wo, &st, &err);
    rz_name_ctx_close(names);
    cr_assert_eq(s, RZ_OK, "%s", err.message);
    cr_assert_eq(st.tasks_failed, 0, "a task failed under the worker role");
    cr_assert_eq(st.tasks_done, 2);
    cr_assert_eq(st.jobs_finished, 1);
    char sql[200];
    rz_result *res = NULL;
    snprintf(sql, sizeof sql,
             "SELECT j.state, j.error, (SELECT count(*) FROM candidate c WHERE c.job_id = j.id),"
             " (SELECT db_role FROM worker) FROM job j WHERE j.id = %lld",
             (long long)job);
    cr_assert_eq(rz_db_exec(super, sql, 0, NULL, &res, &err), RZ_OK, "%s", err.message);
    cr_assert_str_eq(rz_result_value(res, 0, 0), "done", "job: %s", rz_result_value(res, 0, 1));
    cr_assert_gt(strtol(rz_result_value(res, 0, 2), NULL, 10), 0, "no candidate written");
    cr_assert_str_eq(rz_result_value(res, 0, 3), role_name[WORKER]);
    rz_result_free(res);

    /* and nothing beyond its job */
    rz_db *db = connect_as(WORKER);
    cr_assert_str_eq(try_sql(db, "SELECT * FROM audit"), DENIED, "the worker read the audit");
    cr_assert_str_eq(try_sql(db, "INSERT INTO source (name) VALUES ('prisoners.list')"), DENIED);
    cr_assert_str_eq(try_sql(db, "INSERT INTO batch (source_id, kind, file_name, format) "
                                 "VALUES (1, 'missing', 'list.csv', 'csv')"),
                     DENIED);
    cr_assert_str_eq(try_sql(db, "UPDATE person SET sex = 'f'"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM person"), DENIED);
    cr_assert_str_eq(try_sql(db, "DELETE FROM person_key"), DENIED);
    cr_assert_str_eq(try_sql(db, "SELECT rozshuk.batch_undo(1, true)"), DENIED,
                     "the worker undid a batch");
    cr_assert_str_eq(try_sql(db, "UPDATE batch SET state = 'undone' WHERE id = 1"), DENIED);
    cr_assert_str_eq(try_sql(db, "INSERT INTO decision (person_a, person_b, decision, decided_by) "
                                 "VALUES (1, 2, 'confirm', 'Ігор Мельник')"),
                     DENIED, "the worker decided on a pair");
    rz_db_close(db);

    /* the commands say so too */
    const char *undo[] = {"batch", "undo", "1", "--force", "--db", ci, NULL};
    const char *audit[] = {"audit", "--db", ci, NULL};
    const char *const *cmds[] = {undo, audit};
    for (int i = 0; i < 2; i++) {
        rzt_proc p;
        cr_assert_eq(rzt_run(cmds[i], NULL, NULL, &p), 0);
        cr_assert_eq(p.exit_code, 1, "rozshuk %s as the worker: %s", cmds[i][0], p.out);
        rzt_proc_free(&p);
    }
    cr_assert_eq(
        rz_db_exec(super, "SELECT count(*) FROM person WHERE batch_id = 1", 0, NULL, &res, &err),
        RZ_OK);
    cr_assert_str_eq(rz_result_value(res, 0, 0), "1", "the record must still be there");
    rz_result_free(res);
}
