/* test_cli.c: the rozshuk binary as a user drives it: help, version, exit codes, db commands. */
#include <criterion/criterion.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Test(cli, help_lists_commands_and_exits_zero)
{
    const char *args[] = {"--help", NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "usage: rozshuk"));
    cr_assert_not_null(strstr(p.out, "db "));
    rzt_proc_free(&p);
}

Test(cli, version_prints_the_version)
{
    const char *args[] = {"--version", NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "rozshuk 0."));
    rzt_proc_free(&p);
}

Test(cli, no_arguments_and_unknown_commands_are_usage_errors)
{
    const char *none[] = {NULL};
    rzt_proc p = rzt_run_ok(none);
    cr_assert_eq(p.exit_code, 2);
    rzt_proc_free(&p);
    const char *args[] = {"frobnicate", NULL};
    p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "unknown command 'frobnicate'"));
    rzt_proc_free(&p);
    const char *bad[] = {"db", "explode", NULL};
    p = rzt_run_ok(bad);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "unknown action 'explode'"));
    rzt_proc_free(&p);
    const char *badopt[] = {"db", "status", "--bogus", NULL};
    p = rzt_run_ok(badopt);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "--bogus"));
    rzt_proc_free(&p);
}

Test(cli, every_command_has_help)
{
    const char *args[] = {"db", "--help", NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "rozshuk db migrate"));
    rzt_proc_free(&p);
}

Test(cli, dead_database_is_a_clear_error_with_exit_1, .timeout = 30)
{
    const char *args[] = {"db", "status", "--db", "host=/tmp/rozshuk-no-such-dir dbname=x", NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 1, "exit %d, stderr: %s", p.exit_code, p.err);
    cr_assert_not_null(strstr(p.err, "cannot connect to PostgreSQL"), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "/tmp/rozshuk-no-such-dir"), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "scripts/pg start"), "%s", p.err);
    rzt_proc_free(&p);
}

Test(cli, migrate_then_status_then_migrate_again, .timeout = 60)
{
    char conninfo[256];
    cr_assert_eq(rzt_db_create(conninfo, sizeof conninfo), 0);
    const char *status[] = {"db", "status", "--db", conninfo, NULL};
    rzt_proc p = rzt_run_ok(status);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "pending  0001_init.sql"), "%s", p.out);
    rzt_proc_free(&p);

    const char *migrate[] = {"db", "migrate", "--db", conninfo, NULL};
    p = rzt_run_ok(migrate);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "applied  0001_init.sql"), "%s", p.out);
    rzt_proc_free(&p);

    p = rzt_run_ok(migrate);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "up to date"), "%s", p.out);
    rzt_proc_free(&p);

    const char *json[] = {"db", "status", "--json", "--db", conninfo, NULL};
    p = rzt_run_ok(json);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "{\"migration\":\"0001_init.sql\",\"state\":\"applied\""),
                       "%s", p.out);
    rzt_proc_free(&p);
    rzt_db_drop(conninfo);
}

Test(cli, edited_migration_makes_migrate_and_status_fail, .timeout = 60)
{
    char conninfo[256];
    cr_assert_eq(rzt_db_create(conninfo, sizeof conninfo), 0);
    char dir[] = "/tmp/rzt-cli-XXXXXX", file[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/0001_first.sql", dir);
    FILE *f = fopen(file, "w");
    fputs("CREATE TABLE rozshuk.first (x int);\n", f);
    fclose(f);
    const char *migrate[] = {"db", "migrate", "--migrations", dir, "--db", conninfo, NULL};
    rzt_proc p = rzt_run_ok(migrate);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    f = fopen(file, "w");
    fputs("CREATE TABLE rozshuk.first (x text);\n", f);
    fclose(f);
    p = rzt_run_ok(migrate);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "0001_first.sql was changed after it was applied"), "%s",
                       p.err);
    rzt_proc_free(&p);
    const char *status[] = {"db", "status", "--migrations", dir, "--db", conninfo, NULL};
    p = rzt_run_ok(status);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.out, "changed  0001_first.sql"), "%s", p.out);
    rzt_proc_free(&p);
    unlink(file);
    rmdir(dir);
    rzt_db_drop(conninfo);
}
