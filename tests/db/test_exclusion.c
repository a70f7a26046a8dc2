/*
 * test_exclusion.c: an excluded pair is not proposed again by a later match job, and comes
 * back when one of its records changes (loaded again with new content); candidates named by
 * id, filtered by review state, and clusters that follow the reviewers: a confirmed pair joins
 * the person's cluster whatever its score, an excluded one leaves it; a model trained from the
 * reviewed pairs. Real load, real jobs.
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

static int64_t run_job_clustering_at(double cluster_probability)
{
    rz_match_options o;
    rz_match_options_defaults(&o);
    o.mode = RZ_MODE_DEDUPE;
    o.cluster_probability = cluster_probability;
    rz_error err;
    cr_assert_eq(rz_selection_parse("all", &o.a, &err), RZ_OK, "%s", err.message);
    rz_job_summary s;
    cr_assert_eq(rz_match_run(db, ctx, &o, &s, &err), RZ_OK, "%s", err.message);
    return s.job_id;
}

static int64_t run_job(void)
{
    return run_job_clustering_at(0.99);
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

/* A job whose cluster threshold no computed probability reaches: only reviews make clusters. */
static int64_t run_job_unclustered(void)
{
    int64_t job = run_job_clustering_at(1.0);
    rz_job_summary s;
    rz_error err;
    cr_assert_eq(rz_job_summary_read(db, job, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.clusters, 0, "no pair reaches probability 1");
    return job;
}

/* The candidate id of the pair in the job, as `rozshuk candidates` lists it. */
static char *candidate_id(int64_t job, const char *state, int64_t a, int64_t b)
{
    rz_candidate_cursor cur;
    memset(&cur, 0, sizeof cur);
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_candidates_page_state(db, job, 0.0, state, &cur, 100, &res, &err), RZ_OK, "%s",
                 err.message);
    char *id = NULL;
    for (size_t i = 0; i < rz_result_rows(res); i++) {
        int64_t x = strtoll(rz_result_value(res, i, 0), NULL, 10);
        int64_t y = strtoll(rz_result_value(res, i, 1), NULL, 10);
        cr_assert_str_eq(rz_result_value(res, i, 15), state ? state : rz_result_value(res, i, 15));
        if ((x == a && y == b) || (x == b && y == a))
            id = strdup(rz_result_value(res, i, 14));
    }
    rz_result_free(res);
    return id;
}

/* The cluster of a record in the job, or -1 when it is in none. */
static int64_t cluster_of(int64_t job, int64_t person)
{
    char j[24], p[24];
    snprintf(j, sizeof j, "%lld", (long long)job);
    snprintf(p, sizeof p, "%lld", (long long)person);
    const char *params[2] = {j, p};
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(db,
                            "SELECT cluster_id FROM cluster_member WHERE job_id = $1 "
                            "AND person_id = $2",
                            2, params, &res, &err),
                 RZ_OK, "%s", err.message);
    int64_t c = rz_result_rows(res) ? strtoll(rz_result_value(res, 0, 0), NULL, 10) : -1;
    rz_result_free(res);
    return c;
}

Test(exclusion, a_confirmed_pair_joins_the_cluster_and_an_exclusion_takes_it_out)
{
    int64_t klym_a = rec("npu:NPU-1"), klym_b = rec("hospital:H-3");
    int64_t shev_a = rec("npu:NPU-2"), shev_b = rec("hospital:H-4");
    int64_t job = run_job_unclustered();
    char *id = candidate_id(job, "undecided", klym_a, klym_b);
    cr_assert_not_null(id, "Клименко is proposed, undecided");
    cr_assert_eq(cluster_of(job, klym_a), -1);

    rz_candidate_ref ref;
    rz_error err;
    cr_assert_eq(rz_candidate_find(db, id, &ref, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(ref.job_id, job);
    cr_assert_str_eq(ref.ref_a, klym_a < klym_b ? "npu:NPU-1" : "hospital:H-3");
    cr_assert_eq(rz_review_record(db, ref.person_a, ref.person_b, ref.job_id, RZ_DECISION_CONFIRM,
                                  "Оксана Петренко", NULL, NULL, &err),
                 RZ_OK, "%s", err.message);
    cr_assert_neq(cluster_of(job, klym_a), -1, "the confirmed pair is clustered");
    cr_assert_eq(cluster_of(job, klym_a), cluster_of(job, klym_b));
    cr_assert_eq(cluster_of(job, shev_a), -1, "an undecided pair is not");
    rz_job_summary s;
    cr_assert_eq(rz_job_summary_read(db, job, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.clusters, 1);

    char *confirmed = candidate_id(job, "confirm", klym_a, klym_b);
    cr_assert_not_null(confirmed, "--state confirm lists it");
    cr_assert_null(candidate_id(job, "undecided", klym_a, klym_b), "no longer undecided");
    char *shev = candidate_id(job, "undecided", shev_a, shev_b);
    cr_assert_not_null(shev);

    cr_assert_eq(rz_review_record(db, klym_b, klym_a, 0, RZ_DECISION_EXCLUDE, "Ігор Мельник",
                                  "інший зріст", NULL, &err),
                 RZ_OK, "%s", err.message);
    cr_assert_eq(cluster_of(job, klym_a), -1, "the excluded pair left the cluster");
    char *excluded = candidate_id(job, "exclude", klym_a, klym_b);
    cr_assert_not_null(excluded);
    cr_assert_str_eq(excluded, id, "the candidate keeps its id");
    free(id);
    free(confirmed);
    free(shev);
    free(excluded);
}

Test(exclusion, unknown_candidates_and_states_are_named)
{
    rz_candidate_ref ref;
    rz_error err;
    cr_assert_eq(rz_candidate_find(db, "987654", &ref, &err), RZ_ENOTFOUND);
    cr_assert_not_null(strstr(err.message, "987654"), "%s", err.message);
    cr_assert_eq(rz_candidate_find(db, "npu:NPU-1", &ref, &err), RZ_EINVAL);
    rz_candidate_cursor cur;
    memset(&cur, 0, sizeof cur);
    rz_result *res = NULL;
    int64_t job = run_job_unclustered();
    cr_assert_eq(rz_candidates_page_state(db, job, 0.0, "maybe", &cur, 10, &res, &err), RZ_EINVAL);
    cr_assert_null(res);
}

/* ---- training from reviewed pairs ------------------------------------------------------------ */

static void confirm(const char *a, const char *b)
{
    rz_error err;
    cr_assert_eq(rz_review_record(db, rec(a), rec(b), 0, RZ_DECISION_CONFIRM, "Оксана Петренко",
                                  NULL, NULL, &err),
                 RZ_OK, "%s", err.message);
}

static rz_model train_labels(size_t min_labels, rz_label_report *lab)
{
    rz_selection all;
    rz_error err;
    cr_assert_eq(rz_selection_parse("all", &all, &err), RZ_OK);
    rz_model m;
    rz_train_report rep;
    cr_assert_eq(rz_model_train_labels(db, ctx, &all, 1000, min_labels, &m, &rep, lab, &err), RZ_OK,
                 "%s", err.message);
    rz_model latest;
    cr_assert_eq(rz_model_load_latest(db, &latest, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(latest.id, m.id, "stored as the new version");
    return m;
}

Test(exclusion, confirmed_pairs_teach_the_model_what_true_matches_look_like)
{
    rz_error err;
    rz_selection all;
    cr_assert_eq(rz_selection_parse("all", &all, &err), RZ_OK);
    rz_model m;
    rz_train_report rep;
    rz_label_report lab;
    cr_assert_eq(rz_model_train_labels(db, ctx, &all, 1000, 2, &m, &rep, &lab, &err), RZ_EINVAL,
                 "no decisions yet: nothing to learn from");

    /* a typing error in the birth year (1988 for 1983) that a reviewer confirmed */
    load("npu", RZ_KIND_MISSING,
         "id,full_name,sex,birth_date\nNPU-5,Бондаренко Петро Миколайович,ч,04.07.1983\n");
    load("hospital", RZ_KIND_LIVING,
         "id,full_name,sex,birth_date\nH-6,Бондаренко Петр Николаевич,м,04.07.1988\n");
    confirm("npu:NPU-1", "hospital:H-3");
    confirm("npu:NPU-5", "hospital:H-6");
    rz_model base;
    cr_assert_eq(rz_model_load_latest(db, &base, &err), RZ_OK);

    rz_model few = train_labels(3, &lab);
    cr_assert_eq(lab.confirmed, 2);
    cr_assert_eq(lab.m_from_labels, 0, "2 confirmed pairs are under the minimum of 3");
    cr_assert_eq(lab.em, false, "6 records are too few for EM");
    cr_assert_float_eq(few.m[RZ_MF_BIRTH][RZ_BIRTH_ONE_DIGIT],
                       base.m[RZ_MF_BIRTH][RZ_BIRTH_ONE_DIGIT], 1e-12);

    rz_model two = train_labels(2, &lab);
    cr_assert(lab.m_from_labels & (1u << RZ_MF_BIRTH), "birth date is learnt from the labels");
    cr_assert_not(lab.m_from_labels & (1u << RZ_MF_IDENTIFIER), "no pair has identifiers");
    cr_assert_float_eq(two.m[RZ_MF_BIRTH][RZ_BIRTH_ONE_DIGIT], two.m[RZ_MF_BIRTH][RZ_BIRTH_EXACT],
                       1e-12,
                       "one of two confirmed pairs has the typo: as common as exact agreement");
    cr_assert_gt(two.m[RZ_MF_BIRTH][RZ_BIRTH_ONE_DIGIT],
                 2 * base.m[RZ_MF_BIRTH][RZ_BIRTH_ONE_DIGIT]);
    cr_assert_lt(two.m[RZ_MF_BIRTH][RZ_BIRTH_FAR], two.m[RZ_MF_BIRTH][RZ_BIRTH_EXACT],
                 "no confirmed pair was far apart");
    cr_assert_float_eq(two.m[RZ_MF_IDENTIFIER][1], base.m[RZ_MF_IDENTIFIER][1], 1e-12);
}
