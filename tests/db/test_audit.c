/* test_audit.c: rz_audit_write and rz_audit_list against a fresh database. */
#include <criterion/criterion.h>

#include "rozshuk/audit.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];
static rz_db *db;

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
}

static void teardown(void)
{
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

struct seen {
    size_t n;
    char actions[8][64];
    char actors[8][256];
    char detail[8][512];
    char role[64];
};

static void collect(const rz_audit_entry *e, void *user)
{
    struct seen *s = user;
    if (s->n < 8) {
        snprintf(s->actions[s->n], sizeof s->actions[0], "%s", e->action);
        snprintf(s->actors[s->n], sizeof s->actors[0], "%s", e->actor ? e->actor : "");
        snprintf(s->detail[s->n], sizeof s->detail[0], "%s", e->detail ? e->detail : "");
        snprintf(s->role, sizeof s->role, "%s", e->db_role);
    }
    s->n++;
}

TestSuite(audit, .init = setup, .fini = teardown, .timeout = 60);

Test(audit, rows_come_back_in_order_with_actor_and_detail)
{
    rz_error err;
    cr_assert_eq(rz_audit_write(db, "Оксана Петренко", "search", NULL, NULL,
                                "{\"query\": \"Клименко Олександр\", \"results\": 3}", &err),
                 RZ_OK, "%s", err.message);
    cr_assert_eq(rz_audit_write(db, "Ігор Мельник", "decision.record", "candidate", "17",
                                "{\"decision\": \"exclude\"}", &err),
                 RZ_OK, "%s", err.message);
    cr_assert_eq(rz_audit_write(db, NULL, "candidate.view", "candidate", "17", NULL, &err), RZ_OK);
    struct seen s = {0};
    cr_assert_eq(rz_audit_list(db, NULL, collect, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.n, 3);
    cr_assert_str_eq(s.actions[0], "search");
    cr_assert_str_eq(s.actors[0], "Оксана Петренко");
    cr_assert_not_null(strstr(s.detail[0], "Клименко Олександр"), "%s", s.detail[0]);
    cr_assert_str_eq(s.actions[1], "decision.record");
    cr_assert_str_eq(s.actors[2], "");
    cr_assert_str_eq(s.role, "postgres");
}

Test(audit, filters_by_who_action_prefix_since_and_limit)
{
    rz_error err;
    cr_assert_eq(rz_audit_write(db, "Оксана Петренко", "search", NULL, NULL, NULL, &err), RZ_OK);
    cr_assert_eq(rz_audit_write(db, "Ігор Мельник", "candidate.view", "candidate", "1", NULL, &err),
                 RZ_OK);
    cr_assert_eq(
        rz_audit_write(db, "Ігор Мельник", "candidate.export", "candidate", "2", NULL, &err),
        RZ_OK);
    rz_audit_filter f;
    rz_audit_filter_defaults(&f);
    f.who = "Ігор Мельник";
    struct seen s = {0};
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 2);

    rz_audit_filter_defaults(&f);
    f.action = "candidate.";
    memset(&s, 0, sizeof s);
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 2);
    f.action = "candidate"; /* no dot: exact, and no row has exactly that action */
    memset(&s, 0, sizeof s);
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 0);

    rz_audit_filter_defaults(&f);
    f.since = "2 hours";
    memset(&s, 0, sizeof s);
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.n, 3);
    f.since = "2999-01-01";
    memset(&s, 0, sizeof s);
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.n, 0);

    rz_audit_filter_defaults(&f);
    f.limit = 1; /* the most recent one */
    memset(&s, 0, sizeof s);
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.actions[0], "candidate.export");
}

Test(audit, bad_since_is_a_clear_error)
{
    rz_audit_filter f;
    rz_audit_filter_defaults(&f);
    f.since = "last tuesday-ish";
    rz_error err;
    struct seen s = {0};
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_EINVAL);
    cr_assert_not_null(strstr(err.message, "last tuesday-ish"), "%s", err.message);
    f.since = "2026-02-31";
    cr_assert_eq(rz_audit_list(db, &f, collect, &s, &err), RZ_EINVAL);
}

Test(audit, bad_values_are_refused_before_they_reach_the_table)
{
    rz_error err;
    cr_assert_eq(rz_audit_write(db, NULL, "Search", NULL, NULL, NULL, &err), RZ_EINVAL);
    cr_assert_eq(rz_audit_write(db, NULL, "", NULL, NULL, NULL, &err), RZ_EINVAL);
    cr_assert_eq(rz_audit_write(db, NULL, NULL, NULL, NULL, NULL, &err), RZ_EINVAL);
    cr_assert_eq(rz_audit_write(db, NULL, "search", "Person", NULL, NULL, &err), RZ_EINVAL);
    cr_assert_eq(rz_audit_write(db, "Петренко \xff", "search", NULL, NULL, NULL, &err), RZ_EUTF8);
    /* 200 Cyrillic letters (400 bytes) are within the limit; 201 are not */
    char actor[1024] = "";
    for (size_t i = 0; i < 200; i++)
        memcpy(actor + 2 * i, "ж", 2);
    actor[400] = '\0';
    cr_assert_eq(rz_audit_write(db, actor, "search", NULL, NULL, NULL, &err), RZ_OK, "%s",
                 err.message);
    memcpy(actor + 400, "ж", 3); /* with its NUL */
    cr_assert_eq(rz_audit_write(db, actor, "search", NULL, NULL, NULL, &err), RZ_ETOOLONG);
    cr_assert_eq(rz_audit_write(db, NULL, "search", NULL, NULL, "{not json", &err), RZ_EDB);
    cr_assert_str_eq(err.sqlstate, "22P02");
    struct seen s = {0};
    cr_assert_eq(rz_audit_list(db, NULL, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 1, "only the valid row is stored");
}

Test(audit, an_action_and_its_audit_row_roll_back_together)
{
    rz_error err;
    cr_assert_eq(rz_db_begin(db, &err), RZ_OK);
    cr_assert_eq(
        rz_audit_write(db, "Оксана Петренко", "decision.record", "candidate", "5", NULL, &err),
        RZ_OK);
    rz_db_rollback(db);
    struct seen s = {0};
    cr_assert_eq(rz_audit_list(db, NULL, collect, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 0);
}
