/*
 * test_exclusion.c: an excluded pair is not proposed again by a later match job, and comes
 * back when one of its records changes (loaded again with new content). Real load, real jobs.
 */
#include <criterion/criterion.h>

#include "rozshuk/load.h"
#include "rozshuk/match.h"
#include "rozshuk/names.h"
#include "rozshuk/review.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];
static rz_db *db;
static rz_name_ctx *ctx;

static const char NPU[] = "id,full_name,sex,birth_date\n"
                          "NPU-1,Клименко Олександр Іванович,ч,12.03.1985\n"
                          "NPU-2,Шевчук Марія Степанівна,ж,30.11.1979\n";
static const char NPU_CHANGED[] = "id,full_name,sex,birth_date\n"
                                  "NPU-1,Клименко Олександр Іванович,ч,12.03.1985\n"
                                  "NPU-2,Шевчук Марія Степанівна,ж,30.11.1970\n";
static const char HOSPITAL[] = "id,full_name,sex,birth_date\n"
                               "H-3,Клименко Александр Иванович,м,12.03.1985\n"
                               "H-4,Шевчук Мария Степановна,ж,30.11.1979\n";

static void load(const char *source, rz_kind kind, const char *csv)
{
    char path[256];
    cr_assert_eq(rzt_write_temp(csv, path, sizeof path), 0);
    rz_load_opts o;
    rz_load_opts_defaults(&o);
    o.source = source;
    o.kind = kind;
    o.format = RZ_FORMAT_CSV;
    rz_load_result r;
    rz_error err;
    cr_assert_eq(rz_load_file(db, ctx, path, &o, &r, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(r.rejected, 0);
    remove(path);
}

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_name_ctx_open(&ctx, &err), RZ_OK, "%s", err.message);
    load("npu", RZ_KIND_MISSING, NPU);
    load("hospital", RZ_KIND_LIVING, HOSPITAL);
}

static void teardown(void)
{
    rz_name_ctx_close(ctx);
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

static int64_t run_job(void)
{
    rz_match_options o;
    rz_match_options_defaults(&o);
    o.mode = RZ_MODE_DEDUPE;
    rz_error err;
    cr_assert_eq(rz_selection_parse("all", &o.a, &err), RZ_OK, "%s", err.message);
    rz_job_summary s;
    cr_assert_eq(rz_match_run(db, ctx, &o, &s, &err), RZ_OK, "%s", err.message);
    return s.job_id;
}

static int64_t rec(const char *ref)
{
    int64_t id = 0;
    rz_error err;
    cr_assert_eq(rz_record_resolve(db, ref, &id, &err), RZ_OK, "%s", err.message);
    return id;
}

static bool proposed(int64_t job, int64_t a, int64_t b)
{
    char j[24], x[24], y[24];
    snprintf(j, sizeof j, "%lld", (long long)job);
    snprintf(x, sizeof x, "%lld", (long long)(a < b ? a : b));
    snprintf(y, sizeof y, "%lld", (long long)(a < b ? b : a));
    const char *p[3] = {j, x, y};
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(db,
                            "SELECT count(*) FROM candidate WHERE job_id = $1 "
                            "AND person_a = $2 AND person_b = $3",
                            3, p, &res, &err),
                 RZ_OK, "%s", err.message);
    bool yes = strcmp(rz_result_value(res, 0, 0), "1") == 0;
    rz_result_free(res);
    return yes;
}

TestSuite(exclusion, .init = setup, .fini = teardown, .timeout = 120);

Test(exclusion, excluded_pair_stays_out_of_reruns_until_a_record_changes)
{
    int64_t klym_a = rec("npu:NPU-1"), klym_b = rec("hospital:H-3");
    int64_t shev_a = rec("npu:NPU-2"), shev_b = rec("hospital:H-4");
    int64_t job1 = run_job();
    cr_assert(proposed(job1, klym_a, klym_b), "the first job proposes Клименко");
    cr_assert(proposed(job1, shev_a, shev_b), "the first job proposes Шевчук");

    rz_error err;
    cr_assert_eq(rz_review_record(db, shev_a, shev_b, job1, RZ_DECISION_EXCLUDE, "Ігор Мельник",
                                  "різні батьки", NULL, &err),
                 RZ_OK, "%s", err.message);
    int64_t job2 = run_job();
    cr_assert(proposed(job2, klym_a, klym_b), "other pairs are still proposed");
    cr_assert_not(proposed(job2, shev_a, shev_b), "the excluded pair came back");

    /* NPU corrects Шевчук's birth year: the record changed since the exclusion */
    load("npu", RZ_KIND_MISSING, NPU_CHANGED);
    int64_t job3 = run_job();
    cr_assert(proposed(job3, shev_a, shev_b), "a changed record brings the pair back");

    /* the history still holds the exclusion */
    int excluded = -1;
    cr_assert_eq(rz_review_is_excluded(db, shev_a, shev_b, &excluded, &err), RZ_OK);
    cr_assert_eq(excluded, 0);
}
