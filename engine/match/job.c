/*
 * job.c: match jobs. A job row says what to compare and with which model and thresholds; its
 * task rows split the blocking-key space into partitions. Running a task reads its records,
 * blocks them in memory, scores each pair once and writes the pairs above the job's minimum
 * probability with COPY, then marks itself done, all in one transaction: a task that dies
 * leaves nothing behind and is simply run again. Finishing a job clusters its candidates.
 */
#include "halves.h"
#include "match/match_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TASK_RECORDS_DEFAULT 400000 /* records per partition when the job does not say */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static double parse_double(const char *s)
{
    return s ? strtod(s, NULL) : 0.0;
}

/* ---- selections ---------------------------------------------------------------------------- */

static bool append_element(char *arr, size_t cap, const char *value, size_t len, bool quote)
{
    size_t n = strlen(arr);
    if (n == 0) {
        if (cap < 3)
            return false;
        arr[n++] = '{';
    } else {
        arr[n - 1] = ','; /* replace the closing brace */
    }
    if (n + len + 4 > cap)
        return false;
    if (quote)
        arr[n++] = '"';
    memcpy(arr + n, value, len);
    n += len;
    if (quote)
        arr[n++] = '"';
    arr[n++] = '}';
    arr[n] = '\0';
    return true;
}

static bool all_chars(const char *s, size_t n, const char *allowed)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              strchr(allowed, s[i])))
            return false;
    return true;
}

rz_status rz_selection_parse(const char *text, rz_selection *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL || text[0] == '\0')
        return rz_error_set(err, RZ_EPARSE, "empty selection: name source=, kind=, batch= or all");
    size_t len = strlen(text);
    if (len > RZ_SELECTION_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "selection longer than %d bytes",
                            RZ_SELECTION_TEXT_MAX);
    memcpy(out->text, text, len + 1);
    size_t start = 0, kl = 0;
    const char *key = NULL; /* the field of the previous term: "source=a,b" lists two */
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != ',')
            continue;
        const char *t = text + start;
        size_t n = i - start;
        start = i + 1;
        if (n == 3 && memcmp(t, "all", 3) == 0)
            continue;
        const char *eq = memchr(t, '=', n), *v;
        size_t vl;
        if (eq != NULL) {
            key = t;
            kl = (size_t)(eq - t);
            v = eq + 1;
            vl = n - kl - 1;
        } else if (key != NULL) {
            v = t;
            vl = n;
        } else {
            return rz_error_set(err, RZ_EPARSE,
                                "selection term '%.*s': write source=NAME, kind=KIND or batch=ID",
                                (int)n, t);
        }
        bool ok;
        if (kl == 6 && memcmp(key, "source", 6) == 0) {
            ok = all_chars(v, vl, "_.-") &&
                 append_element(out->sources, sizeof out->sources, v, vl, true);
        } else if (kl == 4 && memcmp(key, "kind", 4) == 0) {
            char k[16];
            rz_kind kind;
            ok = vl < sizeof k;
            if (ok) {
                memcpy(k, v, vl);
                k[vl] = '\0';
                ok = rz_kind_parse(k, &kind) == RZ_OK &&
                     append_element(out->kinds, sizeof out->kinds, v, vl, true);
            }
        } else if (kl == 5 && memcmp(key, "batch", 5) == 0) {
            ok = all_chars(v, vl, "") && strspn(v, "0123456789") >= vl && vl <= 18 &&
                 append_element(out->batches, sizeof out->batches, v, vl, false);
        } else {
            return rz_error_set(err, RZ_EPARSE,
                                "selection term '%.*s': unknown field (source, kind, batch)",
                                (int)n, t);
        }
        if (!ok)
            return rz_error_set(err, RZ_EPARSE,
                                "selection term '%.*s': bad value (a source name, a kind "
                                "missing|remains|living|list, or a batch number)",
                                (int)n, t);
    }
    return RZ_OK;
}

/* ---- options ----------------------------------------------------------------------------------
 */

void rz_match_options_defaults(rz_match_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->mode = RZ_MODE_DEDUPE;
    memcpy(opts->rules, RZ_RULES_DEFAULT, sizeof RZ_RULES_DEFAULT);
    opts->min_probability = 0.01;
    opts->cluster_probability = 0.99;
    opts->max_block = RZ_BLOCK_DEFAULT_MAX;
    opts->split_block = RZ_BLOCK_DEFAULT_SPLIT;
}

/* The key kinds of the rules as PostgreSQL array literals: the first parts (`first`) and all
 * parts and split keys (`all`), and whether "id" is a first part. */
static rz_status rule_kinds(const rz_block_rule *rules, size_t n, char *first, char *all,
                            size_t cap, bool *use_id, rz_error *err)
{
    first[0] = all[0] = '\0';
    *use_id = false;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < rules[i].nparts; p++) {
            const char *k = rules[i].part[p];
            if (strcmp(k, "id") == 0 || strcmp(k, "birth_year") == 0 ||
                strcmp(k, "birth_day") == 0) {
                *use_id = *use_id || (p == 0 && k[0] == 'i');
                continue;
            }
            if ((p == 0 && !append_element(first, cap, k, strlen(k), true)) ||
                !append_element(all, cap, k, strlen(k), true))
                return rz_error_set(err, RZ_ETOOLONG, "too many blocking rules");
        }
    for (size_t i = 0; i < n; i++) /* split keys are read too */
        if (rules[i].split[0] &&
            !append_element(all, cap, rules[i].split, strlen(rules[i].split), true))
            return rz_error_set(err, RZ_ETOOLONG, "too many blocking rules");
    if (first[0] == '\0')
        memcpy(first, "{}", 3);
    if (all[0] == '\0')
        memcpy(all, "{}", 3);
    return RZ_OK;
}

/* ---- models in the database ------------------------------------------------------------------ */

static rz_status model_from_row(rz_result *res, rz_model *model, rz_error *err)
{
    rz_status s = rz_model_from_json(rz_result_value(res, 0, 1), model, err);
    if (s == RZ_OK)
        parse_int64(rz_result_value(res, 0, 0), &model->id);
    return s;
}

const char RZ_MODEL_LATEST_SQL[] =
    "SELECT id, params::text FROM rozshuk.model ORDER BY version DESC LIMIT 1";

rz_status rz_model_from_latest(rz_result *res, rz_model *model, rz_error *err)
{
    rz_model_defaults(model);
    return rz_result_rows(res) == 1 ? model_from_row(res, model, err) : RZ_OK;
}

rz_status rz_model_load_latest(rz_db *db, rz_model *model, rz_error *err)
{
    rz_result *res = NULL;
    rz_model_defaults(model);
    rz_status s = rz_db_exec(db, RZ_MODEL_LATEST_SQL, 0, NULL, &res, err);
    if (s == RZ_OK)
        s = rz_model_from_latest(res, model, err);
    rz_result_free(res);
    return s;
}

rz_status rz_model_load(rz_db *db, int64_t id, rz_model *model, rz_error *err)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    const char *params[] = {ids};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db, "SELECT id, params::text FROM rozshuk.model WHERE id = $1", 1,
                             params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) != 1)
        s = rz_error_set(err, RZ_ENOTFOUND, "no model %lld", (long long)id);
    if (s == RZ_OK)
        s = model_from_row(res, model, err);
    rz_result_free(res);
    return s;
}

rz_status rz_model_store(rz_db *db, rz_model *model, const char *trained_on, rz_error *err)
{
    char *json = NULL;
    rz_status s = rz_model_to_json(model, &json, err);
    if (s != RZ_OK)
        return s;
    const char *params[] = {model->label, json, trained_on};
    rz_result *res = NULL;
    s = rz_db_exec(db,
                   "INSERT INTO rozshuk.model (version, label, params, trained_on)"
                   " SELECT coalesce(max(version), 0) + 1, $1, $2::jsonb, $3 FROM rozshuk.model"
                   " RETURNING id",
                   3, params, &res, err);
    if (s == RZ_OK)
        parse_int64(rz_result_value(res, 0, 0), &model->id);
    rz_result_free(res);
    free(json);
    return s;
}

/* ---- planning ---------------------------------------------------------------------------------
 */

/* Prior log2-odds and the pairs in scope, from the sizes of the sides. */
static double job_prior(const rz_model *model, rz_match_mode mode, double na, double nb)
{
    double total, records;
    switch (mode) {
    case RZ_MODE_LINK:
        total = na * nb;
        records = fmin(na, nb);
        break;
    case RZ_MODE_NEW:
        total = na * (na - 1) / 2 + na * fmax(nb - na, 0.0);
        records = na;
        break;
    default:
        total = na * (na - 1) / 2;
        records = na;
        break;
    }
    return rz_model_prior(model, records, total);
}

static const char SQL_FIELDS[] = "{\"surname\",\"given name\",\"patronymic\",\"birth date\","
                                 "\"sex\",\"birth place\",\"last seen/found place\","
                                 "\"identifier\",\"timeline\"}";

static rz_status insert_job(rz_db *db, const rz_match_options *opts, const rz_model *model,
                            size_t na, size_t nb, int partitions, int64_t *job_id, rz_error *err)
{
    char model_id[24], minp[32], clp[32], maxb[24], splitb[24], parts[16], ra[24], rb[24],
        prior[40], batch[24];
    snprintf(model_id, sizeof model_id, "%lld", (long long)model->id);
    snprintf(minp, sizeof minp, "%.17g", opts->min_probability);
    snprintf(clp, sizeof clp, "%.17g", opts->cluster_probability);
    snprintf(maxb, sizeof maxb, "%zu", opts->max_block);
    snprintf(splitb, sizeof splitb, "%zu", opts->split_block);
    snprintf(parts, sizeof parts, "%d", partitions);
    snprintf(ra, sizeof ra, "%zu", na);
    snprintf(rb, sizeof rb, "%zu", nb);
    snprintf(prior, sizeof prior, "%.17g", job_prior(model, opts->mode, (double)na, (double)nb));
    snprintf(batch, sizeof batch, "%lld", (long long)opts->new_batch);
    const char *params[] = {rz_match_mode_name(opts->mode),
                            opts->a.text,
                            opts->mode == RZ_MODE_DEDUPE ? NULL
                            : opts->mode == RZ_MODE_LINK ? opts->b.text
                                                         : "all",
                            opts->mode == RZ_MODE_NEW ? batch : NULL,
                            model_id,
                            opts->rules,
                            SQL_FIELDS,
                            minp,
                            clp,
                            maxb,
                            parts,
                            ra,
                            rb,
                            prior,
                            opts->actor,
                            splitb};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(
        db,
        "INSERT INTO rozshuk.job (mode, selection_a, selection_b, new_batch, model_id, rules,"
        " fields, min_probability, cluster_probability, max_block, partitions, records_a,"
        " records_b, prior, actor, tf_total, split_block)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
        " (SELECT count(*) FROM rozshuk.person), $16) RETURNING id",
        16, params, &res, err);
    if (s == RZ_OK)
        parse_int64(rz_result_value(res, 0, 0), job_id);
    rz_result_free(res);
    if (s != RZ_OK)
        return s;
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)*job_id);
    const char *p2[] = {job, parts};
    s = rz_db_exec(db,
                   "INSERT INTO rozshuk.task (job_id, task_no)"
                   " SELECT $1, generate_series(0, $2::integer - 1)",
                   2, p2, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(db,
                       "INSERT INTO rozshuk.job_term (job_id, field, term, freq)"
                       " SELECT $1::bigint, 'surname', key, count(DISTINCT person_id)"
                       " FROM rozshuk.person_key WHERE kind = 'sur_fold' GROUP BY key"
                       " UNION ALL SELECT $1::bigint, 'given', key, count(DISTINCT person_id)"
                       " FROM rozshuk.person_key WHERE kind = 'given_canon' GROUP BY key",
                       1, p2, NULL, err);
    return s;
}

rz_status rz_match_job_create(rz_db *db, const rz_match_options *opts, int64_t *job_id,
                              rz_error *err)
{
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    rz_status s = rz_block_rules_parse(opts->rules, rules, &nrules, err);
    if (s != RZ_OK)
        return s;
    if (!(opts->min_probability >= 0.0 && opts->min_probability <= 1.0) ||
        !(opts->cluster_probability >= 0.0 && opts->cluster_probability <= 1.0))
        return rz_error_set(err, RZ_EINVAL, "probabilities must be between 0 and 1");
    rz_selection all, batch_sel;
    const rz_selection *b = NULL, *a = &opts->a;
    if (opts->mode == RZ_MODE_LINK)
        b = &opts->b;
    if (opts->mode == RZ_MODE_NEW) {
        char text[40];
        snprintf(text, sizeof text, "batch=%lld", (long long)opts->new_batch);
        if ((s = rz_selection_parse(text, &batch_sel, err)) != RZ_OK ||
            (s = rz_selection_parse("all", &all, err)) != RZ_OK)
            return s;
        a = &batch_sel;
        b = &all;
    }
    rz_model model;
    s = rz_model_load_latest(db, &model, err);
    if (s == RZ_OK && model.id == 0)
        s = rz_model_store(db, &model, "built-in defaults", err);
    size_t na = 0, nb = 0;
    if (s == RZ_OK)
        s = rz__count_sides(db, a, b, &na, &nb, err);
    if (s != RZ_OK)
        return s;
    if (na == 0 || (opts->mode == RZ_MODE_LINK && nb == 0))
        return rz_error_set(err, RZ_ENOTFOUND, "the selection names no records (%s%s%s)", a->text,
                            b ? " / " : "", b ? b->text : "");
    int partitions = opts->partitions;
    if (partitions <= 0)
        partitions = (int)((na + nb + TASK_RECORDS_DEFAULT - 1) / TASK_RECORDS_DEFAULT);
    if (partitions < 1)
        partitions = 1;
    if (partitions > 4096)
        partitions = 4096;
    rz_match_options o = *opts;
    if (opts->mode == RZ_MODE_NEW)
        o.a = *a;
    if ((s = rz_db_begin(db, err)) != RZ_OK)
        return s;
    s = insert_job(db, &o, &model, na, nb, partitions, job_id, err);
    if (s == RZ_OK)
        s = rz_db_commit(db, err);
    if (s != RZ_OK)
        rz_db_rollback(db);
    return s;
}

/* ---- tasks ------------------------------------------------------------------------------------
 */

typedef struct job_row {
    rz_match_mode mode;
    rz_selection a, b;
    bool has_b;
    int64_t model_id;
    char rules[RZ_RULES_MAX * (RZ_RULE_TEXT_MAX + 1)];
    double min_probability, cluster_probability, prior, tf_total;
    size_t max_block, split_block;
    int partitions;
    char task_state[16];
} job_row;

static rz_status read_job(rz_db *db, int64_t job_id, int task_no, job_row *j, rz_error *err)
{
    char job[24], task[16];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    snprintf(task, sizeof task, "%d", task_no);
    const char *params[] = {job, task};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(
        db,
        "SELECT j.mode, j.selection_a, j.selection_b, j.model_id, j.rules, j.min_probability,"
        " j.cluster_probability, j.prior, j.tf_total, j.max_block, j.partitions, t.state,"
        " coalesce(j.split_block, 0)"
        " FROM rozshuk.job j JOIN rozshuk.task t ON t.job_id = j.id AND t.task_no = $2"
        " WHERE j.id = $1",
        2, params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) != 1)
        s = rz_error_set(err, RZ_ENOTFOUND, "no task %d of job %lld", task_no, (long long)job_id);
    if (s != RZ_OK)
        goto done;
    const char *mode = rz_result_value(res, 0, 0);
    j->mode = strcmp(mode, "link") == 0  ? RZ_MODE_LINK
              : strcmp(mode, "new") == 0 ? RZ_MODE_NEW
                                         : RZ_MODE_DEDUPE;
    s = rz_selection_parse(rz_result_value(res, 0, 1), &j->a, err);
    j->has_b = rz_result_value(res, 0, 2) != NULL;
    if (s == RZ_OK && j->has_b)
        s = rz_selection_parse(rz_result_value(res, 0, 2), &j->b, err);
    if (s != RZ_OK)
        goto done;
    parse_int64(rz_result_value(res, 0, 3), &j->model_id);
    snprintf(j->rules, sizeof j->rules, "%s", rz_result_value(res, 0, 4));
    j->min_probability = parse_double(rz_result_value(res, 0, 5));
    j->cluster_probability = parse_double(rz_result_value(res, 0, 6));
    j->prior = parse_double(rz_result_value(res, 0, 7));
    j->tf_total = parse_double(rz_result_value(res, 0, 8));
    int64_t v = 0;
    parse_int64(rz_result_value(res, 0, 9), &v);
    j->max_block = (size_t)v;
    parse_int64(rz_result_value(res, 0, 10), &v);
    j->partitions = (int)v;
    snprintf(j->task_state, sizeof j->task_state, "%s", rz_result_value(res, 0, 11));
    parse_int64(rz_result_value(res, 0, 12), &v);
    j->split_block = (size_t)v;
done:
    rz_result_free(res);
    return s;
}

/* Pairs are scored in batches of PAIR_BATCH, split between SCORE_THREADS threads (the
 * comparison and the model only read the prepared records); each thread writes its share's
 * candidate rows into its own buffer, and the buffers go to COPY in the order the pairs were
 * generated, so the rows are the same, in the same order, as one thread's. */
#define PAIR_BATCH    32768
#define SCORE_THREADS 2
#define PART_MIN      2048 /* a batch smaller than this is scored by one thread */

typedef struct pair_ref {
    uint32_t x, y;
    int32_t rule;
} pair_ref;

struct scorer;

typedef struct score_part {
    const struct scorer *sc;
    const pair_ref *pairs;
    size_t n;
    char *out; /* n * CANDIDATE_ROW_MAX bytes at the most */
    size_t len, candidates;
} score_part;

typedef struct scorer {
    rz_db *db;
    const rz_record_set *set;
    const rz_model *model;
    const rz_term_freq *tf;
    double prior, min_probability;
    int64_t job_id;
    int task_no;
    pair_ref *batch;
    size_t nbatch;
    score_part part[SCORE_THREADS];
    int threads;
    size_t pairs, candidates;
    rz_status status;
    rz_error *err;
    const rz__task_control *ctl; /* NULL for a direct run */
} scorer;

/* Whether a worker's task should stop: its lease was lost, the job cancelled, or the worker
 * is stopping. Checked every 1024 pairs and between the task's steps. */
static bool task_stopping(const rz__task_control *ctl)
{
    return ctl != NULL && (atomic_load(ctl->cancel) || (ctl->stop != NULL && *ctl->stop));
}

static int put(scorer *sc, const char *data, size_t len)
{
    if (len > 0)
        sc->status = rz_db_copy_in_put(sc->db, data, len, sc->err);
    return sc->status != RZ_OK;
}

/* ---- candidates in COPY's binary format ----------------------------------------------------
 * A candidate is 9 fields in network byte order; the two arrays are one-dimensional, without
 * NULLs, of int2 (levels) and float4 (contributions). The server stores them without parsing
 * any text (a million candidates made float8in and array_in a large share of its work). The
 * values are rounded as the text rows were: weight to 6 decimals, probability to 9
 * significant digits, contributions to 3 decimals. */

#define PG_OID_INT2      21
#define PG_OID_FLOAT4    700
#define CANDIDATE_FIELDS 9
#define CANDIDATE_ROW_MAX                                                                          \
    (2 + CANDIDATE_FIELDS * 4 + 3 * 8 + 4 + 2 + 2 * 8 + 2 * (20 + RZ__MF_COUNT * 8))

static const char COPY_BINARY_HEADER[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

static char *put_u16(char *p, uint16_t v)
{
    p[0] = (char)(v >> 8);
    p[1] = (char)v;
    return p + 2;
}

static char *put_u32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)(v >> (24 - 8 * i));
    return p + 4;
}

static char *put_u64(char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (char)(v >> (56 - 8 * i));
    return p + 8;
}

static char *put_i64_field(char *p, int64_t v)
{
    return put_u64(put_u32(p, 8), (uint64_t)v);
}

static char *put_f64_field(char *p, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return put_u64(put_u32(p, 8), bits);
}

/* The header of a one-dimensional array of n elements of type `oid` (its field length first). */
static char *put_array_head(char *p, size_t n, size_t elem_size, uint32_t oid)
{
    p = put_u32(p, (uint32_t)(20 + n * (4 + elem_size)));
    p = put_u32(p, 1); /* dimensions */
    p = put_u32(p, 0); /* no NULLs */
    p = put_u32(p, oid);
    p = put_u32(p, (uint32_t)n);
    return put_u32(p, 1); /* lower bound */
}

/* x rounded to `decimals` decimals, as printf("%.*f") and the server's parsing of it would:
 * the nearest double to the rounded decimal. */
static double round_decimals(double x, double scale)
{
    return isfinite(x) ? round(x * scale) / scale : x;
}

static size_t candidate_row(char *p0, const scorer *sc, const rz_match_record *a,
                            const rz_match_record *b, int rule, const rz_comparison *cmp,
                            const rz_score *score)
{
    char *p = put_u16(p0, CANDIDATE_FIELDS);
    p = put_i64_field(p, sc->job_id);
    p = put_i64_field(p, a->id);
    p = put_i64_field(p, b->id);
    p = put_u32(put_u32(p, 4), (uint32_t)sc->task_no);
    p = put_u16(put_u32(p, 2), (uint16_t)rule);
    p = put_f64_field(p, round_decimals(score->match_weight, 1e6));
    char text[32];
    snprintf(text, sizeof text, "%.9g", score->probability);
    p = put_f64_field(p, strtod(text, NULL));
    p = put_array_head(p, RZ__MF_COUNT, 2, PG_OID_INT2);
    for (int f = 0; f < RZ__MF_COUNT; f++)
        p = put_u16(put_u32(p, 2), (uint16_t)cmp->level[f]);
    p = put_array_head(p, RZ__MF_COUNT, 4, PG_OID_FLOAT4);
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        float w = (float)round_decimals(score->weight[f], 1e3);
        uint32_t bits;
        memcpy(&bits, &w, sizeof bits);
        p = put_u32(put_u32(p, 4), bits);
    }
    return (size_t)(p - p0);
}

static void *score_part_run(void *arg)
{
    score_part *p = arg;
    const scorer *sc = p->sc;
    p->len = p->candidates = 0;
    for (size_t i = 0; i < p->n; i++) {
        const rz_match_record *a = &sc->set->recs[p->pairs[i].x];
        const rz_match_record *b = &sc->set->recs[p->pairs[i].y];
        if (a->id > b->id) {
            const rz_match_record *t = a;
            a = b;
            b = t;
        }
        rz_comparison cmp;
        rz_score score;
        rz_compare_records(a, b, &cmp);
        rz_model_score(sc->model, sc->tf, sc->prior, &cmp, &score);
        if (score.probability < sc->min_probability)
            continue;
        p->len += candidate_row(p->out + p->len, sc, a, b, p->pairs[i].rule, &cmp, &score);
        p->candidates++;
    }
    return NULL;
}

/* Scores the batch (on two threads when it is large enough and a thread can be made) and
 * sends its candidates. */
static int score_batch(scorer *sc)
{
    size_t n = sc->nbatch, share = sc->threads > 1 && n >= PART_MIN ? (n + 1) / 2 : n;
    sc->nbatch = 0;
    score_part *p = sc->part;
    p[0].pairs = sc->batch;
    p[0].n = share;
    p[1].pairs = sc->batch + share;
    p[1].n = n - share;
    rz__run_halves(score_part_run, &p[0], p[1].n > 0 ? &p[1] : NULL);
    for (int t = 0; t < 2; t++) {
        sc->candidates += p[t].candidates;
        if (put(sc, p[t].out, p[t].len))
            return 1;
    }
    return 0;
}

static int score_pair(size_t x, size_t y, int rule, void *user)
{
    scorer *sc = user;
    sc->batch[sc->nbatch++] = (pair_ref){(uint32_t)x, (uint32_t)y, rule};
    sc->pairs++;
    if (sc->ctl != NULL && (sc->pairs & 1023) == 0) {
        atomic_store(sc->ctl->pairs, sc->pairs);
        if (task_stopping(sc->ctl)) {
            sc->status = rz_error_set(sc->err, RZ_ECANCELLED, "task %d of job %lld stopped",
                                      sc->task_no, (long long)sc->job_id);
            return 1;
        }
    }
    return sc->nbatch == PAIR_BATCH ? score_batch(sc) : 0;
}

/* The scorer's buffers: the batch of pairs and each thread's rows. */
static rz_status scorer_buffers(scorer *sc, rz_error *err)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    sc->threads = cpus > 1 ? SCORE_THREADS : 1;
    sc->batch = malloc(PAIR_BATCH * sizeof *sc->batch);
    for (int t = 0; t < SCORE_THREADS; t++) {
        sc->part[t].sc = sc;
        sc->part[t].out = malloc((PAIR_BATCH / 2 + 1) * (size_t)CANDIDATE_ROW_MAX *
                                 (t == 0 ? 2 : 1)); /* the first takes a whole batch alone */
        if (sc->part[t].out == NULL)
            sc->batch = (free(sc->batch), NULL);
    }
    return sc->batch ? RZ_OK : rz_error_set(err, RZ_ENOMEM, "out of memory for the scorer");
}

static void scorer_free(scorer *sc)
{
    free(sc->batch);
    for (int t = 0; t < SCORE_THREADS; t++)
        free(sc->part[t].out);
}

typedef struct task_result {
    size_t records, pairs, candidates;
    rz_block_stats stats;
    double seconds;
} task_result;

/*
 * Marks the task done in the task's transaction. A worker's run (`ctl`) requires that the task
 * is still running under it at the same attempt: when the lease ran out and another worker
 * claimed it, or the job was cancelled, nothing matches and the caller rolls back, so the
 * candidates of a task are committed exactly once. A direct run requires only "not done".
 */
static rz_status finish_task(rz_db *db, int64_t job_id, int task_no, const task_result *r,
                             const rz__task_control *ctl, rz_error *err)
{
    char job[24], task[16], recs[24], pairs[24], cands[24], bs[24], ps[24], secs[32], att[16],
        bsp[24], psp[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    snprintf(task, sizeof task, "%d", task_no);
    snprintf(recs, sizeof recs, "%zu", r->records);
    snprintf(pairs, sizeof pairs, "%zu", r->pairs);
    snprintf(cands, sizeof cands, "%zu", r->candidates);
    snprintf(bs, sizeof bs, "%zu", r->stats.blocks_skipped);
    snprintf(ps, sizeof ps, "%zu", r->stats.pairs_skipped);
    snprintf(bsp, sizeof bsp, "%zu", r->stats.blocks_split);
    snprintf(psp, sizeof psp, "%zu", r->stats.pairs_split);
    snprintf(secs, sizeof secs, "%.3f", r->seconds);
    snprintf(att, sizeof att, "%d", ctl ? ctl->attempt : 0);
    const char *params[] = {job, task, recs, pairs, cands, bs, ps, secs, ctl ? ctl->worker : NULL,
                            att, bsp,  psp};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "UPDATE rozshuk.task SET state = 'done', records = $3, pairs = $4,"
                             " candidates = $5, blocks_skipped = $6, pairs_skipped = $7,"
                             " seconds = $8, finished_at = clock_timestamp(), pairs_scored = $4,"
                             " lease_until = NULL, error = NULL, blocks_split = $11,"
                             " pairs_split = $12"
                             " WHERE job_id = $1 AND task_no = $2 AND CASE WHEN $9::text IS NULL"
                             " THEN state <> 'done' ELSE state = 'running' AND worker = $9"
                             " AND attempts = $10::integer END",
                             12, params, &res, err);
    if (s == RZ_OK && rz_result_affected(res) != 1)
        s = rz_error_set(err, RZ_ECONFLICT,
                         "task %d of job %lld is no longer held by this worker (lease lost, or "
                         "the job was cancelled); its results are discarded",
                         task_no, (long long)job_id);
    rz_result_free(res);
    if (s == RZ_OK && ctl == NULL)
        s = rz_db_exec(db,
                       "UPDATE rozshuk.job SET state = 'running', started_at = now()"
                       " WHERE id = $1 AND state = 'pending'",
                       1, params, NULL, err);
    return s;
}

/* Tests: makes the task last at least `min_seconds` (before its commit), stopping early when
 * the task is told to stop. */
static rz_status test_delay(const rz__task_control *ctl, double t0, rz_error *err)
{
    while (ctl != NULL && now_seconds() - t0 < ctl->min_seconds) {
        if (task_stopping(ctl))
            return rz_error_set(err, RZ_ECANCELLED, "task stopped");
        usleep(20000);
    }
    return RZ_OK;
}

static rz_status run_task_body(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                               const job_row *j, bool fail_before_commit,
                               const rz__task_control *ctl, task_result *r, rz_error *err)
{
    double t0 = now_seconds();
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    char kinds[512], all_kinds[512];
    bool use_id;
    rz_model model;
    rz_record_set *set = NULL;
    rz_blocker *blocker = NULL;
    rz_term_freq *tf = NULL;
    scorer sc = {0};
    rz_status s = rz_block_rules_parse(j->rules, rules, &nrules, err);
    if (s == RZ_OK)
        s = rule_kinds(rules, nrules, kinds, all_kinds, sizeof kinds, &use_id, err);
    if (s == RZ_OK)
        s = rz_model_load(db, j->model_id, &model, err);
    if (s == RZ_OK)
        s = rz__task_tables(db, job_id, j->partitions, task_no, kinds, all_kinds, use_id, err);
    if (s == RZ_OK)
        /* one partition: every record of the selection, without testing each one's keys */
        s = rz__select_persons(db, &j->a, j->has_b ? &j->b : NULL, j->partitions == 1, &r->records,
                               err);
    if (s == RZ_OK)
        s = rz__set_new(&set, err);
    if (s == RZ_OK)
        s = rz_blocker_new(rules, nrules, &blocker, err);
    if (s != RZ_OK)
        goto done;
    rz_blocker_set_max_block(blocker, j->max_block);
    rz_blocker_set_split_block(blocker, j->split_block);
    if ((s = rz__set_load(db, names, set, blocker, j->partitions == 1, false, err)) != RZ_OK ||
        (s = rz_term_freq_new(&tf, err)) != RZ_OK ||
        (s = rz__term_freq_load(db, job_id, j->tf_total, tf, err)) != RZ_OK)
        goto done;
    char job[24], task[16];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    snprintf(task, sizeof task, "%d", task_no);
    const char *params[] = {job, task};
    s = rz_db_exec(db, "DELETE FROM rozshuk.candidate WHERE job_id = $1 AND task_no = $2", 2,
                   params, NULL, err);
    if (s != RZ_OK)
        goto done;
    if (task_stopping(ctl)) {
        s = rz_error_set(err, RZ_ECANCELLED, "task %d of job %lld stopped", task_no,
                         (long long)job_id);
        goto done;
    }
    sc = (scorer){.db = db,
                  .set = set,
                  .model = &model,
                  .tf = tf,
                  .prior = j->prior,
                  .min_probability = j->min_probability,
                  .job_id = job_id,
                  .task_no = task_no,
                  .status = RZ_OK,
                  .err = err,
                  .ctl = ctl};
    if ((s = scorer_buffers(&sc, err)) != RZ_OK)
        goto done;
    s = rz_db_copy_in_begin(db,
                            "COPY rozshuk.candidate (job_id, person_a, person_b, task_no, rule,"
                            " match_weight, probability, levels, contributions) FROM STDIN"
                            " WITH (FORMAT binary)",
                            err);
    if (s != RZ_OK)
        goto done;
    if (put(&sc, COPY_BINARY_HEADER, sizeof COPY_BINARY_HEADER))
        s = sc.status;
    if (s == RZ_OK)
        s = rz_blocker_pairs(blocker, set->recs, set->sides, set->n, j->mode, score_pair, &sc,
                             &r->stats, err);
    if (s == RZ_ECANCELLED && sc.status != RZ_OK)
        s = sc.status;
    if (s == RZ_OK && score_batch(&sc))
        s = sc.status;
    char trailer[2];
    put_u16(trailer, 0xFFFF); /* the end of the data */
    if (s == RZ_OK && put(&sc, trailer, sizeof trailer))
        s = sc.status;
    if (s != RZ_OK) {
        rz_db_copy_in_abort(db, "task failed");
        goto done;
    }
    if ((s = rz_db_copy_in_end(db, err)) != RZ_OK)
        goto done;
    r->pairs = sc.pairs;
    r->candidates = sc.candidates;
    r->seconds = now_seconds() - t0;
    if (ctl != NULL)
        atomic_store(ctl->pairs, sc.pairs);
    if (fail_before_commit) {
        s = rz_error_set(err, RZ_ECANCELLED, "task %d stopped before commit (test)", task_no);
        goto done;
    }
    if ((s = test_delay(ctl, t0, err)) != RZ_OK)
        goto done;
    s = finish_task(db, job_id, task_no, r, ctl, err);
done:
    scorer_free(&sc);
    rz_term_freq_free(tf);
    rz_blocker_free(blocker);
    rz_record_set_free(set);
    return s;
}

static rz_status task_run(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                          bool fail_before_commit, const rz__task_control *ctl, size_t *pairs,
                          rz_error *err)
{
    *pairs = 0;
    job_row j;
    rz_status s = rz_db_begin(db, err);
    if (s != RZ_OK)
        return s;
    s = read_job(db, job_id, task_no, &j, err);
    if (s == RZ_OK && ctl == NULL && strcmp(j.task_state, "done") == 0) {
        rz_db_rollback(db);
        return RZ_OK;
    }
    if (s == RZ_OK && ctl != NULL && strcmp(j.task_state, "running") != 0)
        s = rz_error_set(err, RZ_ECONFLICT, "task %d of job %lld is %s, no longer this worker's",
                         task_no, (long long)job_id, j.task_state);
    task_result r;
    memset(&r, 0, sizeof r);
    if (s == RZ_OK)
        s = run_task_body(db, names, job_id, task_no, &j, fail_before_commit, ctl, &r, err);
    if (s == RZ_OK)
        s = rz_db_commit(db, err);
    if (s != RZ_OK) {
        rz_db_rollback(db);
        return s;
    }
    *pairs = r.pairs;
    return RZ_OK;
}

rz_status rz_match_task_run(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                            size_t *pairs, rz_error *err)
{
    return task_run(db, names, job_id, task_no, false, NULL, pairs, err);
}

rz_status rz__match_task_run(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                             const rz__task_control *ctl, size_t *pairs, rz_error *err)
{
    return task_run(db, names, job_id, task_no, false, ctl, pairs, err);
}

/* ---- finishing: clusters ----------------------------------------------------------------------
 */

static rz_status write_clusters(rz_db *db, const char *job, const int64_t *ids,
                                const int64_t *clusters, size_t n, rz_error *err)
{
    rz_status s = rz_db_copy_in_begin(
        db, "COPY rozshuk.cluster_member (job_id, person_id, cluster_id) FROM STDIN", err);
    char row[96];
    for (size_t i = 0; i < n && s == RZ_OK; i++) {
        int len = snprintf(row, sizeof row, "%s\t%lld\t%lld\n", job, (long long)ids[i],
                           (long long)clusters[i]);
        s = rz_db_copy_in_put(db, row, (size_t)len, err);
    }
    if (s == RZ_OK)
        s = rz_db_copy_in_end(db, err);
    return s;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The clusters with their sizes, counted here from the members just written (a GROUP BY over
 * cluster_member cost the server seconds at a million records). */
static rz_status write_cluster_sizes(rz_db *db, const char *job, const int64_t *clusters, size_t n,
                                     rz_error *err)
{
    int64_t *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (sorted == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for %zu cluster members", n);
    memcpy(sorted, clusters, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_i64);
    rz_status s =
        rz_db_copy_in_begin(db, "COPY rozshuk.cluster (job_id, cluster_id, size) FROM STDIN", err);
    char row[96];
    for (size_t i = 0, end; i < n && s == RZ_OK; i = end) {
        for (end = i + 1; end < n && sorted[end] == sorted[i]; end++)
            ;
        int len = snprintf(row, sizeof row, "%s\t%lld\t%zu\n", job, (long long)sorted[i], end - i);
        s = rz_db_copy_in_put(db, row, (size_t)len, err);
    }
    if (s == RZ_OK)
        s = rz_db_copy_in_end(db, err);
    free(sorted);
    return s;
}

/* A cluster conflicts when two of its records of one source hold valid identifiers of one kind
 * with different values: one aggregate over the job's members, linear in their number (a join
 * of members with members is quadratic in a cluster's size). */
static const char SQL_CONFLICTS[] =
    "UPDATE rozshuk.cluster c SET conflict = true FROM ("
    " SELECT m.cluster_id FROM rozshuk.cluster_member m"
    " JOIN rozshuk.person p ON p.id = m.person_id"
    " JOIN rozshuk.identifier i ON i.person_id = m.person_id AND i.valid"
    " WHERE m.job_id = $1 GROUP BY m.cluster_id, p.source_id, i.kind"
    " HAVING count(DISTINCT i.value) > 1 AND count(DISTINCT m.person_id) > 1) x"
    " WHERE c.job_id = $1 AND c.cluster_id = x.cluster_id";

static rz_status cluster_job(rz_db *db, const char *job, double threshold, rz_error *err)
{
    char thr[32];
    snprintf(thr, sizeof thr, "%.17g", threshold);
    const char *params[] = {job, thr};
    rz_result *res = NULL;
    int64_t *a = NULL, *b = NULL, *ids = NULL, *clusters = NULL;
    size_t n = 0, count = 0;
    rz_status s = rz_db_exec(db, "SELECT person_a, person_b FROM rozshuk.job_cluster_edges($1, $2)",
                             2, params, &res, err);
    if (s != RZ_OK)
        goto done;
    n = rz_result_rows(res);
    a = malloc((n + 1) * sizeof *a);
    b = malloc((n + 1) * sizeof *b);
    if (!a || !b) {
        s = rz_error_set(err, RZ_ENOMEM, "out of memory for %zu pairs", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        parse_int64(rz_result_value(res, i, 0), &a[i]);
        parse_int64(rz_result_value(res, i, 1), &b[i]);
    }
    rz_result_free(res);
    res = NULL;
    if ((s = rz_cluster_pairs(a, b, n, &ids, &clusters, &count, err)) != RZ_OK)
        goto done;
    if ((s = rz_db_exec(db, "DELETE FROM rozshuk.cluster_member WHERE job_id = $1", 1, params, NULL,
                        err)) != RZ_OK ||
        (s = rz_db_exec(db, "DELETE FROM rozshuk.cluster WHERE job_id = $1", 1, params, NULL,
                        err)) != RZ_OK ||
        (s = write_clusters(db, job, ids, clusters, count, err)) != RZ_OK ||
        (s = write_cluster_sizes(db, job, clusters, count, err)) != RZ_OK)
        goto done;
    s = rz_db_exec(db, SQL_CONFLICTS, 1, params, NULL, err);
done:
    rz_result_free(res);
    free(a);
    free(b);
    free(ids);
    free(clusters);
    return s;
}

static rz_status read_summary(rz_db *db, const char *job, rz_job_summary *out, rz_error *err)
{
    const char *params[] = {job};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(
        db,
        "SELECT j.id, j.model_id, j.state, j.records_a, j.records_b,"
        " (SELECT count(*) FROM rozshuk.task t WHERE t.job_id = j.id),"
        " (SELECT count(*) FROM rozshuk.task t WHERE t.job_id = j.id AND t.state = 'done'),"
        " j.pairs_compared, j.candidates,"
        " (SELECT count(*) FROM rozshuk.candidate c WHERE c.job_id = j.id"
        "   AND c.probability >= j.cluster_probability),"
        " j.clusters, j.cluster_conflicts,"
        " (SELECT coalesce(sum(blocks_skipped), 0) FROM rozshuk.task t WHERE t.job_id = j.id),"
        " (SELECT coalesce(sum(pairs_skipped), 0) FROM rozshuk.task t WHERE t.job_id = j.id),"
        " (SELECT coalesce(sum(blocks_split), 0) FROM rozshuk.task t WHERE t.job_id = j.id),"
        " (SELECT coalesce(sum(pairs_split), 0) FROM rozshuk.task t WHERE t.job_id = j.id)"
        " FROM rozshuk.job j WHERE j.id = $1",
        1, params, &res, err);
    if (s == RZ_OK && rz_result_rows(res) != 1)
        s = rz_error_set(err, RZ_ENOTFOUND, "no job %s", job);
    if (s == RZ_OK) {
        int64_t v[16] = {0};
        for (size_t c = 0; c < 16; c++)
            if (c != 2)
                parse_int64(rz_result_value(res, 0, c), &v[c]);
        out->job_id = v[0];
        out->model_id = v[1];
        snprintf(out->state, sizeof out->state, "%s", rz_result_value(res, 0, 2));
        out->records_a = (size_t)v[3];
        out->records_b = (size_t)v[4];
        out->tasks = (size_t)v[5];
        out->tasks_done = (size_t)v[6];
        out->pairs_compared = (size_t)v[7];
        out->candidates = (size_t)v[8];
        out->above_cluster_threshold = (size_t)v[9];
        out->clusters = (size_t)v[10];
        out->cluster_conflicts = (size_t)v[11];
        out->blocks_skipped = (size_t)v[12];
        out->pairs_skipped = (size_t)v[13];
        out->blocks_split = (size_t)v[14];
        out->pairs_split = (size_t)v[15];
    }
    rz_result_free(res);
    return s;
}

/*
 * The job's finish, exactly once: the job row is locked first (FOR UPDATE), then its state and
 * its tasks are read again by a new statement, which in READ COMMITTED sees every task commit
 * that happened before the lock was granted. Two workers finishing the last two tasks at the
 * same moment both get here; the second waits for the first, then sees 'done' and does nothing.
 * *finished: this call finished it; *state: the job's state before ("" when not found).
 */
static rz_status job_finish_locked(rz_db *db, const char *job, bool *finished, char *state,
                                   size_t state_cap, size_t *not_done, rz_error *err)
{
    const char *params[] = {job};
    rz_result *res = NULL;
    *finished = false;
    *not_done = 0;
    state[0] = '\0';
    rz_status s =
        rz_db_exec(db, "SELECT 1 FROM rozshuk.job WHERE id = $1 FOR UPDATE", 1, params, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(db,
                       "SELECT state, cluster_probability,"
                       " (SELECT count(*) FROM rozshuk.task WHERE job_id = $1 AND state <> 'done')"
                       " FROM rozshuk.job WHERE id = $1",
                       1, params, &res, err);
    if (s != RZ_OK || rz_result_rows(res) != 1) {
        rz_result_free(res);
        return s;
    }
    snprintf(state, state_cap, "%s", rz_result_value(res, 0, 0));
    double threshold = parse_double(rz_result_value(res, 0, 1));
    int64_t left = 0;
    parse_int64(rz_result_value(res, 0, 2), &left);
    *not_done = (size_t)left;
    rz_result_free(res);
    if (left != 0 || (strcmp(state, "pending") != 0 && strcmp(state, "running") != 0))
        return RZ_OK;
    s = cluster_job(db, job, threshold, err);
    if (s == RZ_OK)
        s = rz_db_exec(db,
                       "UPDATE rozshuk.job j SET state = 'done', finished_at = clock_timestamp(),"
                       " started_at = coalesce(started_at, now()),"
                       " pairs_compared = (SELECT coalesce(sum(pairs), 0) FROM rozshuk.task WHERE "
                       "job_id = j.id),"
                       " candidates = (SELECT count(*) FROM rozshuk.candidate WHERE job_id = j.id),"
                       " clusters = (SELECT count(*) FROM rozshuk.cluster WHERE job_id = j.id),"
                       " cluster_conflicts = (SELECT count(*) FROM rozshuk.cluster"
                       "   WHERE job_id = j.id AND conflict)"
                       " WHERE j.id = $1",
                       1, params, NULL, err);
    if (s == RZ_OK)
        *finished = true;
    return s;
}

static rz_status job_finish(rz_db *db, const char *job, bool *finished, char *state,
                            size_t state_cap, size_t *not_done, rz_error *err)
{
    rz_status s = rz_db_begin(db, err);
    if (s != RZ_OK)
        return s;
    s = job_finish_locked(db, job, finished, state, state_cap, not_done, err);
    if (s == RZ_OK)
        s = rz_db_commit(db, err);
    if (s != RZ_OK) {
        rz_db_rollback(db);
        *finished = false;
    }
    return s;
}

rz_status rz__match_job_try_finish(rz_db *db, int64_t job_id, bool *finished, rz_error *err)
{
    char job[24], state[16];
    size_t not_done;
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    return job_finish(db, job, finished, state, sizeof state, &not_done, err);
}

rz_status rz_match_job_finish(rz_db *db, int64_t job_id, rz_job_summary *out, rz_error *err)
{
    char job[24], state[16];
    size_t not_done;
    bool finished;
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    rz_status s = job_finish(db, job, &finished, state, sizeof state, &not_done, err);
    if (s != RZ_OK)
        return s;
    if (state[0] == '\0')
        return rz_error_set(err, RZ_ENOTFOUND, "no job %lld", (long long)job_id);
    if (not_done != 0)
        return rz_error_set(err, RZ_ECONFLICT, "job %lld has %zu task(s) not done",
                            (long long)job_id, not_done);
    if (!finished && strcmp(state, "done") != 0)
        return rz_error_set(err, RZ_ECONFLICT, "job %lld is %s", (long long)job_id, state);
    return read_summary(db, job, out, err);
}

/* The clusters of a finished job again, after reviewers decided on some of its pairs. */
static rz_status recluster(rz_db *db, int64_t job_id, rz_error *err)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    const char *params[] = {job};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "SELECT cluster_probability FROM rozshuk.job"
                             " WHERE id = $1 AND state = 'done' FOR UPDATE",
                             1, params, &res, err);
    if (s != RZ_OK)
        return s;
    if (rz_result_rows(res) != 1) {
        rz_result_free(res);
        return RZ_OK; /* not finished: its finishing step will cluster it */
    }
    double threshold = parse_double(rz_result_value(res, 0, 0));
    rz_result_free(res);
    s = cluster_job(db, job, threshold, err);
    if (s == RZ_OK)
        s = rz_db_exec(db,
                       "UPDATE rozshuk.job j SET"
                       " clusters = (SELECT count(*) FROM rozshuk.cluster WHERE job_id = j.id),"
                       " cluster_conflicts = (SELECT count(*) FROM rozshuk.cluster"
                       "   WHERE job_id = j.id AND conflict)"
                       " WHERE j.id = $1",
                       1, params, NULL, err);
    return s;
}

rz_status rz_match_job_recluster(rz_db *db, int64_t job_id, rz_error *err)
{
    bool own = !rz_db_in_transaction(db);
    rz_status s = own ? rz_db_begin(db, err) : RZ_OK;
    if (s == RZ_OK)
        s = recluster(db, job_id, err);
    if (own && s == RZ_OK)
        s = rz_db_commit(db, err);
    if (own && s != RZ_OK)
        rz_db_rollback(db);
    return s;
}

static rz_status run_pending(rz_db *db, const rz_name_ctx *names, int64_t job_id, int stop_after,
                             int fail_task, rz_job_summary *out, rz_error *err)
{
    double t0 = now_seconds();
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    const char *params[] = {job};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "SELECT task_no FROM rozshuk.task WHERE job_id = $1"
                             " AND state <> 'done' ORDER BY task_no",
                             1, params, &res, err);
    int ran = 0;
    for (size_t i = 0; s == RZ_OK && i < rz_result_rows(res); i++) {
        int64_t t = 0;
        parse_int64(rz_result_value(res, i, 0), &t);
        size_t pairs;
        s = task_run(db, names, job_id, (int)t, fail_task == (int)t + 1, NULL, &pairs, err);
        if (s == RZ_OK && stop_after > 0 && ++ran == stop_after) {
            rz_result_free(res);
            s = read_summary(db, job, out, err);
            if (s == RZ_OK)
                s = rz_error_set(err, RZ_ECANCELLED, "job %lld stopped after %d task(s)",
                                 (long long)job_id, ran);
            return s;
        }
    }
    rz_result_free(res);
    if (s == RZ_OK)
        s = rz_match_job_finish(db, job_id, out, err);
    if (s == RZ_OK)
        out->seconds = now_seconds() - t0;
    return s;
}

rz_status rz_job_summary_read(rz_db *db, int64_t job_id, rz_job_summary *out, rz_error *err)
{
    char job[24];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    memset(out, 0, sizeof *out);
    return read_summary(db, job, out, err);
}

rz_status rz_match_resume(rz_db *db, const rz_name_ctx *names, int64_t job_id, rz_job_summary *out,
                          rz_error *err)
{
    memset(out, 0, sizeof *out);
    return run_pending(db, names, job_id, 0, 0, out, err);
}

rz_status rz_match_run(rz_db *db, const rz_name_ctx *names, const rz_match_options *opts,
                       rz_job_summary *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = now_seconds();
    int64_t job_id = 0;
    rz_status s = rz_match_job_create(db, opts, &job_id, err);
    out->job_id = job_id;
    if (s == RZ_OK)
        s = run_pending(db, names, job_id, opts->stop_after_tasks, opts->fail_task, out, err);
    out->seconds = now_seconds() - t0;
    return s;
}
