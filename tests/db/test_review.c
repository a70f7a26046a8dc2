/* test_review.c: review decisions: history, exclusion until a record changes, roles, audit. */
#include <criterion/criterion.h>

#include "rozshuk/audit.h"
#include "rozshuk/review.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char conninfo[256];
static rz_db *db;
static char roles[2][64];

static void exec_ok(const char *sql)
{
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, NULL, &err), RZ_OK, "%s: %s", sql, err.message);
}

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    exec_ok("INSERT INTO source (name) VALUES ('npu'), ('icrc')");
    exec_ok("INSERT INTO batch (source_id, kind, file_name, format) "
            "VALUES (1, 'missing', 'npu.csv', 'csv')");
    exec_ok("INSERT INTO person (source_id, source_record_id, batch_id, kind, raw, row_hash) "
            "VALUES (1, 'NPU-0000018', 1, 'missing', '{}', '0123456789abcdef'), "
            "(2, 'A-77', 1, 'remains', '{}', '0123456789abcdef'), "
            "(2, 'A-78', 1, 'remains', '{}', '0123456789abcdef')");
    const char *group[2] = {"rozshuk_matcher", "rozshuk_investigator"};
    for (int i = 0; i < 2; i++) {
        snprintf(roles[i], sizeof roles[i], "rzt_%ld_%ld_rev%d", (long)getpid(),
                 (long)(random() % 100000), i);
        char sql[200];
        snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN IN ROLE %s", roles[i], group[i]);
        exec_ok(sql);
    }
}

static void teardown(void)
{
    rz_db_close(db);
    rzt_db_drop(conninfo);
    rz_db *s = NULL;
    if (rz_db_open(NULL, &s, NULL) != RZ_OK)
        return;
    for (int i = 0; i < 2; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s", roles[i]);
        rz_db_exec(s, sql, 0, NULL, NULL, NULL);
    }
    rz_db_close(s);
}

struct hist {
    size_t n;
    rz_decision d[8];
    int in_force[8];
    char note[8][64];
};

static void collect(const rz_decision_entry *e, void *user)
{
    struct hist *h = user;
    if (h->n < 8) {
        h->d[h->n] = e->decision;
        h->in_force[h->n] = e->in_force;
        snprintf(h->note[h->n], sizeof h->note[0], "%s", e->note ? e->note : "");
    }
    h->n++;
}

static int excluded(int64_t a, int64_t b)
{
    int x = -1;
    rz_error err;
    cr_assert_eq(rz_review_is_excluded(db, a, b, &x, &err), RZ_OK, "%s", err.message);
    return x;
}

TestSuite(review, .init = setup, .fini = teardown, .timeout = 60);

Test(review, records_resolve_by_source_and_id_or_person_id)
{
    int64_t id = 0;
    rz_error err;
    cr_assert_eq(rz_record_resolve(db, "icrc:A-77", &id, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(id, 2);
    cr_assert_eq(rz_record_resolve(db, "3", &id, &err), RZ_OK);
    cr_assert_eq(id, 3);
    cr_assert_eq(rz_record_resolve(db, "icrc:A-99", &id, &err), RZ_ENOTFOUND);
    cr_assert_not_null(strstr(err.message, "icrc:A-99"));
    cr_assert_eq(rz_record_resolve(db, "Клименко", &id, &err), RZ_EINVAL);
}

Test(review, history_is_kept_and_the_latest_decision_is_in_force)
{
    rz_error err;
    cr_assert_eq(rz_review_record(db, 2, 1, 0, RZ_DECISION_UNSURE, "Ігор Мельник", "чекаємо ДНК",
                                  NULL, &err),
                 RZ_OK, "%s", err.message);
    cr_assert_eq(rz_review_record(db, 1, 2, 0, RZ_DECISION_EXCLUDE, "Оксана Петренко",
                                  "ДНК не збігається", NULL, &err),
                 RZ_OK, "%s", err.message);
    struct hist h = {0};
    cr_assert_eq(rz_review_history(db, 1, 2, collect, &h, &err), RZ_OK);
    cr_assert_eq(h.n, 2);
    cr_assert_eq(h.d[0], RZ_DECISION_UNSURE);
    cr_assert_eq(h.in_force[0], 0);
    cr_assert_eq(h.d[1], RZ_DECISION_EXCLUDE);
    cr_assert_eq(h.in_force[1], 1);
    cr_assert_str_eq(h.note[0], "чекаємо ДНК");
    /* nobody rewrites or deletes the history, not even the table's owner */
    rz_error e2;
    cr_assert_eq(rz_db_exec(db, "UPDATE decision SET decision = 'confirm'", 0, NULL, NULL, &e2),
                 RZ_EDB);
    cr_assert_str_eq(e2.sqlstate, "42501");
    cr_assert_eq(rz_db_exec(db, "DELETE FROM decision", 0, NULL, NULL, &e2), RZ_EDB);
    cr_assert_str_eq(e2.sqlstate, "42501");
    memset(&h, 0, sizeof h);
    cr_assert_eq(rz_review_history(db, 2, 1, collect, &h, &err), RZ_OK);
    cr_assert_eq(h.n, 2);
}

Test(review, exclusion_holds_until_one_of_the_records_changes)
{
    rz_error err;
    cr_assert_eq(excluded(1, 2), 0);
    cr_assert_eq(
        rz_review_record(db, 1, 2, 0, RZ_DECISION_EXCLUDE, "Оксана Петренко", NULL, NULL, &err),
        RZ_OK);
    cr_assert_eq(excluded(1, 2), 1);
    cr_assert_eq(excluded(2, 1), 1);
    cr_assert_eq(excluded(1, 3), 0, "another pair is not excluded");
    /* a later load updates record 2 (as `rozshuk load` does when a row changes) */
    exec_ok("UPDATE person SET description = 'татуювання на лівому плечі', "
            "updated_at = clock_timestamp() WHERE id = 2");
    cr_assert_eq(excluded(1, 2), 0, "a changed record brings the pair back");
    /* a new exclusion after the change holds again */
    cr_assert_eq(
        rz_review_record(db, 1, 2, 0, RZ_DECISION_EXCLUDE, "Оксана Петренко", NULL, NULL, &err),
        RZ_OK);
    cr_assert_eq(excluded(1, 2), 1);
    /* and a later confirmation lifts it */
    cr_assert_eq(
        rz_review_record(db, 1, 2, 0, RZ_DECISION_CONFIRM, "Ігор Мельник", NULL, NULL, &err),
        RZ_OK);
    cr_assert_eq(excluded(1, 2), 0);
}

Test(review, each_decision_writes_an_audit_row_without_the_note)
{
    rz_error err;
    cr_assert_eq(rz_review_record(db, 1, 3, 7, RZ_DECISION_CONFIRM, "Ігор Мельник",
                                  "той самий жетон", NULL, &err),
                 RZ_OK, "%s", err.message);
    rz_result *res = NULL;
    cr_assert_eq(rz_db_exec(db, "SELECT actor, action, object_id, detail::text FROM audit", 0, NULL,
                            &res, &err),
                 RZ_OK);
    cr_assert_eq(rz_result_rows(res), 1);
    cr_assert_str_eq(rz_result_value(res, 0, 0), "Ігор Мельник");
    cr_assert_str_eq(rz_result_value(res, 0, 1), "decision.record");
    cr_assert_str_eq(rz_result_value(res, 0, 2), "1-3");
    cr_assert_not_null(strstr(rz_result_value(res, 0, 3), "\"confirm\""));
    cr_assert_not_null(strstr(rz_result_value(res, 0, 3), "\"job_id\": 7"));
    cr_assert_null(strstr(rz_result_value(res, 0, 3), "жетон"));
    rz_result_free(res);
}

Test(review, bad_decisions_are_refused)
{
    rz_error err;
    cr_assert_eq(rz_review_record(db, 1, 1, 0, RZ_DECISION_CONFIRM, "Ігор", NULL, NULL, &err),
                 RZ_EINVAL);
    cr_assert_eq(rz_review_record(db, 1, 2, 0, RZ_DECISION_CONFIRM, "", NULL, NULL, &err),
                 RZ_EINVAL);
    cr_assert_eq(rz_review_record(db, 1, 2, 0, RZ_DECISION_CONFIRM, "Ігор \xff", NULL, NULL, &err),
                 RZ_EUTF8);
    char note[RZ_REVIEW_NOTE_MAX + 2];
    memset(note, 'x', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    cr_assert_eq(rz_review_record(db, 1, 2, 0, RZ_DECISION_CONFIRM, "Ігор", note, NULL, &err),
                 RZ_ETOOLONG);
    rz_decision d;
    cr_assert_eq(rz_decision_parse("maybe", &d), RZ_EINVAL);
}

Test(review, matchers_decide_investigators_only_read)
{
    char ci[400];
    rz_db *m = NULL, *inv = NULL;
    rz_error err;
    snprintf(ci, sizeof ci, "%s user=%s", conninfo, roles[0]);
    cr_assert_eq(rz_db_open(ci, &m, &err), RZ_OK, "%s", err.message);
    snprintf(ci, sizeof ci, "%s user=%s", conninfo, roles[1]);
    cr_assert_eq(rz_db_open(ci, &inv, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(
        rz_review_record(m, 1, 2, 0, RZ_DECISION_EXCLUDE, "Ігор Мельник", NULL, NULL, &err), RZ_OK,
        "%s", err.message);
    cr_assert_eq(
        rz_review_record(inv, 1, 2, 0, RZ_DECISION_CONFIRM, "Оксана Петренко", NULL, NULL, &err),
        RZ_EDB);
    cr_assert_str_eq(err.sqlstate, "42501");
    struct hist h = {0};
    cr_assert_eq(rz_review_history(inv, 1, 2, collect, &h, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(h.n, 1);
    rz_db_close(m);
    rz_db_close(inv);
}
