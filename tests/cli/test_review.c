/* test_review.c: `rozshuk review` one pair, a CSV of decisions, and a pair's history. */
#include <criterion/criterion.h>

#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    const char *sql[] = {
        "INSERT INTO source (name) VALUES ('npu'), ('icrc')",
        "INSERT INTO batch (source_id, kind, file_name, format) VALUES (1, 'missing', 'a.csv', "
        "'csv')",
        "INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash) "
        "VALUES (1, 'NPU-0000018', 1, 'missing', '{}', '0123456789abcdef'), "
        "(2, 'A-77', 1, 'remains', '{}', '0123456789abcdef'), "
        "(2, 'A-78', 1, 'remains', '{}', '0123456789abcdef')",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        cr_assert_eq(rz_db_exec(db, sql[i], 0, NULL, NULL, &err), RZ_OK, "%s", err.message);
    rz_db_close(db);
}

static void teardown(void)
{
    rzt_db_drop(conninfo);
}

TestSuite(cli_review, .init = setup, .fini = teardown, .timeout = 60);

static rzt_proc run(const char *const *args)
{
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    return p;
}

Test(cli_review, decide_then_read_the_history)
{
    const char *a[] = {"review",          "--db",       conninfo,      "npu:NPU-0000018",
                       "icrc:A-77",       "--decision", "exclude",     "--by",
                       "Оксана Петренко", "--note",     "інший зріст", NULL};
    rzt_proc p = run(a);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "exclude"), "%s", p.out);
    rzt_proc_free(&p);
    const char *b[] = {"review",     "--db",    conninfo, "icrc:A-77",    "npu:NPU-0000018",
                       "--decision", "confirm", "--by",   "Ігор Мельник", NULL};
    p = run(b);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    const char *h[] = {"review",          "--db",   conninfo, "--history", "icrc:A-77",
                       "npu:NPU-0000018", "--json", NULL};
    p = run(h);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    const char *first = strstr(p.out, "\"decision\":\"exclude\"");
    const char *second = strstr(p.out, "\"decision\":\"confirm\"");
    cr_assert(first && second && first < second, "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"note\":\"інший зріст\",\"in_force\":false"), "%s", p.out);
    cr_assert_not_null(strstr(second, "\"in_force\":true"), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_review, usage_errors_name_what_is_missing)
{
    const char *a[] = {"review",     "--db",  conninfo, "npu:NPU-0000018", "icrc:A-77",
                       "--decision", "maybe", "--by",   "Оксана Петренко", NULL};
    rzt_proc p = run(a);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "--decision"), "%s", p.err);
    rzt_proc_free(&p);
    const char *b[] = {"review",     "--db",    conninfo, "npu:NPU-0000018", "icrc:A-99",
                       "--decision", "exclude", "--by",   "Оксана Петренко", NULL};
    p = run(b);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "no record icrc:A-99"), "%s", p.err);
    rzt_proc_free(&p);
}

Test(cli_review, a_csv_with_one_bad_line_records_nothing_and_names_the_line)
{
    char path[256];
    cr_assert_eq(rzt_write_temp("record_a,record_b,decision,by,note\n"
                                "npu:NPU-0000018,icrc:A-77,exclude,Оксана Петренко,\"зріст, вік\"\n"
                                "npu:NPU-0000018,icrc:A-78,perhaps,Оксана Петренко,\n",
                                path, sizeof path),
                 0);
    const char *a[] = {"review", "--db", conninfo, "--file", path, NULL};
    rzt_proc p = run(a);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "line 3, field decision"), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "nothing recorded"), "%s", p.err);
    rzt_proc_free(&p);
    const char *h[] = {"review", "--db", conninfo, "--history", "1", "2", NULL};
    p = run(h);
    cr_assert_not_null(strstr(p.out, "no decisions"), "%s", p.out);
    rzt_proc_free(&p);

    cr_assert_eq(rzt_write_temp("record_a,record_b,decision,note\n"
                                "npu:NPU-0000018,icrc:A-77,exclude,\"зріст, вік\"\n"
                                "npu:NPU-0000018,icrc:A-78,unsure,\n",
                                path, sizeof path),
                 0);
    const char *b[] = {"review", "--db", conninfo, "--file", path, "--by", "Ігор Мельник", NULL};
    p = run(b);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "recorded 2 decisions"), "%s", p.out);
    rzt_proc_free(&p);
    remove(path);
}
