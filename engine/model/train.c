/*
 * train.c: estimating the model. u from level counts of random pairs; m by
 * expectation-maximisation on blocked pairs with u held fixed (the scheme of Splink's
 * "estimate_parameters_using_expectation_maximisation" and of fastLink).
 */
#include "rozshuk/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PSEUDO_COUNT 0.5

void rz_model_set_u(rz_model *model, const rz_level_vector *random_pairs, size_t n)
{
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int nl = rz_match_field_levels((rz_match_field)f);
        double count[RZ_LEVELS_MAX] = {0}, sum = 0.0;
        for (size_t i = 0; i < n; i++) {
            int l = random_pairs[i].level[f];
            if (l > 0 && l < nl)
                count[l] += 1.0;
        }
        for (int l = 1; l < nl; l++)
            sum += count[l] + PSEUDO_COUNT;
        for (int l = 1; l < nl; l++)
            model->u[f][l] = (count[l] + PSEUDO_COUNT) / sum;
    }
}

void rz_em_options_defaults(rz_em_options *opts)
{
    opts->max_iterations = 50;
    opts->tolerance = 1e-5;
    opts->fixed_mask = 0;
    opts->initial_share = 0.1;
}

typedef struct pattern {
    rz_level_vector v;
    double count;
} pattern;

static int cmp_vector(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(rz_level_vector));
}

/* Distinct level vectors with their counts. */
static rz_status distinct(const rz_level_vector *pairs, size_t n, pattern **out, size_t *nout,
                          rz_error *err)
{
    rz_level_vector *sorted = malloc(n * sizeof *sorted);
    pattern *p = malloc(n * sizeof *p);
    if (!sorted || !p) {
        free(sorted);
        free(p);
        return rz_error_set(err, RZ_ENOMEM, "out of memory for %zu training pairs", n);
    }
    memcpy(sorted, pairs, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_vector);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && memcmp(&p[k - 1].v, &sorted[i], sizeof sorted[i]) == 0) {
            p[k - 1].count += 1.0;
            continue;
        }
        p[k].v = sorted[i];
        p[k].count = 1.0;
        k++;
    }
    free(sorted);
    *out = p;
    *nout = k;
    return RZ_OK;
}

/*
 * log2 likelihood ratio of a vector under the current m and u, over the fields not fixed. The
 * fixed fields are those the pairs were blocked on: every pair agrees on them by construction,
 * matches and non-matches alike, so they carry no evidence about which pairs match. Counting
 * their weight (+14 bits for a shared birth day) made every blocked pair look like a match: the
 * share ran to 100 % and m became the level shares of all blocked pairs (Splink drops the
 * blocking rule's comparisons from its EM for the same reason).
 */
static double vector_weight(const rz_model *model, const rz_level_vector *v, unsigned fixed)
{
    double w = 0.0;
    for (int f = 0; f < RZ__MF_COUNT; f++)
        if (!(fixed & (1u << f)))
            w += rz_model_weight(model, (rz_match_field)f, v->level[f]);
    return w;
}

rz_status rz_model_em(rz_model *model, const rz_level_vector *pairs, size_t n,
                      const rz_em_options *opts, rz_em_result *out, rz_error *err)
{
    rz_em_options defaults;
    if (opts == NULL) {
        rz_em_options_defaults(&defaults);
        opts = &defaults;
    }
    if (n == 0)
        return rz_error_set(err, RZ_EINVAL, "no pairs to train on");
    pattern *p = NULL;
    size_t np = 0;
    rz_status s = distinct(pairs, n, &p, &np, err);
    if (s != RZ_OK)
        return s;
    double share = opts->initial_share;
    out->converged = false;
    out->iterations = 0;
    for (int it = 0; it < opts->max_iterations; it++) {
        double mc[RZ__MF_COUNT][RZ_LEVELS_MAX] = {{0}}, total = 0.0;
        double prior = log2(share / (1.0 - share));
        for (size_t i = 0; i < np; i++) {
            double pm =
                1.0 / (1.0 + exp2(-(prior + vector_weight(model, &p[i].v, opts->fixed_mask))));
            double c = pm * p[i].count;
            total += c;
            for (int f = 0; f < RZ__MF_COUNT; f++)
                mc[f][p[i].v.level[f]] += c;
        }
        double change = 0.0;
        for (int f = 0; f < RZ__MF_COUNT; f++) {
            if (opts->fixed_mask & (1u << f))
                continue;
            int nl = rz_match_field_levels((rz_match_field)f);
            double sum = 0.0;
            for (int l = 1; l < nl; l++)
                sum += mc[f][l];
            if (!(sum > 0.0))
                continue;
            for (int l = 1; l < nl; l++) {
                double m = mc[f][l] / sum;
                if (m < RZ_PROB_MIN)
                    m = RZ_PROB_MIN;
                change = fmax(change, fabs(m - model->m[f][l]));
                model->m[f][l] = m;
            }
        }
        share = total / (double)n;
        if (share < RZ_PROB_MIN)
            share = RZ_PROB_MIN;
        if (share > 1.0 - RZ_PROB_MIN)
            share = 1.0 - RZ_PROB_MIN;
        out->iterations = it + 1;
        if (change < opts->tolerance) {
            out->converged = true;
            break;
        }
    }
    out->match_share = share;
    free(p);
    return RZ_OK;
}
