/*
 * audit.c: appending to and listing the audit trail (audit.h). The append-only guarantees
 * live in the database (sql/0001_init.sql, sql/0004_audit.sql); this file checks the values
 * before they travel and builds the parameterised statements.
 */
#include "rozshuk/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Counts the code points of a UTF-8 string, or returns SIZE_MAX when it is not valid UTF-8
 * (overlong forms, surrogates and values past U+10FFFF included). O(n).
 */
static size_t utf8_count(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        unsigned c = *p;
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            p++;
            n++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return SIZE_MAX;
        }
        for (size_t i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return SIZE_MAX;
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return SIZE_MAX;
        p += len;
        n++;
    }
    return n;
}

static bool of_alphabet(const char *s, const char *alphabet, size_t max)
{
    size_t n = strlen(s);
    return n >= 1 && n <= max && strspn(s, alphabet) == n;
}

static rz_status check_text(const char *what, const char *s, size_t max, rz_error *err)
{
    if (s == NULL)
        return RZ_OK;
    size_t n = utf8_count(s);
    if (n == SIZE_MAX)
        return rz_error_set(err, RZ_EUTF8, "audit %s is not valid UTF-8", what);
    if (n > max)
        return rz_error_set(err, RZ_ETOOLONG, "audit %s has %zu characters; the limit is %zu", what,
                            n, max);
    return RZ_OK;
}

rz_status rz_audit_write(rz_db *db, const char *actor, const char *action, const char *object_kind,
                         const char *object_id, const char *detail_json, rz_error *err)
{
    static const char lower[] = "abcdefghijklmnopqrstuvwxyz_";
    static const char dotted[] = "abcdefghijklmnopqrstuvwxyz_.";
    if (action == NULL || !of_alphabet(action, dotted, RZ_AUDIT_ACTION_MAX))
        return rz_error_set(err, RZ_EINVAL, "audit action must be 1 to %d of a-z, '_' and '.'",
                            RZ_AUDIT_ACTION_MAX);
    if (object_kind != NULL && !of_alphabet(object_kind, lower, RZ_AUDIT_KIND_MAX))
        return rz_error_set(err, RZ_EINVAL, "audit object kind must be 1 to %d of a-z and '_'",
                            RZ_AUDIT_KIND_MAX);
    rz_status st = check_text("actor (--by)", actor, RZ_AUDIT_ACTOR_MAX, err);
    if (st == RZ_OK)
        st = check_text("object id", object_id, RZ_AUDIT_OBJECT_ID_MAX, err);
    if (st == RZ_OK && detail_json != NULL && strlen(detail_json) > RZ_AUDIT_DETAIL_MAX)
        st = rz_error_set(err, RZ_ETOOLONG, "audit detail is longer than %d bytes",
                          RZ_AUDIT_DETAIL_MAX);
    if (st != RZ_OK)
        return st;
    if (actor != NULL && actor[0] == '\0')
        actor = NULL;
    /* No RETURNING: the non-admin roles may insert but not read the table. */
    const char *params[5] = {actor, action, object_kind, object_id, detail_json};
    return rz_db_exec(db,
                      "INSERT INTO rozshuk.audit (actor, action, object_kind, object_id, detail) "
                      "VALUES ($1, $2, $3, $4, $5::jsonb)",
                      5, params, NULL, err);
}

void rz_audit_filter_defaults(rz_audit_filter *f)
{
    memset(f, 0, sizeof *f);
}

/* Whether `since` reads as a point in time (a date, a timestamp, "today") rather than an
 * interval back from now ("2 hours"). */
static bool since_is_time(const char *since)
{
    if (strlen(since) >= 5 && strspn(since, "0123456789") == 4 && since[4] == '-')
        return true;
    return strcmp(since, "today") == 0 || strcmp(since, "yesterday") == 0 ||
           strcmp(since, "now") == 0;
}

static const char LIST_SQL[] =
    "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), db_role, "
    "       actor, action, object_kind, object_id, detail::text "
    "FROM (SELECT * FROM rozshuk.audit "
    "      WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz) "
    "        AND ($2::interval IS NULL OR at >= now() - $2::interval) "
    "        AND ($3::text IS NULL OR db_role = $3 OR actor = $3) "
    "        AND ($4::text IS NULL OR action = $4 "
    "             OR (right($4, 1) = '.' AND left(action, length($4)) = $4)) "
    "      ORDER BY id DESC LIMIT $5::bigint) recent "
    "ORDER BY id";

rz_status rz_audit_list(rz_db *db, const rz_audit_filter *filter, rz_audit_fn fn, void *user,
                        rz_error *err)
{
    rz_audit_filter none;
    if (filter == NULL) {
        rz_audit_filter_defaults(&none);
        filter = &none;
    }
    char limit[32];
    snprintf(limit, sizeof limit, "%zu", filter->limit ? filter->limit : (size_t)1000);
    const char *since = filter->since && filter->since[0] ? filter->since : NULL;
    const char *params[5] = {since && since_is_time(since) ? since : NULL,
                             since && !since_is_time(since) ? since : NULL, filter->who,
                             filter->action, limit};
    rz_result *res = NULL;
    rz_status st = rz_db_exec(db, LIST_SQL, 5, params, &res, err);
    if (st != RZ_OK) {
        /* 22007 invalid datetime format, 22008 out of range, 22P02 invalid interval text */
        if (err != NULL && since != NULL &&
            (strcmp(err->sqlstate, "22007") == 0 || strcmp(err->sqlstate, "22008") == 0 ||
             strcmp(err->sqlstate, "22P02") == 0 || strcmp(err->sqlstate, "22015") == 0))
            return rz_error_set(err, RZ_EINVAL,
                                "--since '%s' is neither a date/time (2026-12-05, "
                                "'2026-12-05 13:00+00', today) nor an interval ('2 hours', "
                                "'7 days')",
                                since);
        return st;
    }
    for (size_t r = 0; r < rz_result_rows(res); r++) {
        rz_audit_entry e;
        e.id = strtoll(rz_result_value(res, r, 0), NULL, 10);
        e.at = rz_result_value(res, r, 1);
        e.db_role = rz_result_value(res, r, 2);
        e.actor = rz_result_value(res, r, 3);
        e.action = rz_result_value(res, r, 4);
        e.object_kind = rz_result_value(res, r, 5);
        e.object_id = rz_result_value(res, r, 6);
        e.detail = rz_result_value(res, r, 7);
        fn(&e, user);
    }
    rz_result_free(res);
    return RZ_OK;
}
