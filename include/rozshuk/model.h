/*
 * model.h: the Fellegi-Sunter model that turns comparison levels into a match weight and a
 * probability, its built-in defaults, term-frequency adjustment, and its training:
 * u from random pairs, m by expectation-maximisation on blocked pairs.
 *
 * Each field's level has m = P(level | same person) and u = P(level | different persons); the
 * level's weight is log2(m/u). The match weight of a pair is the prior log2-odds plus the sum
 * of its fields' weights; "missing" weighs nothing. For surnames and given names agreeing on a
 * value, u is replaced by that value's frequency (Winkler's frequency-based matching, as in
 * Splink): agreement on a common surname counts for less than agreement on a rare one.
 */
#ifndef ROZSHUK_MODEL_H
#define ROZSHUK_MODEL_H

#include "rozshuk/compare.h"
#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Probabilities are kept inside [RZ_PROB_MIN, 1 - RZ_PROB_MIN] so that weights stay finite. */
#define RZ_PROB_MIN 1e-6

/* The most a term-frequency adjustment moves a field's weight, in bits, either way. */
#define RZ_TF_ADJUST_MAX 10.0

typedef struct rz_model {
    int64_t id;        /* model.id in the database; 0 when not stored */
    char label[64];    /* "builtin" or "trained on ..." */
    double match_rate; /* expected true pairs per record of the smaller side: the prior */
    double m[RZ__MF_COUNT][RZ_LEVELS_MAX]; /* level 0 (missing) unused */
    double u[RZ__MF_COUNT][RZ_LEVELS_MAX];
    bool tf[RZ__MF_COUNT]; /* term-frequency adjustment on agreement (surname, given) */
} rz_model;

/*
 * The built-in parameters a fresh install uses before any training: m from the error rates
 * that registers are known for (most true pairs agree; transliteration and typing variants
 * next), u from the spread of Ukrainian names and birth dates (about 25,000 plausible birth
 * days; the most common surname under 1 % of people). Training replaces them.
 */
void rz_model_defaults(rz_model *model);

/* log2(m/u) of a field's level; 0 for level 0 (missing) or a level out of range. */
double rz_model_weight(const rz_model *model, rz_match_field f, int level);

/*
 * Prior log2-odds that a compared pair is a match, from the expected number of true pairs
 * (match_rate times `records`, the size of the smaller side) among `total_pairs` possible.
 */
double rz_model_prior(const rz_model *model, double records, double total_pairs);

/* Frequencies of surnames and given names among the records, for the adjustment. */
typedef struct rz_term_freq rz_term_freq;

/* An empty table. Free with rz_term_freq_free(). */
rz_status rz_term_freq_new(rz_term_freq **out, rz_error *err);
void rz_term_freq_free(rz_term_freq *tf);

/* Adds `count` records having `term` for `field` (RZ_MF_SURNAME or RZ_MF_GIVEN) and
 * sets the number of records the frequencies are relative to. Copies the term. */
rz_status rz_term_freq_add(rz_term_freq *tf, rz_match_field field, const char *term, double count,
                           rz_error *err);
void rz_term_freq_set_total(rz_term_freq *tf, rz_match_field field, double records);

/* The share of records with `term` for `field`; 0 when unknown. */
double rz_term_freq_get(const rz_term_freq *tf, rz_match_field field, const char *term);

/* A scored pair: the prior and each field's contribution (level weight plus adjustment). */
typedef struct rz_score {
    double prior;
    double weight[RZ__MF_COUNT];    /* contribution of each field, adjustment included */
    double tf_adjust[RZ__MF_COUNT]; /* the term-frequency part of it */
    double match_weight;            /* prior + the sum of the contributions */
    double probability;             /* 2^w / (1 + 2^w) */
} rz_score;

/* Scores one comparison; `tf` may be NULL (no adjustment). */
void rz_model_score(const rz_model *model, const rz_term_freq *tf, double prior,
                    const rz_comparison *cmp, rz_score *out);

/* The probability of a match weight, and back. */
double rz_weight_to_probability(double w);
double rz_probability_to_weight(double p);

/* ---- serialisation ------------------------------------------------------------------- */

/* The model as JSON text (fields by name, levels by name, m and u); free with free(). */
rz_status rz_model_to_json(const rz_model *model, char **out, rz_error *err);

/* Reads a model written by rz_model_to_json(); levels not in the text keep the defaults.
 * RZ_EPARSE with the reason for malformed text. */
rz_status rz_model_from_json(const char *text, rz_model *model, rz_error *err);

/* ---- training --------------------------------------------------------------------------- */

/* The levels of one compared pair, for training. */
typedef struct rz_level_vector {
    uint8_t level[RZ__MF_COUNT];
} rz_level_vector;

/*
 * Sets u of every field from level counts of `n` pairs of different records drawn at random
 * (the share of true matches among random pairs is negligible). Each level gets a small
 * pseudo-count (0.5) so that a level never seen keeps a finite weight.
 */
void rz_model_set_u(rz_model *model, const rz_level_vector *random_pairs, size_t n);

typedef struct rz_em_options {
    int max_iterations;   /* default 50 */
    double tolerance;     /* stop when no m changes more than this; default 1e-5 */
    unsigned fixed_mask;  /* bit f set: field f is in the blocking: its m is not estimated and its
                             weight is left out of each pair's match probability */
    double initial_share; /* starting share of matches among the pairs; default 0.1 */
} rz_em_options;

void rz_em_options_defaults(rz_em_options *opts);

typedef struct rz_em_result {
    int iterations;
    bool converged;
    double match_share; /* estimated share of true matches among the pairs */
} rz_em_result;

/*
 * Estimates m of the fields not in `fixed_mask` by expectation-maximisation (Winkler 1988;
 * as fastLink and Splink do) on `n` blocked pairs, keeping u fixed: each pair's probability of
 * being a match (E), then m as the probability-weighted level shares (M). Distinct level
 * vectors are counted once, so an iteration costs O(distinct vectors x fields).
 * RZ_EINVAL when n is 0; RZ_ENOMEM.
 */
rz_status rz_model_em(rz_model *model, const rz_level_vector *pairs, size_t n,
                      const rz_em_options *opts, rz_em_result *out, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_MODEL_H */
