/* test_audit.c: `rozshuk audit` as an admin and as an investigator would run it. */
#include <criterion/criterion.h>

#include "rozshuk/audit.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char conninfo[256];
static char role[64];

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_audit_write(db, "Оксана Петренко", "search", NULL, NULL,
                                "{\"query\": \"Klymenko Oleksandr\"}", &err),
                 RZ_OK, "%s", err.message);
    cr_assert_eq(rz_audit_write(db, "Ігор Мельник", "decision.record", "candidate", "12",
                                "{\"decision\": \"exclude\"}", &err),
                 RZ_OK, "%s", err.message);
    snprintf(role, sizeof role, "rzt_%ld_%ld_cli_inv", (long)getpid(), (long)(random() % 100000));
    char sql[200];
    snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN IN ROLE rozshuk_investigator", role);
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, NULL, &err), RZ_OK, "%s", err.message);
    rz_db_close(db);
}

static void teardown(void)
{
    rzt_db_drop(conninfo);
    rz_db *db = NULL;
    if (rz_db_open(NULL, &db, NULL) != RZ_OK)
        return;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s", role);
    rz_db_exec(db, sql, 0, NULL, NULL, NULL);
    rz_db_close(db);
}

TestSuite(cli_audit, .init = setup, .fini = teardown, .timeout = 60);

Test(cli_audit, admin_lists_rows_as_json_lines_filtered_by_who)
{
    rzt_proc p;
    const char *all[] = {"audit", "--db", conninfo, "--json", NULL};
    cr_assert_eq(rzt_run(all, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "\"action\":\"search\""), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"actor\":\"Оксана Петренко\""), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"detail\":{\"decision\": \"exclude\"}"), "%s", p.out);
    rzt_proc_free(&p);

    const char *who[] = {"audit", "--db", conninfo, "--json", "--who", "Ігор Мельник", NULL};
    cr_assert_eq(rzt_run(who, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_null(strstr(p.out, "Оксана"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"object_id\":\"12\""), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_audit, investigator_is_told_the_audit_is_for_admins)
{
    char ci[400];
    snprintf(ci, sizeof ci, "%s user=%s", conninfo, role);
    const char *args[] = {"audit", "--db", ci, NULL};
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "rozshuk_admin"), "%s", p.err);
    cr_assert_str_eq(p.out, "");
    rzt_proc_free(&p);
}

Test(cli_audit, unreadable_since_and_bad_limit_are_usage_errors)
{
    const char *since[] = {"audit", "--db", conninfo, "--since", "в минулий вівторок", NULL};
    rzt_proc p;
    cr_assert_eq(rzt_run(since, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 2, "%s", p.err);
    cr_assert_not_null(strstr(p.err, "--since"), "%s", p.err);
    rzt_proc_free(&p);
    const char *limit[] = {"audit", "--db", conninfo, "--limit", "-5", NULL};
    cr_assert_eq(rzt_run(limit, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 2);
    rzt_proc_free(&p);
}
