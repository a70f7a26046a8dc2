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

Test(cli_review, decide_then_read_the_history)
{
    const char *a[] = {"review",          "--db",       conninfo,      "npu:NPU-0000018",
                       "icrc:A-77",       "--decision", "exclude",     "--by",
                       "Оксана Петренко", "--note",     "інший зріст", NULL};
    rzt_proc p = rzt_run_ok(a);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "exclude"), "%s", p.out);
    rzt_proc_free(&p);
    const char *b[] = {"review",     "--db",    conninfo, "icrc:A-77",    "npu:NPU-0000018",
                       "--decision", "confirm", "--by",   "Ігор Мельник", NULL};
    p = rzt_run_ok(b);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    const char *h[] = {"review",          "--db",   conninfo, "--history", "icrc:A-77",
                       "npu:NPU-0000018", "--json", NULL};
    p = rzt_run_ok(h);
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
    rzt_proc p = rzt_run_ok(a);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "--decision"), "%s", p.err);
    rzt_proc_free(&p);
    const char *b[] = {"review",     "--db",    conninfo, "npu:NPU-0000018", "icrc:A-99",
                       "--decision", "exclude", "--by",   "Оксана Петренко", NULL};
    p = rzt_run_ok(b);
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
    rzt_proc p = rzt_run_ok(a);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "line 3, field decision"), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "nothing recorded"), "%s", p.err);
    rzt_proc_free(&p);
    const char *h[] = {"review", "--db", conninfo, "--history", "1", "2", NULL};
    p = rzt_run_ok(h);
    cr_assert_not_null(strstr(p.out, "no decisions"), "%s", p.out);
    rzt_proc_free(&p);

    cr_assert_eq(rzt_write_temp("record_a,record_b,decision,note\n"
                                "npu:NPU-0000018,icrc:A-77,exclude,\"зріст, вік\"\n"
                                "npu:NPU-0000018,icrc:A-78,unsure,\n",
                                path, sizeof path),
                 0);
    const char *b[] = {"review", "--db", conninfo, "--file", path, "--by", "Ігор Мельник", NULL};
    p = rzt_run_ok(b);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "recorded 2 decisions"), "%s", p.out);
    rzt_proc_free(&p);
    remove(path);
}

/* ---- candidates by id: review, explain, list by state ------------------------------------- */

static char conninfo2[256];

static rzt_proc rz2(const char *const *args)
{
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    return p;
}

static void load_csv(const char *source, const char *kind, const char *csv)
{
    char path[256];
    cr_assert_eq(rzt_write_temp(csv, path, sizeof path), 0);
    const char *a[] = {"load", "--db", conninfo2, "--source", source, "--kind", kind, path, NULL};
    rzt_proc p = rz2(a);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    remove(path);
}

static void setup_job(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo2, sizeof conninfo2), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    load_csv("npu", "missing",
             "id,full_name,sex,birth_date\n"
             "NPU-1,Клименко Олександр Іванович,ч,12.03.1985\n"
             "NPU-2,Шевчук Марія Степанівна,ж,30.11.1979\n");
    load_csv("hospital", "living",
             "id,full_name,sex,birth_date\n"
             "H-3,Клименко Александр Иванович,м,12.03.1985\n"
             "H-4,Шевчук Мария Степановна,ж,30.11.1979\n");
    const char *m[] = {"match", "--db", conninfo2, "--dedupe", "all", "--json", NULL};
    rzt_proc p = rz2(m);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "{\"job\":1,"), "%s", p.out);
    rzt_proc_free(&p);
}

static void teardown_job(void)
{
    rzt_db_drop(conninfo2);
}

/* The id of the candidate whose line mentions `needle` in `candidates --format jsonl`. */
static long candidate_with(const char *state, const char *needle)
{
    const char *a[] = {"candidates", "--db",  conninfo2, "--job", "1",
                       "--format",   "jsonl", "--state", state,   NULL};
    rzt_proc p = rz2(a);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    long id = -1;
    for (const char *line = p.out; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *end = strchr(line, '\n');
        const char *hit = strstr(line, needle);
        if (hit && (!end || hit < end)) {
            const char *c = strstr(line, "\"candidate_id\":");
            cr_assert_not_null(c);
            id = strtol(c + 15, NULL, 10);
            char want[64];
            snprintf(want, sizeof want, "\"state\":\"%s\"", state);
            cr_assert_not_null(strstr(line, want), "%s", line);
        }
    }
    rzt_proc_free(&p);
    return id;
}

TestSuite(cli_review_candidates, .init = setup_job, .fini = teardown_job, .timeout = 120);

Test(cli_review_candidates, review_and_explain_a_candidate_by_its_id)
{
    long id = candidate_with("undecided", "Клименко Александр");
    cr_assert_gt(id, 0, "Клименко is an undecided candidate");
    char ids[32];
    snprintf(ids, sizeof ids, "#%ld", id);
    const char *e[] = {"explain", "--db", conninfo2, ids, NULL};
    rzt_proc p = rz2(e);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "npu:NPU-1"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "hospital:H-3"), "%s", p.out);
    rzt_proc_free(&p);
    const char *au[] = {"audit", "--db", conninfo2, "--json", NULL};
    p = rz2(au);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    const char *view = strstr(p.out, "\"action\":\"candidate.view\"");
    cr_assert_not_null(view, "the view is audited: %s", p.out);
    cr_assert_not_null(strstr(view, "npu:NPU-1"), "%s", p.out);
    cr_assert_not_null(strstr(view, "\"detail\":{\"job_id\": 1}"), "%s", p.out);
    rzt_proc_free(&p);

    const char *r[] = {"review",  "--db", conninfo2,         ids + 1, "--decision",
                       "confirm", "--by", "Оксана Петренко", NULL};
    p = rz2(r);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    cr_assert_eq(candidate_with("confirm", "Клименко Александр"), id);
    cr_assert_eq(candidate_with("undecided", "Клименко Александр"), -1);
    cr_assert_gt(candidate_with("undecided", "Шевчук Мария"), 0, "the other pair is untouched");

    const char *h[] = {"review", "--db", conninfo2, "--history", ids, "--json", NULL};
    p = rz2(h);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "\"decision\":\"confirm\""), "%s", p.out);
    rzt_proc_free(&p);

    const char *bad[] = {"review",  "--db", conninfo2,         "424242", "--decision",
                         "exclude", "--by", "Оксана Петренко", NULL};
    p = rz2(bad);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "no candidate 424242"), "%s", p.err);
    rzt_proc_free(&p);
    const char *st[] = {"candidates", "--db", conninfo2, "--job", "1", "--state", "maybe", NULL};
    p = rz2(st);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "undecided"), "%s", p.err);
    rzt_proc_free(&p);
}

Test(cli_review_candidates, a_csv_of_decisions_by_candidate_id)
{
    long klym = candidate_with("undecided", "Клименко Александр");
    long shev = candidate_with("undecided", "Шевчук Мария");
    cr_assert(klym > 0 && shev > 0);
    char csv[256], path[256];
    snprintf(csv, sizeof csv,
             "candidate,decision,note\n%ld,exclude,\"зріст, вік\"\n#%ld,premature,\n", klym, shev);
    cr_assert_eq(rzt_write_temp(csv, path, sizeof path), 0);
    const char *a[] = {"review", "--db", conninfo2, "--file", path, "--by", "Ігор Мельник", NULL};
    rzt_proc p = rz2(a);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "recorded 2 decisions"), "%s", p.out);
    rzt_proc_free(&p);
    remove(path);
    cr_assert_eq(candidate_with("exclude", "Клименко Александр"), klym);
    cr_assert_eq(candidate_with("premature", "Шевчук Мария"), shev);
}

Test(cli_review_candidates, model_train_from_the_reviewed_pairs)
{
    const char *t[] = {"model", "train", "--db", conninfo2, "--labels", "--min-labels", "1", NULL};
    rzt_proc p = rz2(t);
    cr_assert_eq(p.exit_code, 1, "nothing reviewed yet");
    cr_assert_not_null(strstr(p.err, "no reviewed pairs"), "%s", p.err);
    rzt_proc_free(&p);
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", candidate_with("undecided", "Шевчук Мария"));
    const char *r[] = {"review",  "--db", conninfo2,      ids, "--decision",
                       "confirm", "--by", "Ігор Мельник", NULL};
    p = rz2(r);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    p = rz2(t);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.err, "labels: 1 confirmed, 0 excluded"), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "birth date (1)"), "%s", p.err);
    cr_assert_not_null(strstr(p.out, "1 reviewed pairs"), "%s", p.out);
    rzt_proc_free(&p);
}
