/*
 * explain.c: the score of one pair field by field (for `rozshuk explain`), and reading a job's
 * candidates page by page (keyset pagination: each page is one parameterised query).
 */
#include "match/match_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_int64(const char *s, int64_t *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0')
        return false;
    *out = v;
    return true;
}

void rz_explanation_free(rz_explanation *ex)
{
    if (ex == NULL)
        return;
    rz_record_set_free(ex->records);
    ex->records = NULL;
}

/* The number of records with a term of a key kind, and the number of all records. */
static rz_status term_count(rz_db *db, const char *kind, const char *term, double *count,
                            rz_error *err)
{
    *count = 0.0;
    if (term == NULL)
        return RZ_OK;
    const char *params[] = {kind, term};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "SELECT count(DISTINCT person_id) FROM rozshuk.person_key"
                             " WHERE kind = $1 AND key = $2",
                             2, params, &res, err);
    if (s == RZ_OK)
        *count = strtod(rz_result_value(res, 0, 0), NULL);
    rz_result_free(res);
    return s;
}

/* The job's model and prior, or the latest model and a whole-database dedupe prior. */
static rz_status model_and_prior(rz_db *db, int64_t job_id, rz_model *model, double *prior,
                                 double *total, rz_error *err)
{
    rz_result *res = NULL;
    rz_status s;
    if (job_id > 0) {
        char job[24];
        snprintf(job, sizeof job, "%lld", (long long)job_id);
        const char *params[] = {job};
        s = rz_db_exec(db, "SELECT model_id, prior, tf_total FROM rozshuk.job WHERE id = $1", 1,
                       params, &res, err);
        if (s == RZ_OK && rz_result_rows(res) != 1)
            s = rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
        int64_t model_id = 0;
        if (s == RZ_OK) {
            parse_int64(rz_result_value(res, 0, 0), &model_id);
            *prior = strtod(rz_result_value(res, 0, 1), NULL);
            *total = strtod(rz_result_value(res, 0, 2), NULL);
            s = rz_model_load(db, model_id, model, err);
        }
        rz_result_free(res);
        return s;
    }
    s = rz_model_load_latest(db, model, err);
    if (s == RZ_OK)
        s = rz_db_exec(db, "SELECT count(*) FROM rozshuk.person", 0, NULL, &res, err);
    if (s == RZ_OK) {
        double n = strtod(rz_result_value(res, 0, 0), NULL);
        *total = n;
        *prior = rz_model_prior(model, n, n * (n - 1) / 2);
    }
    rz_result_free(res);
    return s;
}

rz_status rz_match_explain(rz_db *db, const rz_name_ctx *names, const char *ref_a,
                           const char *ref_b, int64_t job_id, rz_explanation *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    out->job_id = job_id;
    double prior = 0.0, total = 0.0;
    rz_term_freq *tf = NULL;
    rz_status s = rz_db_begin(db, err);
    if (s != RZ_OK)
        return s;
    if ((s = rz__task_tables(db, 0, 1, 0, "{}", "{}", false, err)) != RZ_OK ||
        (s = rz__select_ref(db, ref_a, err)) != RZ_OK ||
        (s = rz__select_ref(db, ref_b, err)) != RZ_OK ||
        (s = rz__set_new(&out->records, err)) != RZ_OK ||
        (s = rz__set_load(db, names, out->records, NULL, false, true, err)) != RZ_OK ||
        (s = model_and_prior(db, job_id, &out->model, &prior, &total, err)) != RZ_OK)
        goto done;
    if (out->records->n != 2) {
        s = rz_error_set(err, RZ_EINVAL, "name two different records");
        goto done;
    }
    /* keep the order the user gave: a first */
    const char *colon = strchr(ref_a, ':');
    const char *sa = rz_record_set_source(out->records, 0);
    const char *ia = rz_record_set_source_id(out->records, 0);
    size_t first = (sa && ia && strncmp(sa, ref_a, (size_t)(colon - ref_a)) == 0 &&
                    sa[colon - ref_a] == '\0' && strcmp(ia, colon + 1) == 0)
                       ? 0
                       : 1;
    const rz_match_record *a = &out->records->recs[first], *b = &out->records->recs[1 - first];
    if (first == 1) {
        rz_match_record t = out->records->recs[0];
        out->records->recs[0] = out->records->recs[1];
        out->records->recs[1] = t;
        for (int k = 0; k < 3; k++) {
            char *x = out->records->labels[k];
            out->records->labels[k] = out->records->labels[3 + k];
            out->records->labels[3 + k] = x;
        }
        a = &out->records->recs[0];
        b = &out->records->recs[1];
    }
    rz_compare_records(a, b, &out->cmp);
    double ns = 0.0, ng = 0.0;
    if ((s = rz_term_freq_new(&tf, err)) != RZ_OK ||
        (s = term_count(db, "sur_fold", out->cmp.surname_term, &ns, err)) != RZ_OK ||
        (s = term_count(db, "given_canon", out->cmp.given_term, &ng, err)) != RZ_OK)
        goto done;
    if (out->cmp.surname_term && ns > 0)
        s = rz_term_freq_add(tf, RZ_MF_SURNAME, out->cmp.surname_term, ns, err);
    if (s == RZ_OK && out->cmp.given_term && ng > 0)
        s = rz_term_freq_add(tf, RZ_MF_GIVEN, out->cmp.given_term, ng, err);
    if (s != RZ_OK)
        goto done;
    rz_term_freq_set_total(tf, RZ_MF_SURNAME, total);
    rz_term_freq_set_total(tf, RZ_MF_GIVEN, total);
    out->surname_freq = total > 0 ? ns / total : 0;
    out->given_freq = total > 0 ? ng / total : 0;
    rz_model_score(&out->model, tf, prior, &out->cmp, &out->score);
done:
    rz_term_freq_free(tf);
    rz_db_rollback(db);
    if (s != RZ_OK)
        rz_explanation_free(out);
    return s;
}

/*
 * The page is chosen from the candidate table alone, in the order of candidate_rank_idx (sql/0018:
 * within a job probability follows the match weight, so this is the weight's order), starting
 * at the cursor; the names, cluster and review state are looked up for its rows only.
 */
static const char SQL_PAGE[] =
    "SELECT c.person_a, c.person_b, sa.name, pa.source_record_id,"
    " (SELECT n.written FROM rozshuk.person_name n WHERE n.person_id = pa.id"
    "   ORDER BY (n.role = 'primary') DESC, n.id LIMIT 1),"
    " sb.name, pb.source_record_id,"
    " (SELECT n.written FROM rozshuk.person_name n WHERE n.person_id = pb.id"
    "   ORDER BY (n.role = 'primary') DESC, n.id LIMIT 1),"
    " c.probability, c.match_weight, c.levels, c.contributions, m.cluster_id, c.rule,"
    " c.id, rozshuk.pair_state(c.person_a, c.person_b)"
    " FROM (SELECT c.* FROM rozshuk.candidate c"
    "  WHERE c.job_id = $1 AND c.probability >= $2"
    "   AND ($3::float8 IS NULL OR (c.probability <= $8::float8"
    "    AND (c.probability < $8::float8 OR c.match_weight < $3::float8"
    "     OR (c.match_weight = $3::float8"
    "      AND (c.person_a, c.person_b) > ($4::bigint, $5::bigint)))))"
    "   AND ($7::text IS NULL OR rozshuk.pair_state(c.person_a, c.person_b) = $7::text)"
    "  ORDER BY c.probability DESC, c.match_weight DESC, c.person_a, c.person_b LIMIT $6) c"
    " JOIN rozshuk.person pa ON pa.id = c.person_a JOIN rozshuk.source sa ON sa.id = pa.source_id"
    " JOIN rozshuk.person pb ON pb.id = c.person_b JOIN rozshuk.source sb ON sb.id = pb.source_id"
    " LEFT JOIN rozshuk.cluster_member m ON m.job_id = c.job_id AND m.person_id = c.person_a"
    " ORDER BY c.probability DESC, c.match_weight DESC, c.person_a, c.person_b";

rz_status rz_candidates_page(rz_db *db, int64_t job_id, double min_probability,
                             rz_candidate_cursor *cursor, size_t limit, rz_result **out,
                             rz_error *err)
{
    return rz_candidates_page_state(db, job_id, min_probability, NULL, cursor, limit, out, err);
}

rz_status rz_candidates_page_state(rz_db *db, int64_t job_id, double min_probability,
                                   const char *state, rz_candidate_cursor *cursor, size_t limit,
                                   rz_result **out, rz_error *err)
{
    *out = NULL;
    static const char *const STATES[] = {"undecided", "confirm", "exclude", "unsure", "premature"};
    bool known = state == NULL;
    for (size_t i = 0; !known && i < sizeof STATES / sizeof STATES[0]; i++)
        known = strcmp(state, STATES[i]) == 0;
    if (!known)
        return rz_error_set(err, RZ_EINVAL,
                            "unknown review state (undecided, confirm, exclude, unsure, "
                            "premature)");
    char job[24], minp[40], lim[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    snprintf(minp, sizeof minp, "%.17g", min_probability);
    snprintf(lim, sizeof lim, "%zu", limit);
    if (!cursor->started) {
        rz_result *res = NULL;
        const char *p1[] = {job};
        rz_status s = rz_db_exec(db, "SELECT 1 FROM rozshuk.job WHERE id = $1", 1, p1, &res, err);
        size_t rows = rz_result_rows(res);
        rz_result_free(res);
        if (s != RZ_OK)
            return s;
        if (rows != 1)
            return rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
    }
    const char *params[] = {job,
                            minp,
                            cursor->started ? cursor->match_weight : NULL,
                            cursor->started ? cursor->person_a : NULL,
                            cursor->started ? cursor->person_b : NULL,
                            lim,
                            state,
                            cursor->started ? cursor->probability : NULL};
    rz_status s = rz_db_exec(db, SQL_PAGE, 8, params, out, err);
    if (s != RZ_OK)
        return s;
    size_t n = rz_result_rows(*out);
    if (n > 0) {
        cursor->started = true;
        snprintf(cursor->person_a, sizeof cursor->person_a, "%s", rz_result_value(*out, n - 1, 0));
        snprintf(cursor->person_b, sizeof cursor->person_b, "%s", rz_result_value(*out, n - 1, 1));
        snprintf(cursor->match_weight, sizeof cursor->match_weight, "%s",
                 rz_result_value(*out, n - 1, 9));
        snprintf(cursor->probability, sizeof cursor->probability, "%s",
                 rz_result_value(*out, n - 1, 8));
    }
    return RZ_OK;
}

size_t rz_parse_number_array(const char *text, double *out, size_t max)
{
    if (text == NULL || *text != '{')
        return 0;
    const char *p = text + 1;
    size_t n = 0;
    while (*p && *p != '}' && n < max) {
        char *end;
        out[n++] = strtod(p, &end);
        if (end == p)
            return n - 1;
        p = end;
        if (*p == ',')
            p++;
    }
    return n;
}
