/*
 * search.c: one-name search (search.h): prepare the query name, look its keys up in
 * person_key, fetch at most RZ_SEARCH_CANDIDATES records with their names in one statement,
 * compare and score them in C, keep the best, write the audit row.
 *
 * Scoring: the current model (the latest stored in the database, else the built-in one) on
 * the comparison of the query, as a record with one name, a birth date and a sex, with each
 * candidate (rz_compare_records, rz_model_score), exactly as match jobs score pairs. The
 * prior is one true record among all records (rz_model_prior with one query record).
 */
#include "rozshuk/search.h"

#include "rozshuk/audit.h"
#include "rozshuk/compare.h"
#include "rozshuk/match.h"
#include "rozshuk/model.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEYS_MAX       96
#define ARRAY_TEXT_MAX 8192

/* The public result and what its strings point into. */
typedef struct holder {
    rz_search_result pub;
    rz_result *rows;
    char **names; /* one joined-names string per hit */
} holder;

/* Query keys for the lookup: kind, key, weight (how much sharing it says). */
typedef struct keyset {
    size_t n;
    char kind[KEYS_MAX][16];
    char key[KEYS_MAX][128];
    double weight[KEYS_MAX];
    size_t ngiven_canon, ngiven_skel, nfold, npatr;
    char given_canon[8][128];
    char given_skel[8][128];
    char patr[8][128]; /* patr_canon keys: the patronymic's base name */
    char fold[8][128]; /* sur_fold keys: their one-deletion forms find surnames with a typo */
    bool surname;      /* the keys are surname keys (else the given name's, looked up alone) */
} keyset;

typedef struct key_sink {
    keyset *ks;
    double scale; /* 1 for the name as parsed, 0.5 for the other word order */
} key_sink;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void add_unique(char (*list)[128], size_t *n, const char *key)
{
    if (*n >= 8 || strlen(key) >= 128)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], key) == 0)
            return;
    snprintf(list[(*n)++], 128, "%s", key);
}

static void add_key(keyset *ks, const char *kind, const char *key, double w)
{
    if (ks->n >= KEYS_MAX || strlen(kind) >= 16 || strlen(key) >= 128)
        return;
    for (size_t i = 0; i < ks->n; i++)
        if (strcmp(ks->kind[i], kind) == 0 && strcmp(ks->key[i], key) == 0) {
            if (ks->weight[i] < w)
                ks->weight[i] = w;
            return;
        }
    snprintf(ks->kind[ks->n], 16, "%s", kind);
    snprintf(ks->key[ks->n], 128, "%s", key);
    ks->weight[ks->n] = w;
    ks->n++;
}

static void collect_key(const char *kind, const char *key, void *user)
{
    key_sink *s = user;
    keyset *ks = s->ks;
    double w = 0;
    if (strcmp(kind, "sur_skel") == 0 || strcmp(kind, "sur_fold") == 0)
        w = 3;
    else if (strcmp(kind, "sur_dm") == 0)
        w = 1;
    else if (strcmp(kind, "given_canon") == 0)
        add_unique(ks->given_canon, &ks->ngiven_canon, key);
    else if (strcmp(kind, "given_skel") == 0)
        add_unique(ks->given_skel, &ks->ngiven_skel, key);
    else if (strcmp(kind, "patr_canon") == 0)
        add_unique(ks->patr, &ks->npatr, key);
    if (strcmp(kind, "sur_fold") == 0)
        add_unique(ks->fold, &ks->nfold, key);
    if (w > 0)
        add_key(ks, kind, key, w * s->scale);
}

/* Appends one element to a PostgreSQL array literal, quoted and escaped. */
static bool array_add(char *buf, size_t cap, size_t *len, const char *value)
{
    if (*len + 4 + 2 * strlen(value) >= cap)
        return false;
    if (*len > 1)
        buf[(*len)++] = ',';
    buf[(*len)++] = '"';
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf[(*len)++] = '\\';
        buf[(*len)++] = *p;
    }
    buf[(*len)++] = '"';
    buf[*len] = '\0';
    return true;
}

typedef struct arrays {
    char kinds[ARRAY_TEXT_MAX], keys[ARRAY_TEXT_MAX], weights[ARRAY_TEXT_MAX];
    char canon[ARRAY_TEXT_MAX], skel[ARRAY_TEXT_MAX];
    char fold[ARRAY_TEXT_MAX], forms[ARRAY_TEXT_MAX], given_forms[ARRAY_TEXT_MAX];
    char patr[ARRAY_TEXT_MAX];
} arrays;

/*
 * Adds a folded surname key and each of its one-deletion forms (by code point) to `forms`:
 * the query side of the symmetric deletion lookup in rozshuk.name_neighbour (sql/0010).
 * Keys under RZ__FUZZY_MIN code points get none, as on the stored side.
 */
#define RZ__FUZZY_MIN 4
static bool add_deletion_forms(char *forms, size_t cap, size_t *len, const char *key)
{
    size_t n = strlen(key), cps = 0;
    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)key[i] & 0xC0) != 0x80;
    if (cps < RZ__FUZZY_MIN || n >= 128)
        return true;
    if (!array_add(forms, cap, len, key))
        return false;
    char form[128];
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && ((unsigned char)key[e] & 0xC0) == 0x80)
            e++;
        memcpy(form, key, i);
        memcpy(form + i, key + e, n - e);
        form[i + n - e] = '\0';
        if (!array_add(forms, cap, len, form))
            return false;
        i = e;
    }
    return true;
}

static rz_status build_arrays(const keyset *ks, arrays *a, rz_error *err)
{
    size_t lk = 1, lv = 1, lw = 1, lc = 1, ls = 1, lf = 1, lx = 1, lg = 1, lp = 1;
    memcpy(a->patr, "{", 2);
    memcpy(a->given_forms, "{", 2);
    memcpy(a->fold, "{", 2);
    memcpy(a->forms, "{", 2);
    memcpy(a->kinds, "{", 2);
    memcpy(a->keys, "{", 2);
    memcpy(a->weights, "{", 2);
    memcpy(a->canon, "{", 2);
    memcpy(a->skel, "{", 2);
    bool ok = true;
    for (size_t i = 0; ok && i < ks->n; i++) {
        char w[32];
        snprintf(w, sizeof w, "%.2f", ks->weight[i]);
        ok = array_add(a->kinds, sizeof a->kinds, &lk, ks->kind[i]) &&
             array_add(a->keys, sizeof a->keys, &lv, ks->key[i]) &&
             array_add(a->weights, sizeof a->weights, &lw, w);
    }
    for (size_t i = 0; ok && i < ks->ngiven_canon; i++)
        ok = array_add(a->canon, sizeof a->canon, &lc, ks->given_canon[i]);
    for (size_t i = 0; ok && i < ks->ngiven_skel; i++)
        ok = array_add(a->skel, sizeof a->skel, &ls, ks->given_skel[i]) &&
             add_deletion_forms(a->given_forms, sizeof a->given_forms, &lg, ks->given_skel[i]);
    for (size_t i = 0; ok && i < ks->nfold; i++)
        ok = array_add(a->fold, sizeof a->fold, &lf, ks->fold[i]) &&
             add_deletion_forms(a->forms, sizeof a->forms, &lx, ks->fold[i]);
    for (size_t i = 0; ok && i < ks->npatr; i++)
        ok = array_add(a->patr, sizeof a->patr, &lp, ks->patr[i]);
    if (!ok)
        return rz_error_set(err, RZ_ETOOLONG, "the name gives more search keys than fit");
    memcpy(a->kinds + lk, "}", 2);
    memcpy(a->keys + lv, "}", 2);
    memcpy(a->weights + lw, "}", 2);
    memcpy(a->canon + lc, "}", 2);
    memcpy(a->skel + ls, "}", 2);
    memcpy(a->fold + lf, "}", 2);
    memcpy(a->forms + lx, "}", 2);
    memcpy(a->given_forms + lg, "}", 2);
    memcpy(a->patr + lp, "}", 2);
    return RZ_OK;
}

/*
 * One statement: persons sharing surname keys (ranked by the weights of the key kinds they
 * share, each kind counted once: a Latin record stored with several readings, levchenko,
 * levkhenko, levshenko, is not worth more than a Cyrillic one with one; at most 5000), and persons
 * whose folded surname is one edit from the query's (name_neighbour, sql/0010: stored keys sharing
 * a form of $11, other than the query's own keys $12; at most 64 keys and 2000 persons), each with
 * its own cap so that a common surname's namesakes cannot crowd out a misspelt one; then ranked
 * again with the given name (index probes on person_key's primary key; a given name one edit away,
 * through $13's forms, counts for less) and birth agreement (less for a record's birth range of
 * more than a year, an age estimate or a decade, which agrees with many queries), filtered by kind
 * and source, cut to the candidates, fetched with all their names. A one-edit surname weighs 4.5
 * against 7 for an exact one (sur_skel 3, sur_fold 3, sur_dm 1): with the given name (3) and birth
 * (3) agreeing it ranks above an exact surname with only one of them.
 *
 * LOOKUP_SQL below does this on search_name; LOOKUP_KEYS_SQL, on person_key and person, serves
 * the queries with no surname key (a given name alone, looked up by its keys).
 *
 * LOOKUP_SQL: the same ranking on search_name (sql/0014, 0015), used whenever the query has a
 * surname key. For each surname key k (the query's, and the stored ones one edit away) it reads
 * by index only: the persons with one of the query's given-name keys (canonical, skeleton, or a
 * skeleton one edit away: (k, gkey) probes) or its patronymic's base name ((k, '~' || key)
 * probes, sql/0021; ranked as a canonical given name, 3: the model weighs the two alike), the
 * persons whose birth range agrees with the query's ((k, wide, birth_from) ranges: ranges of a
 * year or less that start at most a year before the query's, longer ones of up to 11 years),
 * and at most RZ_SEARCH_CANDIDATES others
 * (a tenth for a key one edit away), which only their surname ranks and the ranking cannot tell
 * apart: more than the candidates kept could not all be compared. A
 * common surname is then a few hundred index entries instead of all its persons (Шевченко: 6,600 in
 * 1,000,000 records, its Daitch-Mokotoff code 12,000). Each row carries the kinds its key is of,
 * which given-name keys it is, birth, kind and source, so ranking reads no other table; only the
 * RZ_SEARCH_CANDIDATES kept are fetched from person and person_name. The weights are
 * LOOKUP_KEYS_SQL's. Not read: a birth range longer than 11 years agreeing with the query, when
 * nothing else sets the person above its namesakes.
 */
#define RZ__SN_COLS                                                                                \
    "x.key, x.kinds, x.person_id, CASE WHEN $6::date IS NOT NULL AND x.birth_from <= $7::date"     \
    " AND x.birth_to >= $6::date THEN CASE WHEN x.birth_to - x.birth_from > 366 THEN 1 ELSE 3 END" \
    " ELSE 0 END AS b"
#define RZ__SN_FILTER                                                                              \
    " AND ($8::text IS NULL OR x.kind = $8) AND ($9::text IS NULL OR x.source_id = (SELECT id"     \
    " FROM rozshuk.source WHERE name = $9))"
/* clang-format off */
static const char LOOKUP_SQL[] =
    "WITH k AS (SELECT key, coalesce(max(w) FILTER (WHERE kind = 'sur_skel'), 0) AS w1,"
    "           coalesce(max(w) FILTER (WHERE kind = 'sur_fold'), 0) AS w2,"
    "           coalesce(max(w) FILTER (WHERE kind = 'sur_dm'), 0) AS w4, 0::float8 AS wf,"
    "           false AS fuzzy"
    "           FROM unnest($1::text[], $2::text[], $3::float8[]) AS q(kind, key, w)"
    "           GROUP BY key"
    "           UNION ALL"
    "           (SELECT DISTINCT n.key, 0, 0, 0, 4.5, true FROM rozshuk.name_neighbour n"
    "            WHERE n.kind = 'sur_fold' AND n.del = ANY($11::text[])"
    "            AND n.key <> ALL($12::text[]) LIMIT 64)),"
    /* the query's given-name keys: canonical 3, skeleton 2, a skeleton one edit away 1.5;
     * its patronymic's base name 3, as the given name's (its rows' gkey is '~' || key, 0021) */
    " g AS (SELECT gkey, max(c) AS c, max(sk) AS sk, max(pt) AS pt FROM ("
    "        SELECT unnest($4::text[]) AS gkey, 3::float8 AS c, 0::float8 AS sk, 0::float8 AS pt"
    "        UNION ALL SELECT unnest($5::text[]), 0, 2, 0"
    "        UNION ALL SELECT n.key, 0, 1.5, 0 FROM rozshuk.name_neighbour n"
    "         WHERE n.kind = 'given_skel' AND n.del = ANY($13::text[])"
    "         AND n.key <> ALL($5::text[])"
    "        UNION ALL SELECT '~' || unnest($14::text[]), 0, 0, 3) u GROUP BY gkey),"
    /* each branch one index scan over all its keys (the btree's array keys) */
    /* (surname key, given-name key) pairs: every given key with the query's surname keys,
     * the exact ones and the patronymic with the surname keys one edit away */
    " pairs AS (SELECT array_agg(k.key || E'\\x1f' || g.gkey) AS kg FROM k JOIN g"
    "           ON NOT k.fuzzy OR g.c > 0 OR g.sk = 2 OR g.pt > 0),"
    " r AS (SELECT " RZ__SN_COLS ", x.gkey, x.gkinds FROM rozshuk.search_name x"
    "       WHERE x.kg = ANY((SELECT kg FROM pairs)::text[])" RZ__SN_FILTER
    "       UNION ALL"
    "       SELECT " RZ__SN_COLS ", '', 0 FROM rozshuk.search_name x"
    "       WHERE $6::date IS NOT NULL AND x.key = ANY(ARRAY(SELECT key FROM k))"
    "       AND x.gfirst AND x.birth_from IS NOT NULL AND NOT x.wide"
    "       AND x.birth_from BETWEEN $6::date - 366 AND $7::date"
    "       AND x.birth_to >= $6::date" RZ__SN_FILTER
    "       UNION ALL"
    "       SELECT " RZ__SN_COLS ", '', 0 FROM rozshuk.search_name x"
    "       WHERE $6::date IS NOT NULL AND x.key = ANY(ARRAY(SELECT key FROM k))"
    "       AND x.gfirst AND x.birth_from IS NOT NULL AND x.wide"
    "       AND x.birth_from BETWEEN $6::date - 4018 AND $7::date"
    "       AND x.birth_to >= $6::date" RZ__SN_FILTER
    "       UNION ALL"
    /* the others: a key's range of kg; OFFSET 0 keeps one bounded index scan per key */
    "       SELECT x.*, '', 0 FROM k CROSS JOIN LATERAL"
    "       (SELECT " RZ__SN_COLS " FROM rozshuk.search_name x"
    "        WHERE x.kg > k.key || E'\\x1e' AND x.kg < k.key || E'\\x20' AND x.gkinds <> 4"
    RZ__SN_FILTER
    "        LIMIT CASE WHEN k.fuzzy THEN $10::int / 10 ELSE $10::int END OFFSET 0) x),"
    " c AS (SELECT r.person_id AS id,"
    "       greatest(max(CASE WHEN r.kinds & 1 <> 0 THEN k.w1 ELSE 0 END)"
    "                + max(CASE WHEN r.kinds & 2 <> 0 THEN k.w2 ELSE 0 END)"
    "                + max(CASE WHEN r.kinds & 4 <> 0 THEN k.w4 ELSE 0 END),"
    "                max(CASE WHEN r.kinds & 2 <> 0 THEN k.wf ELSE 0 END)) AS s,"
    "       max(CASE WHEN r.gkinds & 1 <> 0 AND g.c > 0 THEN g.c"
    "                WHEN r.gkinds & 2 <> 0 AND g.sk > 0 THEN g.sk ELSE 0 END) AS gs,"
    "       max(CASE WHEN r.gkinds = 4 THEN g.pt ELSE 0 END) AS ps,"
    "       max(r.b) AS b"
    "       FROM r JOIN k ON k.key = r.key LEFT JOIN g ON g.gkey = r.gkey"
    "       GROUP BY r.person_id),"
    " top AS (SELECT id FROM c WHERE s > 0 ORDER BY s + gs + ps + b DESC, id LIMIT $10::int)"
    " SELECT p.id, s.name, p.source_record_id, p.kind, p.sex, p.birth_from, p.birth_to,"
    "        p.birth_precision, n.written, n.surname, n.given, n.patronymic,"
    "        (SELECT reltuples FROM pg_class WHERE oid = 'rozshuk.person'::regclass)"
    " FROM top JOIN rozshuk.person p ON p.id = top.id"
    "        JOIN rozshuk.source s ON s.id = p.source_id"
    "        JOIN rozshuk.person_name n ON n.person_id = p.id"
    " ORDER BY p.id, n.id";
/* clang-format on */

/* clang-format off */
static const char LOOKUP_KEYS_SQL[] =
    "WITH q AS (SELECT * FROM unnest($1::text[], $2::text[], $3::float8[]) AS q(kind, key, w)),"
    " e AS (SELECT person_id, sum(w) AS s FROM ("
    "        SELECT k.person_id, q.kind, max(q.w) AS w FROM q CROSS JOIN LATERAL"
    /* OFFSET 0 keeps one index probe per key: a join lets the planner hash the whole table;
     * the kinds (the query's are given-name ones) are person_key_lookup_idx's (sql/0019) */
    "        (SELECT person_id FROM rozshuk.person_key k WHERE k.kind = q.kind"
    "         AND k.kind IN ('sur_fold', 'given_canon', 'given_skel')"
    "         AND k.key = q.key OFFSET 0) k GROUP BY k.person_id, q.kind) pk"
    "       GROUP BY person_id ORDER BY s DESC LIMIT 5000),"
    " fz AS (SELECT DISTINCT n.key FROM rozshuk.name_neighbour n WHERE n.kind = 'sur_fold'"
    "        AND n.del = ANY($11::text[]) AND n.key <> ALL($12::text[]) LIMIT 64),"
    " fg AS (SELECT coalesce(array_agg(DISTINCT n.key), '{}') AS keys"
    "        FROM rozshuk.name_neighbour n WHERE n.kind = 'given_skel'"
    "        AND n.del = ANY($13::text[]) AND n.key <> ALL($5::text[])),"
    " f AS (SELECT k.person_id, 4.5::float8 AS s FROM fz CROSS JOIN LATERAL"
    "       (SELECT person_id FROM rozshuk.person_key k WHERE k.kind = 'sur_fold'"
    "        AND k.key = fz.key OFFSET 0) k LIMIT 2000),"
    " m AS (SELECT person_id, max(s) AS s FROM (SELECT * FROM e UNION ALL SELECT * FROM f) x"
    "       GROUP BY person_id),"
    " c AS (SELECT p.id, p.source_id, p.source_record_id, p.kind, p.sex, p.birth_from,"
    "       p.birth_to, p.birth_precision,"
    "       m.s + CASE WHEN EXISTS (SELECT 1 FROM rozshuk.person_key g WHERE g.kind ="
    "                  'given_canon' AND g.key = ANY($4::text[]) AND g.person_id = m.person_id)"
    "             THEN 3 WHEN EXISTS (SELECT 1 FROM rozshuk.person_key g WHERE g.kind ="
    "                  'given_skel' AND g.key = ANY($5::text[]) AND g.person_id = m.person_id)"
    "             THEN 2 WHEN EXISTS (SELECT 1 FROM rozshuk.person_key g WHERE g.kind ="
    "                  'given_skel' AND g.key = ANY((SELECT keys FROM fg)::text[])"
    "                  AND g.person_id = m.person_id)"
    "             THEN 1.5 ELSE 0 END"
    "           + CASE WHEN $6::date IS NOT NULL AND p.birth_from <= $7::date"
    "                  AND p.birth_to >= $6::date"
    "             THEN CASE WHEN p.birth_to - p.birth_from <= 366 THEN 3 ELSE 1 END"
    "             ELSE 0 END AS r"
    "       FROM m JOIN rozshuk.person p ON p.id = m.person_id"
    "       WHERE ($8::text IS NULL OR p.kind = $8)"
    "         AND ($9::text IS NULL OR p.source_id = (SELECT id FROM rozshuk.source"
    "                                                  WHERE name = $9))"
    "       ORDER BY r DESC, p.id LIMIT $10::int)"
    " SELECT c.id, s.name, c.source_record_id, c.kind, c.sex, c.birth_from, c.birth_to,"
    "        c.birth_precision, n.written, n.surname, n.given, n.patronymic,"
    "        (SELECT reltuples FROM pg_class WHERE oid = 'rozshuk.person'::regclass)"
    " FROM c JOIN rozshuk.source s ON s.id = c.source_id"
    "        JOIN rozshuk.person_name n ON n.person_id = c.id"
    " ORDER BY c.id, n.id";
/* clang-format on */

enum {
    COL_ID,
    COL_SOURCE,
    COL_SOURCE_ID,
    COL_KIND,
    COL_SEX,
    COL_BIRTH_FROM,
    COL_BIRTH_TO,
    COL_BIRTH_PREC,
    COL_WRITTEN,
    COL_SURNAME,
    COL_GIVEN,
    COL_PATRONYMIC,
    COL_RELTUPLES
};

void rz_search_query_defaults(rz_search_query *q)
{
    memset(q, 0, sizeof *q);
    q->birth.precision = RZ_PREC_NONE;
    q->sex = RZ_SEX_UNKNOWN;
    q->limit = RZ_SEARCH_LIMIT_DEFAULT;
}

rz_status rz_search_check(const rz_name_ctx *names, const rz_search_query *q, rz_error *err)
{
    if (q->name == NULL)
        return rz_error_set(err, RZ_EEMPTY, "the name to search for is empty");
    if (q->limit < 1 || q->limit > RZ_SEARCH_LIMIT_MAX)
        return rz_error_set(err, RZ_EINVAL, "the number of results must be 1 to %d",
                            RZ_SEARCH_LIMIT_MAX);
    if (q->kind != NULL) {
        rz_kind k;
        if (rz_kind_parse(q->kind, &k) != RZ_OK)
            return rz_error_set(err, RZ_EINVAL,
                                "record kind must be missing, remains, living or list");
    }
    if (q->birth.precision != RZ_PREC_NONE && q->birth.from > q->birth.to)
        return rz_error_set(err, RZ_EINVAL, "birth date range ends before it starts");
    rz_name *name = NULL;
    rz_status st = rz_name_parse(names, q->name, &name, err);
    rz_name_free(name);
    return st;
}

/* ---- scoring: the matching model (model.h) on the query and each candidate ---------------- */

static bool parse_day(const char *text, int32_t *out)
{
    int y, m, d;
    if (text == NULL || sscanf(text, "%d-%d-%d", &y, &m, &d) != 3)
        return false;
    *out = rz_days_from_ymd(y, m, d);
    return true;
}

static void row_birth(const rz_result *rows, size_t r, rz_date_range *out)
{
    out->precision = RZ_PREC_NONE;
    out->dm_ambiguous = false;
    rz_date_precision p;
    const char *prec = rz_result_value(rows, r, COL_BIRTH_PREC);
    if (prec == NULL || rz_date_precision_parse(prec, &p) != RZ_OK)
        return;
    if (!parse_day(rz_result_value(rows, r, COL_BIRTH_FROM), &out->from) ||
        !parse_day(rz_result_value(rows, r, COL_BIRTH_TO), &out->to))
        return;
    out->precision = p;
}

static void format_birth(const rz_date_range *b, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (b->precision == RZ_PREC_NONE)
        return;
    int y1, m1, d1, y2, m2, d2;
    rz_days_to_ymd(b->from, &y1, &m1, &d1);
    rz_days_to_ymd(b->to, &y2, &m2, &d2);
    if (b->precision == RZ_PREC_DAY)
        snprintf(buf, cap, "%04d-%02d-%02d", y1, m1, d1);
    else if (b->precision == RZ_PREC_MONTH)
        snprintf(buf, cap, "%04d-%02d", y1, m1);
    else if (b->precision == RZ_PREC_YEAR)
        snprintf(buf, cap, "%04d", y1);
    else
        snprintf(buf, cap, "%04d..%04d", y1, y2);
}

static char sex_of(const char *text)
{
    return text && (text[0] == 'm' || text[0] == 'f') ? text[0] : 0;
}

typedef struct scored {
    size_t first, last; /* the record's rows */
    double weight;      /* evidence in bits: the match weight without the prior */
    double probability;
    rz_comparison cmp;
} scored;

static int by_weight(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    /* the model weighs levels; among equal weights the closer spelling first */
    if (x->cmp.names.score != y->cmp.names.score)
        return x->cmp.names.score < y->cmp.names.score ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Compares the query with one candidate (its names in rows first..last-1) under the model. */
static void score_one(const rz_name_ctx *ctx, const rz_model *model, double prior,
                      const rz_match_record *query, const rz_result *rows, scored *s)
{
    rz_match_record cand;
    rz_match_record_init(&cand);
    rz_name *names[RZ_RECORD_NAMES_MAX] = {NULL};
    for (size_t r = s->first; r < s->last && cand.nnames < RZ_RECORD_NAMES_MAX; r++) {
        const char *sn = rz_result_value(rows, r, COL_SURNAME);
        const char *g = rz_result_value(rows, r, COL_GIVEN);
        const char *p = rz_result_value(rows, r, COL_PATRONYMIC);
        rz_name *n = NULL;
        rz_status st = (sn || g || p)
                           ? rz_name_from_parts(ctx, sn, g, p, &n, NULL)
                           : rz_name_parse(ctx, rz_result_value(rows, r, COL_WRITTEN), &n, NULL);
        if (st != RZ_OK)
            continue;
        cand.names[cand.nnames] = names[cand.nnames] = n, cand.nnames++;
        /* a record with surname and given name in each other's columns, as match reads it */
        rz_name *swapped = cand.nnames < RZ_RECORD_NAMES_MAX && (sn || g)
                               ? rz_name_columns_swapped(ctx, n, sn, g, p)
                               : NULL;
        if (swapped != NULL)
            cand.names[cand.nnames] = names[cand.nnames] = swapped, cand.nnames++;
    }
    char sex = sex_of(rz_result_value(rows, s->first, COL_SEX));
    cand.sex = sex == 'm' ? RZ_SEX_MALE : sex == 'f' ? RZ_SEX_FEMALE : RZ_SEX_UNKNOWN;
    row_birth(rows, s->first, &cand.birth);
    rz_compare_records(query, &cand, &s->cmp);
    /* rz_comparison's terms point into the query's names, which outlive this call */
    rz_score sc;
    rz_model_score(model, NULL, prior, &s->cmp, &sc);
    s->weight = sc.match_weight - prior;
    s->probability = sc.probability;
    for (size_t i = 0; i < RZ_RECORD_NAMES_MAX; i++)
        rz_name_free(names[i]);
}

static void add_reason(char *buf, size_t cap, const char *phrase)
{
    size_t len = strlen(buf);
    if (phrase == NULL || phrase[0] == '\0' || len + 4 >= cap)
        return;
    snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", phrase);
}

/* How each of the query's names was read (rank): in the other word order, with I read as l. */
enum { READ_OTHER_ORDER = 1, READ_GLYPH = 2 };

static void make_reason(const scored *s, const unsigned *reading, char *buf, size_t cap)
{
    buf[0] = '\0';
    unsigned how = reading[s->cmp.name_a < RZ_RECORD_NAMES_MAX ? s->cmp.name_a : 0];
    if (how & READ_GLYPH)
        add_reason(buf, cap, "the query read with a capital I as a small l");
    if (s->cmp.names.swapped || (how & READ_OTHER_ORDER))
        add_reason(buf, cap, "surname and given name in the other order");
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int level = s->cmp.level[f];
        if (level == 0)
            continue;
        char part[120];
        snprintf(part, sizeof part, "%s: %s", rz_match_field_name((rz_match_field)f),
                 rz_match_level_phrase((rz_match_field)f, level));
        add_reason(buf, cap, part);
    }
}

/* ---- the run ------------------------------------------------------------------------------ */

/*
 * The query with a capital I inside a Latin word read as a small l: the two are one glyph in
 * the sans-serif fonts of printed lists and screens, and a capital letter after a small one
 * is no spelling of a Ukrainian or Russian name in any transliteration ("MaIiarchuk" is
 * Maliarchuk, "SvetIana" Svetlana). Read as the other reading of a name with two possible
 * orders: its keys are looked up and it is compared too, the better reading counts. NULL when
 * the query has no such letter (or out of memory: the query is then read as typed only).
 */
static char *glyph_repaired(const char *text)
{
    bool any = false;
    for (const char *p = text; *p && p[1]; p++)
        any = any || (*p >= 'a' && *p <= 'z' && p[1] == 'I');
    char *out = any ? strdup(text) : NULL;
    for (char *p = out; p && *p && p[1]; p++)
        if (*p >= 'a' && *p <= 'z' && p[1] == 'I')
            p[1] = 'l';
    return out;
}

/* The keys of each reading of the query (qnames: as typed, and repaired, see glyph_repaired). */
static rz_status collect_keys(const rz_name_ctx *ctx, const rz_name *const *qnames, size_t nq,
                              keyset *ks)
{
    memset(ks, 0, sizeof *ks);
    for (size_t i = 0; i < nq; i++) {
        const rz_name *q = qnames[i];
        key_sink sink = {ks, 1.0};
        rz_name_keys(q, collect_key, &sink);
        /* The other word order: a name typed "Oleksandr Klymenko" may be parsed either way. */
        const char *s = rz_name_written(q, RZ_PART_SURNAME);
        const char *g = rz_name_written(q, RZ_PART_GIVEN);
        if (s != NULL && g != NULL) {
            rz_name *other = NULL;
            if (rz_name_from_parts(ctx, g, s, NULL, &other, NULL) == RZ_OK) {
                sink.scale = 0.5;
                rz_name_keys(other, collect_key, &sink);
            }
            rz_name_free(other);
        }
    }
    ks->surname = ks->n > 0;
    if (ks->n == 0) {
        /* no surname: look the given name up instead */
        for (size_t i = 0; i < ks->ngiven_canon && ks->n < KEYS_MAX; i++) {
            snprintf(ks->kind[ks->n], 16, "given_canon");
            snprintf(ks->key[ks->n], 128, "%s", ks->given_canon[i]);
            ks->weight[ks->n++] = 3;
        }
        for (size_t i = 0; i < ks->ngiven_skel && ks->n < KEYS_MAX; i++) {
            snprintf(ks->kind[ks->n], 16, "given_skel");
            snprintf(ks->key[ks->n], 128, "%s", ks->given_skel[i]);
            ks->weight[ks->n++] = 2;
        }
    }
    return RZ_OK;
}

static char *join_names(const rz_result *rows, size_t first, size_t last)
{
    size_t len = 1;
    for (size_t r = first; r < last; r++)
        len += strlen(rz_result_value(rows, r, COL_WRITTEN)) + 3;
    char *out = malloc(len);
    if (out == NULL)
        return NULL;
    size_t off = 0;
    for (size_t r = first; r < last; r++) {
        const char *w = rz_result_value(rows, r, COL_WRITTEN);
        size_t n = strlen(w);
        if (off) {
            memcpy(out + off, " | ", 3);
            off += 3;
        }
        memcpy(out + off, w, n);
        off += n;
    }
    out[off] = '\0';
    return out;
}

static rz_status write_audit(rz_db *db, const rz_search_query *q, const rz_search_result *res,
                             rz_error *err)
{
    char born[24];
    format_birth(&q->birth, born, sizeof born);
    json_t *ids = json_array();
    json_t *query = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:I}", "name", q->name, "born",
                              born[0] ? born : NULL, "sex",
                              q->sex == RZ_SEX_MALE     ? "m"
                              : q->sex == RZ_SEX_FEMALE ? "f"
                                                        : NULL,
                              "kind", q->kind, "source", q->source, "limit", (json_int_t)q->limit);
    json_t *detail = NULL;
    rz_status st = RZ_ENOMEM;
    if (ids == NULL || query == NULL)
        goto fail;
    for (size_t i = 0; i < res->count; i++)
        if (json_array_append_new(ids, json_integer((json_int_t)res->hits[i].person_id)) != 0)
            goto fail;
    detail = json_pack("{s:O, s:I, s:O}", "query", query, "results", (json_int_t)res->count,
                       "person_ids", ids);
    if (detail == NULL)
        goto fail;
    char *text = json_dumps(detail, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (text == NULL)
        goto fail;
    st = rz_audit_write(db, q->actor, "search", NULL, NULL, text, err);
    free(text);
    json_decref(detail);
    json_decref(query);
    json_decref(ids);
    return st;
fail:
    json_decref(detail);
    json_decref(query);
    json_decref(ids);
    return rz_error_set(err, RZ_ENOMEM, "out of memory writing the search's audit row");
}

void rz_search_result_free(rz_search_result *res)
{
    if (res == NULL)
        return;
    holder *h = (holder *)res;
    for (size_t i = 0; h->names && i < res->count; i++)
        free(h->names[i]);
    free(h->names);
    free(res->hits);
    rz_result_free(h->rows);
    free(h);
}

/* Whether stored records have keys of an older names engine: the oldest key version among
 * the names (an index probe, sql/0010). */
static const char KEY_VERSION_SQL[] = "SELECT min(key_version) FROM rozshuk.person_name";

/*
 * The model, the candidates and the oldest key version in one round trip (rz_db_batch: one
 * implicit transaction). The lookup is prepared on the connection's first search, in the same
 * round trip: a --queries run plans it once.
 */
static rz_status lookup(rz_db *db, const rz_search_query *q, const arrays *a, bool surname,
                        rz_model *model, holder *h, rz_error *err)
{
    char from[16] = "", to[16] = "", limit[16];
    if (q->birth.precision != RZ_PREC_NONE) {
        rz_days_format(q->birth.from, from);
        rz_days_format(q->birth.to, to);
    }
    snprintf(limit, sizeof limit, "%d", RZ_SEARCH_CANDIDATES);
    const char *params[14] = {
        a->kinds,          a->keys, a->weights, a->canon, a->skel,  from[0] ? from : NULL,
        to[0] ? to : NULL, q->kind, q->source,  limit,    a->forms, a->fold,
        a->given_forms,    a->patr};
    rz_result *model_row = NULL, *version = NULL;
    rz_db_stmt stmts[3] = {
        {NULL, RZ_MODEL_LATEST_SQL, 0, NULL, &model_row},
        {surname ? "rz_search_lookup" : "rz_search_lookup_keys",
         surname ? LOOKUP_SQL : LOOKUP_KEYS_SQL, surname ? 14 : 13, params, &h->rows},
        {"rz_search_key_version", KEY_VERSION_SQL, 0, NULL, &version},
    };
    rz_status st = rz_db_batch(db, stmts, 3, err);
    if (st == RZ_OK)
        st = rz_model_from_latest(model_row, model, err);
    const char *v = st == RZ_OK ? rz_result_value(version, 0, 0) : NULL;
    h->pub.stale_key_version = 0;
    if (v != NULL && strtol(v, NULL, 10) < RZ_KEY_VERSION)
        h->pub.stale_key_version = (int)strtol(v, NULL, 10);
    rz_result_free(model_row);
    rz_result_free(version);
    return st;
}

/*
 * The query read in the other word order, when the order was a guess: the names engine found
 * no known given name where it put the given name ("Savchenko Valcntyna": neither word is in the
 * dictionary, so the Latin order given-surname was assumed). A query is typed in any order, so
 * both readings are compared and the better one counts, as for a record with several names;
 * NULL when the order was read from a known given name or the name has one part.
 */
static rz_name *other_reading(const rz_name_ctx *ctx, const rz_name *q)
{
    const char *s = rz_name_written(q, RZ_PART_SURNAME);
    const char *g = rz_name_written(q, RZ_PART_GIVEN);
    rz_name *other = NULL;
    if (s == NULL || g == NULL || rz_name_given_canonical(q) != NULL ||
        rz_name_from_parts(ctx, g, s, rz_name_written(q, RZ_PART_PATRONYMIC), &other, NULL) !=
            RZ_OK)
        return NULL;
    return other;
}

static rz_status rank(const rz_name_ctx *ctx, const rz_search_query *q,
                      const rz_name *const *qnames, size_t nq, const rz_model *model, holder *h,
                      rz_error *err)
{
    rz_result *rows = h->rows;
    size_t nrows = rz_result_rows(rows);
    scored *cand = calloc(nrows ? nrows : 1, sizeof *cand);
    if (cand == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory scoring candidates");
    double records = nrows ? strtod(rz_result_value(rows, 0, COL_RELTUPLES), NULL) : 0;
    if (records < 1000)
        records = 1000; /* never analysed, or a tiny register: a floor for the prior */
    h->pub.prior = rz_model_prior(model, 1.0, records);
    rz_match_record query;
    rz_match_record_init(&query);
    rz_name *other[2] = {NULL, NULL};
    unsigned reading[RZ_RECORD_NAMES_MAX] = {0};
    for (size_t i = 0; i < nq && i < 2; i++) {
        reading[query.nnames] = i ? READ_GLYPH : 0;
        query.names[query.nnames++] = qnames[i];
        other[i] = other_reading(ctx, qnames[i]);
        if (other[i] != NULL) {
            reading[query.nnames] = (i ? READ_GLYPH : 0) | READ_OTHER_ORDER;
            query.names[query.nnames++] = other[i];
        }
    }
    query.sex = q->sex;
    query.birth = q->birth;
    size_t n = 0;
    for (size_t r = 0; r < nrows;) {
        size_t e = r + 1;
        const char *id = rz_result_value(rows, r, COL_ID);
        while (e < nrows && strcmp(rz_result_value(rows, e, COL_ID), id) == 0)
            e++;
        cand[n].first = r;
        cand[n].last = e;
        score_one(ctx, model, h->pub.prior, &query, rows, &cand[n]);
        n++;
        r = e;
    }
    rz_name_free(other[0]);
    rz_name_free(other[1]);
    qsort(cand, n, sizeof *cand, by_weight);
    h->pub.candidates = n;
    size_t keep = n < q->limit ? n : q->limit;
    h->pub.hits = calloc(keep ? keep : 1, sizeof *h->pub.hits);
    h->names = calloc(keep ? keep : 1, sizeof *h->names);
    if (h->pub.hits == NULL || h->names == NULL) {
        free(cand);
        return rz_error_set(err, RZ_ENOMEM, "out of memory keeping results");
    }
    for (size_t i = 0; i < keep; i++) {
        rz_search_hit *hit = &h->pub.hits[i];
        const scored *s = &cand[i];
        h->names[i] = join_names(rows, s->first, s->last);
        if (h->names[i] == NULL) {
            free(cand);
            return rz_error_set(err, RZ_ENOMEM, "out of memory keeping results");
        }
        h->pub.count = i + 1;
        hit->person_id = strtoll(rz_result_value(rows, s->first, COL_ID), NULL, 10);
        hit->source = rz_result_value(rows, s->first, COL_SOURCE);
        hit->source_record_id = rz_result_value(rows, s->first, COL_SOURCE_ID);
        hit->kind = rz_result_value(rows, s->first, COL_KIND);
        hit->sex = sex_of(rz_result_value(rows, s->first, COL_SEX));
        hit->names = h->names[i];
        for (size_t r = s->first; r < s->last && hit->nwritten < RZ_SEARCH_NAMES_MAX; r++)
            hit->written[hit->nwritten++] = rz_result_value(rows, r, COL_WRITTEN);
        rz_date_range b;
        row_birth(rows, s->first, &b);
        format_birth(&b, hit->birth, sizeof hit->birth);
        hit->score = s->weight;
        hit->probability = s->probability;
        make_reason(s, reading, hit->reason, sizeof hit->reason);
    }
    free(cand);
    return RZ_OK;
}

rz_status rz_search_run(rz_db *db, const rz_name_ctx *ctx, const rz_search_query *q,
                        rz_search_result **out, rz_error *err)
{
    *out = NULL;
    rz_status st = rz_search_check(ctx, q, err);
    if (st != RZ_OK)
        return st;
    rz_name *qnames[2] = {NULL, NULL};
    size_t nq = 1;
    keyset *ks = malloc(sizeof *ks);
    arrays *a = malloc(sizeof *a);
    holder *h = calloc(1, sizeof *h);
    if (ks == NULL || a == NULL || h == NULL) {
        st = rz_error_set(err, RZ_ENOMEM, "out of memory preparing a search");
        goto fail;
    }
    st = rz_name_parse(ctx, q->name, &qnames[0], err);
    char *fixed = st == RZ_OK ? glyph_repaired(q->name) : NULL;
    if (fixed != NULL && rz_name_parse(ctx, fixed, &qnames[1], NULL) == RZ_OK)
        nq = 2;
    free(fixed);
    if (st == RZ_OK)
        st = collect_keys(ctx, (const rz_name *const *)qnames, nq, ks);
    if (st == RZ_OK)
        st = build_arrays(ks, a, err);
    if (st != RZ_OK)
        goto fail;
    double t0 = now_ms();
    rz_model model;
    st = lookup(db, q, a, ks->surname, &model, h, err);
    double t1 = now_ms();
    if (st == RZ_OK)
        st = rank(ctx, q, (const rz_name *const *)qnames, nq, &model, h, err);
    double t2 = now_ms();
    /* its own transaction: shown only once written */
    if (st == RZ_OK)
        st = write_audit(db, q, &h->pub, err);
    if (st != RZ_OK)
        goto fail;
    h->pub.lookup_ms = t1 - t0;
    h->pub.score_ms = t2 - t1;
    *out = &h->pub;
    h = NULL;
fail:
    rz_search_result_free(h ? &h->pub : NULL);
    rz_name_free(qnames[0]);
    rz_name_free(qnames[1]);
    free(ks);
    free(a);
    return st;
}
