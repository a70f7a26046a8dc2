/*
 * model.c: Fellegi-Sunter weights, the built-in parameters, scoring with term-frequency
 * adjustment, and the model's JSON form.
 */
#include "rozshuk/model.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double clamp_prob(double p)
{
    if (!(p >= RZ_PROB_MIN)) /* also NaN */
        return RZ_PROB_MIN;
    return p > 1.0 - RZ_PROB_MIN ? 1.0 - RZ_PROB_MIN : p;
}

/* Scales the non-missing levels of a field's m or u to sum to 1. */
static void normalise(double *p, int nlevels)
{
    double sum = 0.0;
    for (int l = 1; l < nlevels; l++)
        sum += p[l];
    for (int l = 1; l < nlevels; l++)
        p[l] = sum > 0.0 ? p[l] / sum : 1.0 / (nlevels - 1);
}

static void set_levels(rz_model *model, rz_match_field f, const double *m, const double *u)
{
    int n = rz_match_field_levels(f);
    for (int l = 1; l < n; l++) {
        model->m[f][l] = m[l - 1];
        model->u[f][l] = u[l - 1];
    }
    normalise(model->m[f], n);
    normalise(model->u[f], n);
}

void rz_model_defaults(rz_model *model)
{
    memset(model, 0, sizeof *model);
    memcpy(model->label, "builtin", sizeof "builtin");
    model->match_rate = 0.5;
    /* Names: far, close, equivalent, exact. u of exact agreement is the sum of squared name
     * frequencies (surnames spread thinly, given names concentrate on a few hundred). */
    set_levels(model, RZ_MF_SURNAME, (const double[]){0.03, 0.07, 0.15, 0.75},
               (const double[]){0.986, 0.01, 0.002, 0.002});
    set_levels(model, RZ_MF_GIVEN, (const double[]){0.04, 0.06, 0.2, 0.7},
               (const double[]){0.93, 0.02, 0.025, 0.025});
    set_levels(model, RZ_MF_PATRONYMIC, (const double[]){0.05, 0.05, 0.2, 0.7},
               (const double[]){0.92, 0.02, 0.03, 0.03});
    /* Birth: far, range, same year, year given alone, same month, one digit, swapped, exact.
     * A year given alone agrees for most true pairs that have one (about 5 % of them) and for
     * 1 in 70 different people among those. */
    set_levels(model, RZ_MF_BIRTH, (const double[]){0.01, 0.08, 0.02, 0.05, 0.02, 0.05, 0.01, 0.76},
               (const double[]){0.95, 0.03, 0.013, 0.0007, 0.0012, 0.0005, 0.00005, 0.00004});
    set_levels(model, RZ_MF_SEX, (const double[]){0.02, 0.98}, (const double[]){0.5, 0.5});
    set_levels(model, RZ_MF_BIRTH_PLACE, (const double[]){0.2, 0.05, 0.75},
               (const double[]){0.95, 0.01, 0.04});
    set_levels(model, RZ_MF_EVENT_PLACE, (const double[]){0.4, 0.05, 0.55},
               (const double[]){0.9, 0.01, 0.09});
    /* Identifiers: conflict, different, close, same. */
    set_levels(model, RZ_MF_IDENTIFIER, (const double[]){0.01, 0.09, 0.1, 0.8},
               (const double[]){0.5, 0.49994, 0.00005, 0.00001});
    /* Timeline: impossible, possible. */
    set_levels(model, RZ_MF_TIMELINE, (const double[]){0.002, 0.998}, (const double[]){0.3, 0.7});
    model->tf[RZ_MF_SURNAME] = true;
    model->tf[RZ_MF_GIVEN] = true;
}

double rz_model_weight(const rz_model *model, rz_match_field f, int level)
{
    if ((unsigned)f >= RZ__MF_COUNT || level <= 0 || level >= rz_match_field_levels(f))
        return 0.0;
    return log2(clamp_prob(model->m[f][level]) / clamp_prob(model->u[f][level]));
}

double rz_model_prior(const rz_model *model, double records, double total_pairs)
{
    if (!(total_pairs > 0.0) || !(records > 0.0))
        return 0.0;
    double lambda = clamp_prob(model->match_rate * records / total_pairs);
    return log2(lambda / (1.0 - lambda));
}

double rz_weight_to_probability(double w)
{
    return 1.0 / (1.0 + exp2(-w));
}

double rz_probability_to_weight(double p)
{
    p = clamp_prob(p);
    return log2(p / (1.0 - p));
}

/* The adjustment for agreeing on a term of frequency `freq`: log2(u_level / freq). */
static double tf_adjust(double u, double freq)
{
    if (!(freq > 0.0))
        return 0.0;
    double a = log2(clamp_prob(u) / freq);
    if (a > RZ_TF_ADJUST_MAX)
        return RZ_TF_ADJUST_MAX;
    return a < -RZ_TF_ADJUST_MAX ? -RZ_TF_ADJUST_MAX : a;
}

void rz_model_score(const rz_model *model, const rz_term_freq *tf, double prior,
                    const rz_comparison *cmp, rz_score *out)
{
    out->prior = prior;
    double w = prior;
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int level = cmp->level[f];
        double adj = 0.0;
        if (tf && model->tf[f] && level >= (int)RZ_LEVEL_EQUIVALENT) {
            const char *term = f == RZ_MF_SURNAME ? cmp->surname_term
                               : f == RZ_MF_GIVEN ? cmp->given_term
                                                  : NULL;
            if (term)
                adj = tf_adjust(model->u[f][level], rz_term_freq_get(tf, (rz_match_field)f, term));
        }
        out->tf_adjust[f] = adj;
        out->weight[f] = rz_model_weight(model, (rz_match_field)f, level) + adj;
        w += out->weight[f];
    }
    out->match_weight = w;
    out->probability = rz_weight_to_probability(w);
}

/* ---- JSON --------------------------------------------------------------------------------- */

rz_status rz_model_to_json(const rz_model *model, char **out, rz_error *err)
{
    *out = NULL;
    json_t *root = json_object(), *fields = json_object();
    if (!root || !fields)
        goto nomem;
    if (json_object_set_new(root, "label", json_string(model->label)) ||
        json_object_set_new(root, "match_rate", json_real(model->match_rate)) ||
        json_object_set(root, "fields", fields))
        goto nomem;
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        json_t *jf = json_object(), *levels = json_object();
        if (!jf || !levels ||
            json_object_set_new(fields, rz_match_field_name((rz_match_field)f), jf) ||
            json_object_set_new(jf, "tf", json_boolean(model->tf[f])) ||
            json_object_set_new(jf, "levels", levels)) {
            json_decref(levels);
            goto nomem;
        }
        for (int l = 1; l < rz_match_field_levels((rz_match_field)f); l++) {
            json_t *jl = json_pack("{s:f,s:f}", "m", model->m[f][l], "u", model->u[f][l]);
            if (!jl || json_object_set_new(levels, rz_match_level_name((rz_match_field)f, l), jl))
                goto nomem;
        }
    }
    *out = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(fields);
    json_decref(root);
    if (*out == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory writing the model");
    return RZ_OK;
nomem:
    json_decref(fields);
    json_decref(root);
    return rz_error_set(err, RZ_ENOMEM, "out of memory writing the model");
}

static rz_status read_field(json_t *jf, rz_model *model, rz_match_field f, rz_error *err)
{
    json_t *tf = json_object_get(jf, "tf");
    if (json_is_boolean(tf))
        model->tf[f] = json_is_true(tf);
    json_t *levels = json_object_get(jf, "levels");
    for (int l = 1; l < rz_match_field_levels(f); l++) {
        json_t *jl = json_object_get(levels, rz_match_level_name(f, l));
        if (jl == NULL)
            continue;
        json_t *m = json_object_get(jl, "m"), *u = json_object_get(jl, "u");
        if (!json_is_number(m) || !json_is_number(u) || json_number_value(m) < 0.0 ||
            json_number_value(m) > 1.0 || json_number_value(u) < 0.0 || json_number_value(u) > 1.0)
            return rz_error_set(err, RZ_EPARSE, "model: %s level %s needs m and u in [0,1]",
                                rz_match_field_name(f), rz_match_level_name(f, l));
        model->m[f][l] = json_number_value(m);
        model->u[f][l] = json_number_value(u);
    }
    return RZ_OK;
}

rz_status rz_model_from_json(const char *text, rz_model *model, rz_error *err)
{
    json_error_t jerr;
    rz_model_defaults(model);
    json_t *root = json_loads(text ? text : "", 0, &jerr);
    if (root == NULL)
        return rz_error_set(err, RZ_EPARSE, "model: %s at line %d", jerr.text, jerr.line);
    rz_status s = RZ_OK;
    json_t *label = json_object_get(root, "label"), *rate = json_object_get(root, "match_rate");
    if (json_is_string(label)) {
        size_t n = strlen(json_string_value(label));
        if (n >= sizeof model->label)
            n = sizeof model->label - 1;
        memcpy(model->label, json_string_value(label), n);
        model->label[n] = '\0';
    }
    if (json_is_number(rate) && json_number_value(rate) > 0.0)
        model->match_rate = json_number_value(rate);
    json_t *fields = json_object_get(root, "fields");
    for (int f = 0; f < RZ__MF_COUNT && s == RZ_OK; f++) {
        json_t *jf = json_object_get(fields, rz_match_field_name((rz_match_field)f));
        if (jf)
            s = read_field(jf, model, (rz_match_field)f, err);
    }
    json_decref(root);
    return s;
}
