/*
 * train_labels.c: a model from reviewers' decisions (`rozshuk model train --labels`).
 * A confirmed pair is a true match and an excluded pair a true non-match, so the level shares
 * among them estimate m and u directly, where EM can only infer them. Starts from the EM
 * estimate (train_job.c); a field's m is replaced only when enough confirmed pairs show the
 * field (a handful of labels would otherwise override thousands of pairs' evidence).
 * u: the excluded pairs' levels join the random pairs' counts. Random pairs stay the bulk of
 * it: excluded pairs were proposed because they look alike, so alone they would understate
 * how rarely different people agree.
 */
#include "match/match_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct label_counts {
    double conf[RZ__MF_COUNT][RZ_LEVELS_MAX], excl[RZ__MF_COUNT][RZ_LEVELS_MAX];
    size_t conf_n[RZ__MF_COUNT], excl_n[RZ__MF_COUNT];
} label_counts;

static const char SQL_LABELLED[] = "SELECT person_a, person_b, state FROM ("
                                   " SELECT d.person_a, d.person_b,"
                                   "  rozshuk.pair_state(d.person_a, d.person_b) AS state"
                                   " FROM rozshuk.pair_decision d"
                                   " WHERE d.decision IN ('confirm', 'exclude')) s"
                                   " WHERE state IN ('confirm', 'exclude')"
                                   " AND EXISTS (SELECT 1 FROM rozshuk.person WHERE id = person_a)"
                                   " AND EXISTS (SELECT 1 FROM rozshuk.person WHERE id = person_b)"
                                   " ORDER BY person_a, person_b";

static void count_pair(const rz_record_set *set, int64_t a, int64_t b, bool confirmed,
                       label_counts *c)
{
    size_t x = rz__set_find(set, a), y = rz__set_find(set, b);
    if (x == SIZE_MAX || y == SIZE_MAX)
        return;
    rz_comparison cmp;
    rz_compare_records(&set->recs[x], &set->recs[y], &cmp);
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int l = cmp.level[f];
        if (l <= 0 || l >= RZ_LEVELS_MAX)
            continue; /* missing: says nothing about m or u */
        if (confirmed)
            c->conf[f][l]++, c->conf_n[f]++;
        else
            c->excl[f][l]++, c->excl_n[f]++;
    }
}

/* Reads the records of the labelled pairs and counts their levels. */
static rz_status read_labels(rz_db *db, const rz_name_ctx *names, label_counts *c,
                             rz_label_report *rep, rz_error *err)
{
    rz_record_set *set = NULL;
    rz_result *res = NULL;
    rz_status s = rz_db_begin(db, err);
    if (s != RZ_OK)
        return s;
    if ((s = rz__task_tables(db, 0, 1, 0, "{}", "{}", false, err)) != RZ_OK ||
        (s = rz_db_exec(db, SQL_LABELLED, 0, NULL, &res, err)) != RZ_OK ||
        (s = rz_db_exec(db,
                        "INSERT INTO rz_task_person (id, side) SELECT DISTINCT x, 1 FROM ("
                        " SELECT d.person_a FROM rozshuk.pair_decision d"
                        "  WHERE d.decision IN ('confirm', 'exclude')"
                        " UNION SELECT d.person_b FROM rozshuk.pair_decision d"
                        "  WHERE d.decision IN ('confirm', 'exclude')) AS l(x)"
                        " WHERE EXISTS (SELECT 1 FROM rozshuk.person WHERE id = x)",
                        0, NULL, NULL, err)) != RZ_OK ||
        (s = rz__set_new(&set, err)) != RZ_OK ||
        (s = rz__set_load(db, names, set, NULL, false, false, err)) != RZ_OK)
        goto done;
    for (size_t r = 0; r < rz_result_rows(res); r++) {
        bool confirmed = strcmp(rz_result_value(res, r, 2), "confirm") == 0;
        count_pair(set, strtoll(rz_result_value(res, r, 0), NULL, 10),
                   strtoll(rz_result_value(res, r, 1), NULL, 10), confirmed, c);
        if (confirmed)
            rep->confirmed++;
        else
            rep->excluded++;
    }
done:
    rz_db_rollback(db); /* the temporary tables only */
    rz_result_free(res);
    rz_record_set_free(set);
    return s;
}

static double clamp_prob(double p)
{
    return fmin(fmax(p, RZ_PROB_MIN), 1.0 - RZ_PROB_MIN);
}

/* m from the confirmed pairs where enough show the field; u from random plus excluded pairs. */
static void apply_labels(rz_model *model, const label_counts *c, size_t min_labels,
                         double random_pairs, rz_label_report *rep)
{
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int levels = rz_match_field_levels((rz_match_field)f);
        rep->confirmed_by_field[f] = c->conf_n[f];
        if (c->conf_n[f] >= min_labels && c->conf_n[f] > 0) {
            rep->m_from_labels |= 1u << f;
            double total = (double)c->conf_n[f] + 0.5 * (levels - 1);
            for (int l = 1; l < levels; l++)
                model->m[f][l] = clamp_prob((c->conf[f][l] + 0.5) / total);
        }
        if (random_pairs > 0 && c->excl_n[f] > 0)
            for (int l = 1; l < levels; l++)
                model->u[f][l] = clamp_prob((model->u[f][l] * random_pairs + c->excl[f][l]) /
                                            (random_pairs + (double)c->excl_n[f]));
    }
}

rz_status rz_model_train_labels(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                                size_t max_records, size_t min_labels, rz_model *model,
                                rz_train_report *report, rz_label_report *labels, rz_error *err)
{
    memset(labels, 0, sizeof *labels);
    label_counts *c = calloc(1, sizeof *c);
    if (c == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory");
    rz_status s = read_labels(db, names, c, labels, err);
    if (s == RZ_OK && labels->confirmed + labels->excluded == 0)
        s = rz_error_set(err, RZ_EINVAL,
                         "no reviewed pairs to train on: confirm or exclude candidates first "
                         "(rozshuk review)");
    if (s == RZ_OK) {
        s = rz__model_estimate(db, names, on, max_records, model, report, err);
        labels->em = s == RZ_OK;
        if (s == RZ_EINVAL && report->records < 100) { /* too few records for EM */
            rz_error_clear(err);
            s = rz_model_load_latest(db, model, err);
        }
    }
    if (s == RZ_OK) {
        apply_labels(model, c, min_labels, labels->em ? (double)report->random_pairs : 0.0, labels);
        snprintf(model->label, sizeof model->label, "trained on %zu records, %zu reviewed pairs",
                 report->records, labels->confirmed + labels->excluded);
        char trained_on[RZ_SELECTION_TEXT_MAX + 64];
        snprintf(trained_on, sizeof trained_on, "%s; labels: %zu confirmed, %zu excluded", on->text,
                 labels->confirmed, labels->excluded);
        s = rz_model_store(db, model, trained_on, err);
    }
    free(c);
    return s;
}
