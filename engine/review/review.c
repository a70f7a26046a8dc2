/*
 * review.c: review decisions (review.h). The history-only and server-stamped guarantees live
 * in sql/0005_review.sql; this file validates, resolves record references and writes a
 * decision together with its audit row.
 */
#include "rozshuk/review.h"

#include "rozshuk/audit.h"
#include "rozshuk/match.h"
#include "text/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[] = {"confirm", "exclude", "unsure", "premature"};

const char *rz_decision_name(rz_decision d)
{
    return (unsigned)d < 4 ? NAMES[d] : "unknown";
}

rz_status rz_decision_parse(const char *text, rz_decision *out)
{
    for (int i = 0; text != NULL && i < 4; i++)
        if (strcmp(text, NAMES[i]) == 0) {
            *out = (rz_decision)i;
            return RZ_OK;
        }
    return RZ_EINVAL;
}

/* Code points of valid UTF-8, or SIZE_MAX when invalid. */
static size_t code_points(const char *s)
{
    size_t len = strlen(s), bad = 0, n = 0;
    if (!rz__utf8_valid(s, len, &bad))
        return SIZE_MAX;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static rz_status check_text(const char *what, const char *s, size_t max, rz_error *err)
{
    size_t n = code_points(s);
    if (n == SIZE_MAX)
        return rz_error_set(err, RZ_EUTF8, "%s is not valid UTF-8", what);
    if (n > max)
        return rz_error_set(err, RZ_ETOOLONG, "%s has %zu characters; the limit is %zu", what, n,
                            max);
    return RZ_OK;
}

static bool all_digits(const char *s)
{
    return s[0] != '\0' && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 18;
}

rz_status rz_record_resolve(rz_db *db, const char *ref, int64_t *person_id, rz_error *err)
{
    *person_id = 0;
    if (ref == NULL || ref[0] == '\0')
        return rz_error_set(err, RZ_EINVAL, "empty record reference");
    if (strlen(ref) > RZ_RECORD_REF_MAX || code_points(ref) == SIZE_MAX)
        return rz_error_set(err, RZ_EINVAL,
                            "a record reference is SOURCE:RECORD_ID or a "
                            "person id");
    rz_result *res = NULL;
    rz_status st;
    const char *colon = strchr(ref, ':');
    if (all_digits(ref)) {
        const char *p[1] = {ref};
        st = rz_db_exec(db, "SELECT id FROM rozshuk.person WHERE id = $1::bigint", 1, p, &res, err);
    } else if (colon != NULL && colon != ref && colon[1] != '\0') {
        char source[80];
        size_t n = (size_t)(colon - ref);
        if (n >= sizeof source)
            return rz_error_set(err, RZ_EINVAL, "source name in '%s' is too long", ref);
        memcpy(source, ref, n);
        source[n] = '\0';
        const char *p[2] = {source, colon + 1};
        st = rz_db_exec(db,
                        "SELECT p.id FROM rozshuk.person p JOIN rozshuk.source s "
                        "ON s.id = p.source_id WHERE s.name = $1 AND p.source_record_id = $2",
                        2, p, &res, err);
    } else {
        return rz_error_set(err, RZ_EINVAL,
                            "'%s' is not a record reference: write SOURCE:RECORD_ID "
                            "(npu:NPU-0000018) or a person id",
                            ref);
    }
    if (st != RZ_OK)
        return st;
    if (rz_result_rows(res) == 0) {
        rz_result_free(res);
        return rz_error_set(err, RZ_ENOTFOUND, "no record %s", ref);
    }
    *person_id = strtoll(rz_result_value(res, 0, 0), NULL, 10);
    rz_result_free(res);
    return RZ_OK;
}

static rz_status insert_decision(rz_db *db, int64_t lo, int64_t hi, int64_t job_id, rz_decision d,
                                 const char *by, const char *note, int64_t *decision_id,
                                 rz_error *err)
{
    char a[24], b[24], job[24];
    snprintf(a, sizeof a, "%" PRId64, lo);
    snprintf(b, sizeof b, "%" PRId64, hi);
    snprintf(job, sizeof job, "%" PRId64, job_id);
    const char *p[6] = {
        a, b, job_id ? job : NULL, rz_decision_name(d), by, note && note[0] ? note : NULL};
    rz_result *res = NULL;
    rz_status st = rz_db_exec(db,
                              "INSERT INTO rozshuk.decision (person_a, person_b, job_id, "
                              "decision, decided_by, note) VALUES ($1, $2, $3, $4, $5, $6) "
                              "RETURNING id",
                              6, p, &res, err);
    if (st != RZ_OK)
        return st;
    int64_t id = strtoll(rz_result_value(res, 0, 0), NULL, 10);
    rz_result_free(res);
    if (decision_id)
        *decision_id = id;
    char object[48], detail[128];
    snprintf(object, sizeof object, "%s-%s", a, b);
    snprintf(detail, sizeof detail, "{\"decision\": \"%s\", \"decision_id\": %" PRId64 "%s%s}",
             rz_decision_name(d), id, job_id ? ", \"job_id\": " : "", job_id ? job : "");
    /* The note stays in the decision table (it is the reviewer's record), not in the audit. */
    return rz_audit_write(db, by, "decision.record", "pair", object, detail, err);
}

static rz_status check_item(const rz_review_item *it, rz_error *err)
{
    if (it->a <= 0 || it->b <= 0 || it->a == it->b)
        return rz_error_set(err, RZ_EINVAL, "a decision needs two different records");
    if ((unsigned)it->decision >= 4)
        return rz_error_set(err, RZ_EINVAL, "unknown decision");
    if (it->by == NULL || it->by[0] == '\0')
        return rz_error_set(err, RZ_EINVAL, "say who decides (--by NAME)");
    rz_status st = check_text("the reviewer's name (--by)", it->by, RZ_REVIEW_BY_MAX, err);
    if (st == RZ_OK && it->note != NULL)
        st = check_text("the note", it->note, RZ_REVIEW_NOTE_MAX, err);
    return st;
}

/* A PostgreSQL array literal of ids, "{4,17}", grown as ids are added. */
typedef struct id_list {
    char *buf;
    size_t len, cap;
} id_list;

/* Adds an id (keeping room for the closing brace); false when out of memory. */
static bool id_list_add(id_list *l, int64_t id)
{
    if (l->cap - l->len < 32) {
        size_t ncap = l->cap ? 2 * l->cap : 256;
        char *n = realloc(l->buf, ncap);
        if (n == NULL)
            return false;
        l->buf = n;
        l->cap = ncap;
    }
    int k = snprintf(l->buf + l->len, l->cap - l->len, "%c%" PRId64, l->len ? ',' : '{', id);
    l->len += k > 0 ? (size_t)k : 0;
    return true;
}

static const char *id_list_close(id_list *l)
{
    l->buf[l->len++] = '}';
    l->buf[l->len] = '\0';
    return l->buf;
}

/*
 * Clusters again every finished job whose candidates hold both records of a decided pair
 * (sql/0007 job_cluster_edges): once per job, however many of its pairs were decided.
 */
static rz_status recluster_jobs(rz_db *db, const rz_review_item *items, size_t n, rz_error *err)
{
    id_list la = {0}, lb = {0};
    rz_status st = RZ_OK;
    for (size_t i = 0; i < n && st == RZ_OK; i++)
        if (!id_list_add(&la, items[i].a) || !id_list_add(&lb, items[i].b))
            st = rz_error_set(err, RZ_ENOMEM, "out of memory");
    rz_result *res = NULL;
    if (st == RZ_OK && n > 0) {
        const char *p[2] = {id_list_close(&la), id_list_close(&lb)};
        st = rz_db_exec(db,
                        "SELECT DISTINCT j.id FROM rozshuk.job j,"
                        " unnest($1::bigint[], $2::bigint[]) AS u(a, b)"
                        " WHERE j.state = 'done' AND rozshuk.job_has_record(j.id, u.a)"
                        " AND rozshuk.job_has_record(j.id, u.b) ORDER BY j.id",
                        2, p, &res, err);
    }
    for (size_t r = 0; st == RZ_OK && r < rz_result_rows(res); r++)
        st = rz_match_job_recluster(db, strtoll(rz_result_value(res, r, 0), NULL, 10), err);
    rz_result_free(res);
    free(la.buf);
    free(lb.buf);
    return st;
}

static rz_status record_items(rz_db *db, const rz_review_item *items, size_t n, size_t *failed,
                              int64_t *decision_id, rz_error *err)
{
    rz_status st = RZ_OK;
    for (size_t i = 0; i < n && st == RZ_OK; i++)
        if ((st = check_item(&items[i], err)) != RZ_OK && failed)
            *failed = i;
    if (st != RZ_OK)
        return st;
    bool own = !rz_db_in_transaction(db); /* else the caller's transaction holds all */
    if (own && (st = rz_db_begin(db, err)) != RZ_OK)
        return st;
    for (size_t i = 0; i < n && st == RZ_OK; i++) {
        const rz_review_item *it = &items[i];
        int64_t lo = it->a < it->b ? it->a : it->b, hi = it->a < it->b ? it->b : it->a;
        st = insert_decision(db, lo, hi, it->job_id, it->decision, it->by, it->note, decision_id,
                             err);
        if (st != RZ_OK && failed)
            *failed = i;
    }
    if (st == RZ_OK)
        st = recluster_jobs(db, items, n, err);
    if (own) {
        if (st == RZ_OK)
            st = rz_db_commit(db, err);
        if (st != RZ_OK)
            rz_db_rollback(db);
    }
    return st;
}

rz_status rz_review_record(rz_db *db, int64_t a, int64_t b, int64_t job_id, rz_decision d,
                           const char *by, const char *note, int64_t *decision_id, rz_error *err)
{
    rz_review_item it = {a, b, job_id, d, by, note};
    return record_items(db, &it, 1, NULL, decision_id, err);
}

rz_status rz_review_record_many(rz_db *db, const rz_review_item *items, size_t n, size_t *failed,
                                rz_error *err)
{
    return record_items(db, items, n, failed, NULL, err);
}

rz_status rz_candidate_find(rz_db *db, const char *text, rz_candidate_ref *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    const char *digits = text != NULL && text[0] == '#' ? text + 1 : text;
    if (digits == NULL || !all_digits(digits))
        return rz_error_set(err, RZ_EINVAL,
                            "a candidate is named by its id as `rozshuk candidates` prints it "
                            "(1042 or #1042)");
    const char *p[1] = {digits};
    rz_result *res = NULL;
    rz_status st = rz_db_exec(db,
                              "SELECT c.id, c.job_id, c.person_a, c.person_b,"
                              " sa.name || ':' || pa.source_record_id,"
                              " sb.name || ':' || pb.source_record_id"
                              " FROM rozshuk.candidate c"
                              " JOIN rozshuk.person pa ON pa.id = c.person_a"
                              " JOIN rozshuk.source sa ON sa.id = pa.source_id"
                              " JOIN rozshuk.person pb ON pb.id = c.person_b"
                              " JOIN rozshuk.source sb ON sb.id = pb.source_id"
                              " WHERE c.id = $1::bigint",
                              1, p, &res, err);
    if (st != RZ_OK)
        return st;
    if (rz_result_rows(res) == 0) {
        rz_result_free(res);
        return rz_error_set(err, RZ_ENOTFOUND, "no candidate %s", digits);
    }
    out->id = strtoll(rz_result_value(res, 0, 0), NULL, 10);
    out->job_id = strtoll(rz_result_value(res, 0, 1), NULL, 10);
    out->person_a = strtoll(rz_result_value(res, 0, 2), NULL, 10);
    out->person_b = strtoll(rz_result_value(res, 0, 3), NULL, 10);
    int na = snprintf(out->ref_a, sizeof out->ref_a, "%s", rz_result_value(res, 0, 4));
    int nb = snprintf(out->ref_b, sizeof out->ref_b, "%s", rz_result_value(res, 0, 5));
    rz_result_free(res);
    if (na < 0 || nb < 0 || (size_t)na >= sizeof out->ref_a || (size_t)nb >= sizeof out->ref_b)
        return rz_error_set(err, RZ_ETOOLONG, "candidate %s: a record reference is too long",
                            digits);
    return RZ_OK;
}

rz_status rz_review_history(rz_db *db, int64_t a, int64_t b, rz_decision_fn fn, void *user,
                            rz_error *err)
{
    char lo[24], hi[24];
    snprintf(lo, sizeof lo, "%" PRId64, a < b ? a : b);
    snprintf(hi, sizeof hi, "%" PRId64, a < b ? b : a);
    const char *p[2] = {lo, hi};
    rz_result *res = NULL;
    rz_status st = rz_db_exec(
        db,
        "SELECT id, decision, decided_by, db_role, "
        "       to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), note, "
        "       id = max(id) OVER () "
        "FROM rozshuk.decision WHERE person_a = $1 AND person_b = $2 ORDER BY id",
        2, p, &res, err);
    if (st != RZ_OK)
        return st;
    for (size_t r = 0; r < rz_result_rows(res); r++) {
        rz_decision_entry e;
        e.id = strtoll(rz_result_value(res, r, 0), NULL, 10);
        if (rz_decision_parse(rz_result_value(res, r, 1), &e.decision) != RZ_OK)
            continue;
        e.decided_by = rz_result_value(res, r, 2);
        e.db_role = rz_result_value(res, r, 3);
        e.decided_at = rz_result_value(res, r, 4);
        e.note = rz_result_value(res, r, 5);
        e.in_force = strcmp(rz_result_value(res, r, 6), "t") == 0;
        fn(&e, user);
    }
    rz_result_free(res);
    return RZ_OK;
}

rz_status rz_review_is_excluded(rz_db *db, int64_t a, int64_t b, int *excluded, rz_error *err)
{
    char x[24], y[24];
    snprintf(x, sizeof x, "%" PRId64, a);
    snprintf(y, sizeof y, "%" PRId64, b);
    const char *p[2] = {x, y};
    rz_result *res = NULL;
    rz_status st =
        rz_db_exec(db, "SELECT rozshuk.pair_is_excluded($1::bigint, $2::bigint)", 2, p, &res, err);
    if (st != RZ_OK)
        return st;
    *excluded = strcmp(rz_result_value(res, 0, 0), "t") == 0;
    rz_result_free(res);
    return RZ_OK;
}
