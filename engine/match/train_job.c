/*
 * train_job.c: training a model on stored records. u from random pairs of the selection; m by
 * EM twice, each time on pairs blocked by one kind of evidence and estimating only the fields
 * that blocking leaves free (Splink's scheme): pairs born the same day estimate the names,
 * places and identifiers; pairs sharing the canonical given name and folded surname estimate
 * the birth date. Sex and the other fields take the mean of both runs.
 */
#include "grow.h"
#include "match/match_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_PAIRS_MAX 1000000
#define TRAIN_PAIRS_MAX  2000000
#define DAY_BLOCK_MAX    200

typedef struct pairs {
    rz_level_vector *v;
    size_t n, cap;
} pairs;

static rz_status add_pair(pairs *p, const rz_match_record *a, const rz_match_record *b,
                          rz_error *err)
{
    if (p->n == p->cap) {
        rz_level_vector *v = rz__grow(p->v, &p->cap, sizeof *v, 65536);
        if (v == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for training pairs");
        p->v = v;
    }
    rz_comparison cmp;
    rz_compare_records(a, b, &cmp);
    for (int f = 0; f < RZ__MF_COUNT; f++)
        p->v[p->n].level[f] = (uint8_t)cmp.level[f];
    p->n++;
    return RZ_OK;
}

/* splitmix64: a small, well-mixed generator so that training is reproducible. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static rz_status random_pairs(const rz_record_set *set, pairs *p, rz_error *err)
{
    size_t n = set->n;
    if (n < 2)
        return RZ_OK;
    double all = (double)n * (double)(n - 1) / 2;
    size_t want = all < RANDOM_PAIRS_MAX ? (size_t)all : RANDOM_PAIRS_MAX;
    uint64_t state = 20231205;
    for (size_t i = 0; i < want; i++) {
        size_t x = next_random(&state) % n, y = next_random(&state) % n;
        if (x == y)
            continue;
        rz_status s = add_pair(p, &set->recs[x], &set->recs[y], err);
        if (s != RZ_OK)
            return s;
    }
    return RZ_OK;
}

static int cmp_birth(const void *x, const void *y)
{
    const rz_match_record *a = *(const rz_match_record *const *)x,
                          *b = *(const rz_match_record *const *)y;
    return (a->birth.from > b->birth.from) - (a->birth.from < b->birth.from);
}

/* Pairs of records born the same (known) day, at most DAY_BLOCK_MAX records a day. */
static rz_status same_day_pairs(const rz_record_set *set, pairs *p, rz_error *err)
{
    const rz_match_record **r = malloc((set->n + 1) * sizeof *r);
    if (r == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        if (set->recs[i].birth.precision == RZ_PREC_DAY)
            r[n++] = &set->recs[i];
    qsort(r, n, sizeof *r, cmp_birth);
    rz_status s = RZ_OK;
    for (size_t i = 0; i < n && s == RZ_OK && p->n < TRAIN_PAIRS_MAX;) {
        size_t j = i + 1;
        while (j < n && r[j]->birth.from == r[i]->birth.from)
            j++;
        if (j - i <= DAY_BLOCK_MAX)
            for (size_t x = i; x < j && s == RZ_OK; x++)
                for (size_t y = x + 1; y < j && s == RZ_OK; y++)
                    s = add_pair(p, r[x], r[y], err);
        i = j;
    }
    free(r);
    return s;
}

typedef struct name_pairs {
    const rz_record_set *set;
    pairs *p;
    rz_status status;
    rz_error *err;
} name_pairs;

static int collect(size_t a, size_t b, int rule, void *user)
{
    (void)rule;
    name_pairs *np = user;
    if (np->p->n >= TRAIN_PAIRS_MAX)
        return 1;
    np->status = add_pair(np->p, &np->set->recs[a], &np->set->recs[b], np->err);
    return np->status != RZ_OK;
}

static rz_status read_sample(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                             size_t max_records, rz_record_set *set, rz_blocker *blocker,
                             rz_error *err)
{
    size_t n = 0;
    rz_status s = rz__task_tables(db, 0, 1, 0, "{\"given_canon\"}",
                                  "{\"given_canon\",\"sur_fold\"}", false, err);
    if (s == RZ_OK)
        s = rz__select_persons(db, on, NULL, true, &n, err);
    if (s == RZ_OK && n > max_records) {
        char lim[24];
        snprintf(lim, sizeof lim, "%zu", max_records);
        const char *params[] = {lim};
        /* a reproducible sample: the records whose hashed id comes first */
        s = rz_db_exec(db,
                       "DELETE FROM rz_task_person WHERE id NOT IN (SELECT id FROM rz_task_person"
                       " ORDER BY hashint8(id), id LIMIT $1)",
                       1, params, NULL, err);
    }
    if (s == RZ_OK)
        s = rz__set_load(db, names, set, blocker, true, false, err);
    return s;
}

rz_status rz__model_estimate(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                             size_t max_records, rz_model *model, rz_train_report *report,
                             rz_error *err)
{
    memset(report, 0, sizeof *report);
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    rz_record_set *set = NULL;
    rz_blocker *blocker = NULL;
    pairs rnd = {0}, day = {0}, nam = {0};
    rz_model base, by_day, by_name;
    rz_status s = rz_model_load_latest(db, &base, err);
    if (s == RZ_OK)
        s = rz_block_rules_parse("given_canon+sur_fold", rules, &nrules, err);
    if (s == RZ_OK)
        s = rz__set_new(&set, err);
    if (s == RZ_OK)
        s = rz_blocker_new(rules, nrules, &blocker, err);
    if (s == RZ_OK)
        s = rz_db_begin(db, err);
    if (s != RZ_OK)
        goto done;
    rz_blocker_set_max_block(blocker, DAY_BLOCK_MAX);
    s = read_sample(db, names, on, max_records, set, blocker, err);
    rz_db_rollback(db);
    if (s != RZ_OK)
        goto done;
    report->records = set->n;
    if (set->n < 100) {
        s = rz_error_set(err, RZ_EINVAL,
                         "only %zu records to train on; at least 100 are needed (the built-in "
                         "model serves until then)",
                         set->n);
        goto done;
    }
    if ((s = random_pairs(set, &rnd, err)) != RZ_OK ||
        (s = same_day_pairs(set, &day, err)) != RZ_OK)
        goto done;
    name_pairs np = {set, &nam, RZ_OK, err};
    rz_block_stats st;
    s = rz_blocker_pairs(blocker, set->recs, NULL, set->n, RZ_MODE_DEDUPE, collect, &np, &st, err);
    if (s == RZ_ECANCELLED && np.status == RZ_OK)
        s = RZ_OK, rz_error_clear(err);
    if (s != RZ_OK)
        goto done;
    report->random_pairs = rnd.n;
    report->blocked_pairs[0] = day.n;
    report->blocked_pairs[1] = nam.n;
    rz_model_set_u(&base, rnd.v, rnd.n);
    by_day = base;
    by_name = base;
    rz_em_options o;
    rz_em_options_defaults(&o);
    o.fixed_mask = 1u << RZ_MF_BIRTH;
    if (day.n > 0 && (s = rz_model_em(&by_day, day.v, day.n, &o, &report->em[0], err)) != RZ_OK)
        goto done;
    o.fixed_mask = (1u << RZ_MF_SURNAME) | (1u << RZ_MF_GIVEN);
    if (nam.n > 0 && (s = rz_model_em(&by_name, nam.v, nam.n, &o, &report->em[1], err)) != RZ_OK)
        goto done;
    *model = base;
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        for (int l = 1; l < rz_match_field_levels((rz_match_field)f); l++) {
            if (f == RZ_MF_BIRTH)
                model->m[f][l] = nam.n ? by_name.m[f][l] : base.m[f][l];
            else if (f <= RZ_MF_PATRONYMIC)
                model->m[f][l] = day.n ? by_day.m[f][l] : base.m[f][l];
            else
                model->m[f][l] = 0.5 * (by_day.m[f][l] + by_name.m[f][l]);
        }
    }
    /* the prior: matches found among same-day pairs, scaled by the share of true matches that
     * agree on the birth day, per record */
    double exact = model->m[RZ_MF_BIRTH][RZ_BIRTH_EXACT];
    if (day.n > 0 && exact > 0.05) {
        double rate = report->em[0].match_share * (double)day.n / exact / (double)set->n;
        model->match_rate = fmin(fmax(rate, 1e-4), 10.0);
    }
    snprintf(model->label, sizeof model->label, "trained on %zu records", set->n);
done:
    free(rnd.v);
    free(day.v);
    free(nam.v);
    rz_blocker_free(blocker);
    rz_record_set_free(set);
    return s;
}

rz_status rz_model_train(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                         size_t max_records, rz_model *model, rz_train_report *report,
                         rz_error *err)
{
    rz_status s = rz__model_estimate(db, names, on, max_records, model, report, err);
    return s == RZ_OK ? rz_model_store(db, model, on->text, err) : s;
}
