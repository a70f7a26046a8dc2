/*
 * rekey.c: names stored by an older names engine (key_version below RZ_KEY_VERSION) prepared
 * again and given this engine's derived columns and keys, exactly as the loader makes them
 * (rz__name_copy()), one chunk of records per transaction (engine/store/rekey.c).
 */
#include "internal.h"

#include "rozshuk/audit.h"
#include "store/batch.h"
#include "store/rekey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REKEY_CHUNK 5000 /* stale names a transaction starts from */

static bool same(const char *a, const char *b)
{
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/*
 * A stored name prepared again. The loader read it either from one full-name text (then
 * `written` is that text) or from separate columns (then `written` is the parts joined): the
 * full text read again gives the stored parts in the first case, and is taken then; otherwise
 * the stored parts are. A full text in which this engine sets a rank or an other surname aside
 * ("солдат Шевченко Тарас", "Іваненко (Петренко) Ольга") is taken too: an older engine stored
 * such words as parts (surname солдат, given name Шевченко), and separate columns joined make
 * such a text only when a column holds a rank word before a surname, or brackets. NULL when
 * neither is a name to this engine.
 */
static rz_name *prepare(const rz_name_ctx *ctx, const char *written, const char *s, const char *g,
                        const char *p)
{
    rz_name *n = NULL;
    if (written && rz_name_parse(ctx, written, &n, NULL) == RZ_OK &&
        ((same(rz_name_written(n, RZ_PART_SURNAME), s) &&
          same(rz_name_written(n, RZ_PART_GIVEN), g) &&
          same(rz_name_written(n, RZ_PART_PATRONYMIC), p)) ||
         rz_name_title(n) != NULL || rz_name_other_surname(n) != NULL))
        return n;
    rz_name_free(n);
    n = NULL;
    if (rz_name_from_parts(ctx, s, g, p, &n, NULL) != RZ_OK) {
        rz_name_free(n);
        return NULL;
    }
    return n;
}

/* Stages the chunk's names that this engine reads as names, tagged with their ids, and lists
 * the ids of the others in `none` ("{12,40}", or empty). */
static rz_status stage(rz_db *db, const rz_name_ctx *ctx, const rz_result *rows, rz__buf *names,
                       rz__buf *keys, rz__buf *none, rz_error *err)
{
    names->len = keys->len = none->len = 0;
    for (size_t r = 0; r < rz_result_rows(rows); r++) {
        const char *v[6];
        for (size_t c = 0; c < 6; c++)
            v[c] = rz_result_value(rows, r, c);
        rz_name *n = prepare(ctx, v[2], v[3], v[4], v[5]);
        if (n == NULL) {
            if (!rz__buf_adds(none, none->len ? "," : "{") || !rz__buf_adds(none, v[0]))
                return rz_error_set(err, RZ_ENOMEM, "out of memory preparing names");
            continue;
        }
        bool ok = rz__name_copy(names, keys, v[0], n, v[1], v[2]);
        rz_name_free(n);
        if (!ok)
            return rz_error_set(err, RZ_ENOMEM, "out of memory preparing names");
    }
    if (none->len && !rz__buf_add(none, "}", 2)) /* with its NUL */
        return rz_error_set(err, RZ_ENOMEM, "out of memory preparing names");
    rz_status st = RZ_OK;
    if (names->len)
        st = rz__batch_copy(db, "stage_name", names->data, names->len, err);
    if (st == RZ_OK && keys->len)
        st = rz__batch_copy(db, "stage_key", keys->data, keys->len, err);
    return st;
}

rz_status rz_rekey(rz_db *db, const rz_name_ctx *ctx, rz_rekey_result *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    if (db == NULL || ctx == NULL)
        return rz_error_set(err, RZ_EINVAL, "rz_rekey: NULL argument");
    rz__buf names = {0}, keys = {0}, none = {0};
    rz_status st = RZ_OK;
    for (int64_t after = 0;;) {
        rz_result *rows = NULL;
        int64_t last = 0;
        st = rz__rekey_begin(db, after, REKEY_CHUNK, &rows, &last, err);
        if (st != RZ_OK || last == 0)
            break;
        st = stage(db, ctx, rows, &names, &keys, &none, err);
        rz_result_free(rows);
        if (st == RZ_OK)
            st = rz__rekey_finish(db, none.len ? none.data : NULL, &out->names, &out->unkeyed,
                                  &out->records, err);
        if (st != RZ_OK) {
            rz_db_rollback(db);
            break;
        }
        after = last;
    }
    rz__buf_free(&names);
    rz__buf_free(&keys);
    rz__buf_free(&none);
    if (st != RZ_OK)
        return st;
    char version[8], detail[160];
    snprintf(version, sizeof version, "%d", RZ_KEY_VERSION);
    snprintf(detail, sizeof detail, "{\"names\": %llu, \"records\": %llu, \"unkeyed\": %llu}",
             (unsigned long long)out->names, (unsigned long long)out->records,
             (unsigned long long)out->unkeyed);
    return rz_audit_write(db, NULL, "db.rekey", "key_version", version, detail, err);
}
