/* test_model.c: Fellegi-Sunter weights, term-frequency adjustment, u from random pairs and m by
 * EM on a synthetic population where the true m and u are known. */
#include <criterion/criterion.h>

#include "rozshuk/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

Test(model, defaults_reward_agreement_and_punish_disagreement)
{
    rz_model m;
    rz_model_defaults(&m);
    cr_assert_gt(rz_model_weight(&m, RZ_MF_SURNAME, RZ_LEVEL_EXACT), 5.0);
    cr_assert_gt(rz_model_weight(&m, RZ_MF_SURNAME, RZ_LEVEL_EQUIVALENT), 3.0);
    cr_assert_lt(rz_model_weight(&m, RZ_MF_SURNAME, RZ_LEVEL_FAR), -3.0);
    cr_assert_gt(rz_model_weight(&m, RZ_MF_BIRTH, RZ_BIRTH_EXACT),
                 rz_model_weight(&m, RZ_MF_BIRTH, RZ_BIRTH_YEAR));
    cr_assert_lt(rz_model_weight(&m, RZ_MF_SEX, RZ_SEXL_DIFFERENT), -3.0);
    cr_assert_lt(rz_model_weight(&m, RZ_MF_IDENTIFIER, RZ_IDL_CONFLICT), -5.0);
    cr_assert_lt(rz_model_weight(&m, RZ_MF_TIMELINE, RZ_TIME_IMPOSSIBLE), -6.0);
    for (int f = 0; f < RZ__MF_COUNT; f++)
        cr_assert_eq(rz_model_weight(&m, (rz_match_field)f, 0), 0.0, "missing must weigh nothing");
}

static rz_comparison agreeing(void)
{
    rz_comparison c;
    memset(&c, 0, sizeof c);
    c.level[RZ_MF_SURNAME] = RZ_LEVEL_EXACT;
    c.level[RZ_MF_GIVEN] = RZ_LEVEL_EXACT;
    c.level[RZ_MF_BIRTH] = RZ_BIRTH_EXACT;
    return c;
}

Test(model, score_is_prior_plus_contributions)
{
    rz_model m;
    rz_model_defaults(&m);
    rz_comparison c = agreeing();
    rz_score s;
    rz_model_score(&m, NULL, -10.0, &c, &s);
    double sum = -10.0;
    for (int f = 0; f < RZ__MF_COUNT; f++)
        sum += s.weight[f];
    cr_assert_float_eq(s.match_weight, sum, 1e-9);
    cr_assert_float_eq(s.probability, 1.0 / (1.0 + exp2(-sum)), 1e-12);
    cr_assert_gt(s.probability, 0.99);
}

Test(model, common_surname_counts_for_less_than_a_rare_one)
{
    rz_model m;
    rz_model_defaults(&m);
    rz_term_freq *tf;
    cr_assert_eq(rz_term_freq_new(&tf, NULL), RZ_OK);
    cr_assert_eq(rz_term_freq_add(tf, RZ_MF_SURNAME, "shevchenko", 900, NULL), RZ_OK);
    cr_assert_eq(rz_term_freq_add(tf, RZ_MF_SURNAME, "zhurskyi", 2, NULL), RZ_OK);
    rz_term_freq_set_total(tf, RZ_MF_SURNAME, 100000);
    rz_comparison common = agreeing(), rare = agreeing();
    common.surname_term = "shevchenko";
    rare.surname_term = "zhurskyi";
    rz_score sc, sr, plain;
    rz_model_score(&m, tf, 0.0, &common, &sc);
    rz_model_score(&m, tf, 0.0, &rare, &sr);
    rz_model_score(&m, NULL, 0.0, &common, &plain);
    cr_assert_lt(sc.weight[RZ_MF_SURNAME], plain.weight[RZ_MF_SURNAME]);
    cr_assert_gt(sr.weight[RZ_MF_SURNAME], plain.weight[RZ_MF_SURNAME]);
    cr_assert_float_eq(sc.tf_adjust[RZ_MF_SURNAME],
                       log2(m.u[RZ_MF_SURNAME][RZ_LEVEL_EXACT] / 0.009), 1e-9);
    rz_term_freq_free(tf);
}

Test(model, prior_follows_the_expected_match_count)
{
    rz_model m;
    rz_model_defaults(&m);
    m.match_rate = 1.0;
    /* 1,000 records against 1,000: 1,000 true pairs among 1,000,000 */
    cr_assert_float_eq(rz_model_prior(&m, 1000, 1e6), log2(1e-3 / (1 - 1e-3)), 1e-9);
}

Test(model, json_round_trip)
{
    rz_model m, back;
    rz_model_defaults(&m);
    m.m[RZ_MF_BIRTH][RZ_BIRTH_EXACT] = 0.6543;
    m.match_rate = 0.25;
    char *json;
    cr_assert_eq(rz_model_to_json(&m, &json, NULL), RZ_OK);
    cr_assert_eq(rz_model_from_json(json, &back, NULL), RZ_OK);
    free(json);
    cr_assert_float_eq(back.m[RZ_MF_BIRTH][RZ_BIRTH_EXACT], 0.6543, 1e-9);
    cr_assert_float_eq(back.match_rate, 0.25, 1e-12);
    rz_error err;
    cr_assert_eq(
        rz_model_from_json("{\"fields\":{\"sex\":{\"levels\":{\"same\":{\"m\":2,\"u\":0.5}}}}}",
                           &back, &err),
        RZ_EPARSE);
    cr_assert_eq(rz_model_from_json("{not json", &back, NULL), RZ_EPARSE);
}

/* A small synthetic world with known parameters: three fields, levels drawn independently. */
static const double TRUE_M[3][3] = {{0.1, 0.2, 0.7}, {0.15, 0.05, 0.8}, {0.05, 0.95, 0}};
static const double TRUE_U[3][3] = {{0.9, 0.08, 0.02}, {0.85, 0.1, 0.05}, {0.5, 0.5, 0}};
static const rz_match_field FIELDS3[3] = {RZ_MF_SURNAME, RZ_MF_BIRTH_PLACE, RZ_MF_SEX};
static const int LEVELS3[3] = {3, 3, 2};

static int draw(const double *p, int n, unsigned *seed)
{
    double x = (double)rand_r(seed) / ((double)RAND_MAX + 1.0), acc = 0;
    for (int l = 0; l < n; l++) {
        acc += p[l];
        if (x < acc)
            return l;
    }
    return n - 1;
}

/* Level index l of the synthetic field maps to the model levels 1.. (the non-missing ones). */
static void synth(rz_level_vector *v, bool match, unsigned *seed)
{
    memset(v, 0, sizeof *v);
    v->level[RZ_MF_SURNAME] = (uint8_t)(1 + draw(match ? TRUE_M[0] : TRUE_U[0], 3, seed));
    /* birth place has 3 non-missing levels: far, close, same */
    v->level[RZ_MF_BIRTH_PLACE] = (uint8_t)(1 + draw(match ? TRUE_M[1] : TRUE_U[1], 3, seed));
    v->level[RZ_MF_SEX] = (uint8_t)(1 + draw(match ? TRUE_M[2] : TRUE_U[2], 2, seed));
}

/* nrandom non-matching pairs and nblocked pairs of which one in every `every` is a match. */
static void synth_samples(rz_level_vector **random, int nrandom, rz_level_vector **blocked,
                          int nblocked, int every, int matches_per, unsigned seed)
{
    *random = malloc((size_t)nrandom * sizeof **random);
    *blocked = malloc((size_t)nblocked * sizeof **blocked);
    cr_assert(*random && *blocked);
    for (int i = 0; i < nrandom; i++)
        synth(&(*random)[i], false, &seed);
    for (int i = 0; i < nblocked; i++)
        synth(&(*blocked)[i], i % every < matches_per, &seed);
}

Test(model, em_recovers_known_m_and_u_from_random_pairs)
{
    enum { NRANDOM = 200000, NBLOCKED = 100000 };
    rz_level_vector *random, *blocked;
    /* 30 % true matches among the blocked pairs */
    synth_samples(&random, NRANDOM, &blocked, NBLOCKED, 10, 3, 12345);
    rz_model m;
    rz_model_defaults(&m);
    rz_model_set_u(&m, random, NRANDOM);
    for (int k = 0; k < 3; k++)
        for (int l = 0; l < LEVELS3[k]; l++)
            cr_assert_float_eq(m.u[FIELDS3[k]][l + 1], TRUE_U[k][l], 0.01, "u of field %d level %d",
                               k, l);
    rz_em_options opts;
    rz_em_options_defaults(&opts);
    opts.max_iterations = 200;
    rz_em_result res;
    cr_assert_eq(rz_model_em(&m, blocked, NBLOCKED, &opts, &res, NULL), RZ_OK);
    cr_assert_float_eq(res.match_share, 0.3, 0.03);
    for (int k = 0; k < 3; k++)
        for (int l = 0; l < LEVELS3[k]; l++)
            cr_assert_float_eq(m.m[FIELDS3[k]][l + 1], TRUE_M[k][l], 0.03,
                               "m of field %d level %d: %f vs %f", k, l, m.m[FIELDS3[k]][l + 1],
                               TRUE_M[k][l]);
    free(random);
    free(blocked);
}

Test(model, em_keeps_fixed_fields_and_refuses_no_pairs)
{
    rz_model m;
    rz_model_defaults(&m);
    double before = m.m[RZ_MF_SURNAME][RZ_LEVEL_EXACT];
    rz_level_vector v[4];
    unsigned seed = 7;
    for (int i = 0; i < 4; i++)
        synth(&v[i], i < 2, &seed);
    rz_em_options opts;
    rz_em_options_defaults(&opts);
    opts.fixed_mask = 1u << RZ_MF_SURNAME;
    rz_em_result res;
    cr_assert_eq(rz_model_em(&m, v, 4, &opts, &res, NULL), RZ_OK);
    cr_assert_eq(m.m[RZ_MF_SURNAME][RZ_LEVEL_EXACT], before);
    rz_error err;
    cr_assert_eq(rz_model_em(&m, v, 0, &opts, &res, &err), RZ_EINVAL);
}

/* Pairs blocked on a field all agree on it, matches and non-matches alike: the field must not
 * count as evidence in EM, or every blocked pair looks like a match. */
Test(model, em_ignores_the_weight_of_the_blocked_field)
{
    enum { NRANDOM = 100000, NBLOCKED = 60000 };
    rz_level_vector *random, *blocked;
    /* blocked on the birth day: 20 % true matches, every pair born the same day */
    synth_samples(&random, NRANDOM, &blocked, NBLOCKED, 5, 1, 99);
    for (int i = 0; i < NBLOCKED; i++)
        blocked[i].level[RZ_MF_BIRTH] = RZ_BIRTH_EXACT;
    rz_model m;
    rz_model_defaults(&m); /* birth exact weighs about +14 bits here */
    cr_assert_gt(rz_model_weight(&m, RZ_MF_BIRTH, RZ_BIRTH_EXACT), 10.0);
    rz_model_set_u(&m, random, NRANDOM);
    rz_em_options opts;
    rz_em_options_defaults(&opts);
    opts.max_iterations = 200;
    opts.fixed_mask = 1u << RZ_MF_BIRTH;
    rz_em_result res;
    cr_assert_eq(rz_model_em(&m, blocked, NBLOCKED, &opts, &res, NULL), RZ_OK);
    cr_assert_float_eq(res.match_share, 0.2, 0.03, "share %f", res.match_share);
    for (int l = 0; l < 3; l++)
        cr_assert_float_eq(m.m[RZ_MF_SURNAME][l + 1], TRUE_M[0][l], 0.04,
                           "m of surname level %d: %f vs %f", l, m.m[RZ_MF_SURNAME][l + 1],
                           TRUE_M[0][l]);
    free(random);
    free(blocked);
}
