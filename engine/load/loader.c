/*
 * loader.c: one file into one batch. Rows are read as a stream, mapped, parsed and validated
 * here; the good ones go in chunks through COPY into temporary staging tables, the bad ones
 * into batch_reject. After each chunk the SQL in engine/store/batch.c sorts the staged rows into
 * new, updated and duplicate records and writes them, all in the one transaction of the batch.
 */
#include "internal.h"
#include "mapping.h"
#include "reader.h"

#include "store/batch.h"

#include <xxhash.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ROWS       10000
#define CHUNK_BYTES      (8u * 1024u * 1024u)
#define PLACE_MAX        500   /* characters, as the schema allows */
#define DESC_MAX         10000 /* characters */
#define NAME_PART_MAX    300   /* characters */
#define NAME_WRITTEN_MAX 1000
#define REJECT_RAW_MAX   10000 /* bytes of a rejected row's text kept with the reject */
#define WARN_VALUE_MAX   1000  /* bytes of an unused value kept with its warning */

void rz_load_opts_defaults(rz_load_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->kind = RZ_KIND_MISSING;
    opts->format = RZ_FORMAT_AUTO;
    rz_date_opts_defaults(&opts->dates);
}

struct column_cache {
    char *name;
    rz_field field;
};

typedef struct loader {
    rz_db *db;
    const rz_name_ctx *names;
    const rz_load_opts *o;
    const rz_mapping *map;
    rz_date_opts dates;
    rz__reader *reader;
    char batch_id[24];

    /* the header (CSV/TSV), or the keys seen so far (JSON Lines) */
    char **headers;
    rz_field *fields;
    size_t ncols;
    struct column_cache *cache;
    size_t ncache;

    rz__buf persons, pnames, keys, idents, rejects, warns;
    size_t chunk_rows;
    rz__buf sorted_keys; /* the chunk's keys in key order (sort_keys()) */
    struct key_line *key_lines;
    size_t key_lines_cap;
    bool settling; /* the previous chunk's settle is running on the server */

    rz__buf raw, notes, scratch;
    uint64_t line; /* of the row being processed */
    rz_load_result *res;
    int64_t batch;
    rz__batch_counts counts; /* what settling the chunks found */
} loader;

/* ---- small helpers ----------------------------------------------------------------------- */

static size_t code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Appends text made safe for a PostgreSQL text column: invalid UTF-8 and NUL become U+FFFD;
 * at most `max` bytes (then "…"). */
static bool add_safe_text(rz__buf *b, const char *s, size_t len, size_t max)
{
    size_t i = 0, start = b->len;
    while (i < len) {
        if (b->len - start >= max)
            return rz__buf_add(b, "\xE2\x80\xA6", 3);
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            if (!rz__buf_add(b, "\xEF\xBF\xBD", 3))
                return false;
            i++;
            continue;
        }
        if (c < 0x80) {
            if (!rz__buf_addc(b, (char)c))
                return false;
            i++;
            continue;
        }
        size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > len - i || rz__utf8_check(s + i, n) != n) {
            if (!rz__buf_add(b, "\xEF\xBF\xBD", 3))
                return false;
            i++;
            continue;
        }
        if (!rz__buf_add(b, s + i, n))
            return false;
        i += n;
    }
    return true;
}

static bool copy_text(rz__buf *b, const char *s, char end)
{
    return rz__buf_copy_field(b, s, s ? strlen(s) : 0, end);
}

static bool copy_date(rz__buf *b, const rz_date_range *r, bool to, char end)
{
    if (r->precision == RZ_PREC_NONE)
        return rz__buf_copy_field(b, NULL, 0, end);
    char d[11];
    rz_days_format(to ? r->to : r->from, d);
    return rz__buf_copy_field(b, d, 10, end);
}

/* ---- rejects ----------------------------------------------------------------------------- */

typedef struct row_ctx {
    const rz__row *row;
    const char *v[RZ__FIELD_COUNT]; /* trimmed values of the mapped fields (NUL-terminated) */
    rz__buf alias, description;     /* several columns may feed these */
    const char *colname[RZ__FIELD_COUNT];
    char id_hash[40];
} row_ctx;

static rz_status reject(loader *L, const rz__row *row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static rz_status reject(loader *L, const rz__row *row, const char *field, const char *fmt, ...)
{
    char reason[RZ_ERROR_MESSAGE_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    L->scratch.len = 0;
    rz__buf *b = &L->rejects;
    char line[32];
    snprintf(line, sizeof line, "%llu", (unsigned long long)row->line);
    bool ok = copy_text(b, L->batch_id, '\t') && copy_text(b, line, '\t');
    if (ok && field) {
        L->scratch.len = 0;
        ok = add_safe_text(&L->scratch, field, strlen(field), 200) &&
             rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\t');
    } else if (ok) {
        ok = rz__buf_copy_field(b, NULL, 0, '\t');
    }
    L->scratch.len = 0;
    ok = ok && add_safe_text(&L->scratch, reason, strlen(reason), 2000) &&
         rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\t');
    L->scratch.len = 0;
    ok = ok && add_safe_text(&L->scratch, row->raw, row->raw_len, REJECT_RAW_MAX) &&
         rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\n');
    L->res->rejected++;
    L->chunk_rows++;
    return ok ? RZ_OK : RZ_ENOMEM;
}

/* ---- warnings ---------------------------------------------------------------------------- */

/* An optional value of a row that is loaded without it: stages the warning (line, column,
 * reason, the value) for batch_warning and notes it on the record. False only when out of
 * memory. */
static bool warn(loader *L, const row_ctx *c, rz_field f, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- columns ----------------------------------------------------------------------------- */

static rz_field jsonl_field(loader *L, const char *name, rz_status *st)
{
    for (size_t i = 0; i < L->ncache; i++)
        if (strcmp(L->cache[i].name, name) == 0)
            return L->cache[i].field;
    rz_field f = rz__mapping_field(L->map, name, 0);
    if (L->ncache < RZ_LOAD_COLS_MAX * 4) {
        struct column_cache *c = realloc(L->cache, (L->ncache + 1) * sizeof *c);
        char *copy = strdup(name);
        if (c == NULL || copy == NULL) {
            free(copy);
            if (c)
                L->cache = c;
            *st = RZ_ENOMEM;
            return f;
        }
        L->cache = c;
        c[L->ncache].name = copy;
        c[L->ncache].field = f;
        L->ncache++;
    }
    return f;
}

/* Adds a header to the list of columns kept only in the raw row. */
static void note_unmapped(rz_load_result *res, const char *header)
{
    size_t used = strlen(res->unmapped), cap = sizeof res->unmapped;
    if (used + 2 >= cap)
        return;
    snprintf(res->unmapped + used, cap - used, "%s%s", used ? ", " : "", header);
}

static rz_status read_header(loader *L, rz_error *err)
{
    if (L->map && !L->map->header) {
        L->ncols = L->map->ncolumns;
        L->headers = calloc(L->ncols, sizeof *L->headers);
        L->fields = calloc(L->ncols, sizeof *L->fields);
        if (!L->headers || !L->fields)
            return rz_error_set(err, RZ_ENOMEM, "out of memory");
        for (size_t i = 0; i < L->ncols; i++) {
            L->headers[i] = strdup(L->map->columns[i].header);
            if (L->headers[i] == NULL)
                return rz_error_set(err, RZ_ENOMEM, "out of memory");
            L->fields[i] = L->map->columns[i].field;
        }
        return RZ_OK;
    }
    rz__row *row;
    rz_status st = rz__reader_next(L->reader, &row, err);
    if (st == RZ_ENOTFOUND)
        return rz_error_set(err, RZ_EPARSE, "%s is empty: no header line", L->o->file_label);
    if (st != RZ_OK)
        return st;
    if (row->error)
        return rz_error_set(err, RZ_EPARSE, "%s line %llu: the header is malformed: %s",
                            L->o->file_label, (unsigned long long)row->line, row->error);
    L->ncols = row->n;
    L->headers = calloc(L->ncols, sizeof *L->headers);
    L->fields = calloc(L->ncols, sizeof *L->fields);
    if (!L->headers || !L->fields)
        return rz_error_set(err, RZ_ENOMEM, "out of memory");
    bool named = false;
    for (size_t i = 0; i < L->ncols; i++) {
        if (rz__utf8_check(row->values[i], row->lens[i]) != row->lens[i] ||
            memchr(row->values[i], 0, row->lens[i]) != NULL)
            return rz_error_set(err, RZ_EUTF8,
                                "%s line %llu: header of column %zu is not valid UTF-8",
                                L->o->file_label, (unsigned long long)row->line, i + 1);
        /* trim, and make repeated headers distinct ("Примітка", "Примітка#2") for the raw row */
        const char *h = row->values[i];
        size_t len = row->lens[i];
        while (len > 0 && (*h == ' ' || *h == '\t')) {
            h++;
            len--;
        }
        while (len > 0 && (h[len - 1] == ' ' || h[len - 1] == '\t'))
            len--;
        size_t repeats = 0;
        for (size_t j = 0; j < i; j++)
            if (strlen(L->headers[j]) >= len && strncmp(L->headers[j], h, len) == 0 &&
                (L->headers[j][len] == '\0' || L->headers[j][len] == '#'))
                repeats++;
        char *copy = malloc(len + 32);
        if (copy == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory");
        memcpy(copy, h, len);
        copy[len] = '\0';
        if (len == 0)
            snprintf(copy, len + 32, "column_%zu", i + 1);
        else if (repeats > 0)
            snprintf(copy + len, 32, "#%zu", repeats + 1);
        L->headers[i] = copy;
        L->fields[i] = rz__mapping_field(L->map, copy, i);
        if (L->fields[i] != RZ_FIELD_RAW)
            named = true;
        else if (!(L->map && rz__mapping_names(L->map, copy)))
            note_unmapped(L->res, copy);
    }
    if (!named)
        return rz_error_set(err, RZ_EPARSE,
                            "%s: no column header was recognised (first line: %.200s); give a "
                            "mapping file with --mapping",
                            L->o->file_label, row->raw);
    return RZ_OK;
}

/* ---- one row ----------------------------------------------------------------------------- */

static void trim(char **s, size_t *len)
{
    char *p = *s;
    size_t n = *len;
    while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        n--;
    }
    /* NBSP (C2 A0) is common in spreadsheet exports */
    while (n >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
        p += 2;
        n -= 2;
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    while (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA0)
        n -= 2;
    p[n] = '\0'; /* the reader's buffer: safe to cut, the raw row is kept apart */
    *s = p;
    *len = n;
}

/* Checks every value, builds the raw JSON object and the field values. Returns false after
 * rejecting the row. */
static bool gather(loader *L, rz__row *row, row_ctx *c, rz_status *st)
{
    if (row->names == NULL && row->n != L->ncols) {
        *st = reject(L, row, NULL, "has %zu fields, the header has %zu", row->n, L->ncols);
        return false;
    }
    rz__buf *raw = &L->raw;
    raw->len = 0;
    bool ok = rz__buf_addc(raw, '{');
    for (size_t i = 0; i < row->n && ok; i++) {
        const char *name = row->names ? row->names[i] : L->headers[i];
        rz_field f = row->names ? jsonl_field(L, name, st) : L->fields[i];
        if (*st != RZ_OK)
            return false;
        if (row->lens[i] > RZ_LOAD_FIELD_MAX) {
            *st = reject(L, row, name, "field longer than %u bytes", RZ_LOAD_FIELD_MAX);
            return false;
        }
        if (memchr(row->values[i], 0, row->lens[i]) != NULL) {
            *st = reject(L, row, name, "field contains a NUL byte");
            return false;
        }
        size_t bad = rz__utf8_check(row->values[i], row->lens[i]);
        if (bad != row->lens[i]) {
            *st = reject(L, row, name,
                         "invalid UTF-8 at byte %zu of the field (is the file in another "
                         "encoding, e.g. Windows-1251? convert it with iconv -f cp1251 -t utf-8)",
                         bad + 1);
            return false;
        }
        if (row->compound && row->compound[i] && f != RZ_FIELD_RAW) {
            *st = reject(L, row, name, "wrong type: %s must be text or a number, not %s",
                         rz_field_name(f), row->values[i][0] == '[' ? "a list" : "an object");
            return false;
        }
        if (i > 0)
            ok = rz__buf_addc(raw, ',');
        ok = ok && rz__buf_json_string(raw, name, strlen(name)) && rz__buf_addc(raw, ':') &&
             rz__buf_json_string(raw, row->values[i], row->lens[i]);
        if (f == RZ_FIELD_RAW)
            continue;
        char *v = row->values[i];
        size_t len = row->lens[i];
        trim(&v, &len);
        if (len == 0)
            continue;
        if (f == RZ_FIELD_ALIAS || f == RZ_FIELD_DESCRIPTION) {
            rz__buf *b = f == RZ_FIELD_ALIAS ? &c->alias : &c->description;
            if (b->len > 0)
                ok = ok &&
                     rz__buf_add(b, f == RZ_FIELD_ALIAS ? "; " : "\n", f == RZ_FIELD_ALIAS ? 2 : 1);
            ok = ok && rz__buf_add(b, v, len);
            c->colname[f] = name;
            continue;
        }
        if (c->v[f] == NULL) {
            c->v[f] = v;
            c->colname[f] = name;
        }
    }
    ok = ok && rz__buf_addc(raw, '}');
    if (!ok) {
        *st = RZ_ENOMEM;
        return false;
    }
    if (c->alias.len)
        c->v[RZ_FIELD_ALIAS] = c->alias.data;
    if (c->description.len)
        c->v[RZ_FIELD_DESCRIPTION] = c->description.data;
    return true;
}

typedef struct record {
    rz_sex sex;
    rz_date_range birth, last_seen, found;
    rz_identifier ids[5];
    const char *id_raw[5];
    size_t nids;
    const char *id;
    char hash[33];
} record;

static bool add_note(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool add_note(loader *L, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (L->notes.len > 0 && !rz__buf_addc(&L->notes, '\n'))
        return false;
    return add_safe_text(&L->notes, text, strlen(text), 4000);
}

static bool warn(loader *L, const row_ctx *c, rz_field f, const char *fmt, ...)
{
    char reason[RZ_ERROR_MESSAGE_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    const char *column = c->colname[f] ? c->colname[f] : rz_field_name(f);
    const char *value = c->v[f];
    char line[32];
    snprintf(line, sizeof line, "%llu", (unsigned long long)c->row->line);
    rz__buf *b = &L->warns;
    L->scratch.len = 0;
    bool ok = copy_text(b, line, '\t') && add_safe_text(&L->scratch, column, strlen(column), 200) &&
              rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\t');
    L->scratch.len = 0;
    ok = ok && add_safe_text(&L->scratch, reason, strlen(reason), 2000) &&
         rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\t');
    L->scratch.len = 0;
    ok = ok && (value ? add_safe_text(&L->scratch, value, strlen(value), WARN_VALUE_MAX) &&
                            rz__buf_copy_field(b, L->scratch.data, L->scratch.len, '\n')
                      : rz__buf_copy_field(b, NULL, 0, '\n'));
    return ok && add_note(L, "%s", reason);
}

static const char *sex_letter(rz_sex s)
{
    return s == RZ_SEX_MALE ? "m" : s == RZ_SEX_FEMALE ? "f" : NULL;
}

/* A date field: precision NONE when blank, and when it cannot be read (then with a warning:
 * a date is never required). False only when out of memory. */
static bool parse_date_field(loader *L, const row_ctx *c, rz_field f, rz_date_range *out,
                             rz_status *st)
{
    memset(out, 0, sizeof *out);
    if (c->v[f] == NULL)
        return true;
    rz_error e;
    rz_error_clear(&e);
    rz_status s = rz_date_parse(c->v[f], &L->dates, out, &e);
    if (s == RZ_OK)
        return true;
    memset(out, 0, sizeof *out);
    if (s == RZ_EEMPTY || warn(L, c, f, "%s not used, the record is loaded without it: %s",
                               rz_field_name(f), e.message))
        return true;
    *st = RZ_ENOMEM;
    return false;
}

static bool corroborate(loader *L, record *r, int32_t day, rz_sex sex, const char *what)
{
    char a[11], b[11], c[11];
    bool ok = true;
    if (r->birth.precision == RZ_PREC_NONE) {
        r->birth.from = r->birth.to = day;
        r->birth.precision = RZ_PREC_DAY;
        ok = add_note(L, "birth date %s taken from the %s", rz_days_format(day, a), what);
    } else if (day < r->birth.from || day > r->birth.to) {
        ok = add_note(L, "the %s gives birth date %s, outside the record's %s..%s", what,
                      rz_days_format(day, a), rz_days_format(r->birth.from, b),
                      rz_days_format(r->birth.to, c));
    }
    if (sex != RZ_SEX_UNKNOWN) {
        if (r->sex == RZ_SEX_UNKNOWN) {
            r->sex = sex;
            ok = ok && add_note(L, "sex %s taken from the %s", sex_letter(sex), what);
        } else if (r->sex != sex) {
            ok = ok && add_note(L, "the %s says sex %s, the record says %s", what, sex_letter(sex),
                                sex_letter(r->sex));
        }
    }
    return ok;
}

static bool parse_ids(loader *L, const row_ctx *c, record *r, rz_status *st)
{
    static const struct {
        rz_field field;
        rz_id_kind kind;
    } ID_FIELDS[] = {{RZ_FIELD_UNZR, RZ_ID_UNZR},
                     {RZ_FIELD_RNOKPP, RZ_ID_RNOKPP},
                     {RZ_FIELD_PASSPORT, RZ_ID_PASSPORT},
                     {RZ_FIELD_MILITARY_ID, RZ_ID_MILITARY},
                     {RZ_FIELD_OTHER_ID, RZ_ID_OTHER}};
    for (size_t i = 0; i < sizeof ID_FIELDS / sizeof ID_FIELDS[0]; i++) {
        const char *v = c->v[ID_FIELDS[i].field];
        if (v == NULL)
            continue;
        rz_error e;
        rz_error_clear(&e);
        rz_identifier *id = &r->ids[r->nids];
        rz_status s = rz_identifier_parse(ID_FIELDS[i].kind, v, id, &e);
        if (s == RZ_EEMPTY)
            continue;
        if (s != RZ_OK) {
            if (warn(L, c, ID_FIELDS[i].field, "%s not used, the record is loaded without it: %s",
                     rz_field_name(ID_FIELDS[i].field), e.message))
                continue;
            *st = RZ_ENOMEM;
            return false;
        }
        r->id_raw[r->nids++] = v;
        if (id->valid == 0 &&
            !add_note(L, "%s %s fails its checksum", rz_id_kind_name(id->kind), id->value)) {
            *st = RZ_ENOMEM;
            return false;
        }
    }
    /* a valid RNOKPP or UNZR tells the birth date (and RNOKPP the sex): corroborate */
    for (size_t i = 0; i < r->nids; i++) {
        int32_t day;
        rz_sex sex = RZ_SEX_UNKNOWN;
        bool have = false;
        if (r->ids[i].valid == 1 && r->ids[i].kind == RZ_ID_RNOKPP)
            have = rz_rnokpp_info(r->ids[i].value, &day, &sex);
        else if (r->ids[i].valid == 1 && r->ids[i].kind == RZ_ID_UNZR)
            have = rz_unzr_birth(r->ids[i].value, &day);
        if (!have || day < L->dates.earliest || day > L->dates.today)
            continue;
        if (!corroborate(L, r, day, sex, rz_id_kind_name(r->ids[i].kind))) {
            *st = RZ_ENOMEM;
            return false;
        }
    }
    return true;
}

/* Sex, dates, ages, identifiers, consistency. */
static bool parse_values(loader *L, const row_ctx *c, record *r, rz_status *st)
{
    rz_error e;
    rz_error_clear(&e);
    if (c->v[RZ_FIELD_SEX]) {
        rz_status s = rz_sex_parse(c->v[RZ_FIELD_SEX], &r->sex, &e);
        if (s != RZ_OK) {
            r->sex = RZ_SEX_UNKNOWN;
            if (s != RZ_EEMPTY &&
                !warn(L, c, RZ_FIELD_SEX, "sex not used, the record is loaded without it: %s",
                      e.message)) {
                *st = RZ_ENOMEM;
                return false;
            }
        }
    }
    if (!parse_date_field(L, c, RZ_FIELD_BIRTH_DATE, &r->birth, st) ||
        !parse_date_field(L, c, RZ_FIELD_LAST_SEEN_DATE, &r->last_seen, st) ||
        !parse_date_field(L, c, RZ_FIELD_FOUND_DATE, &r->found, st))
        return false;
    if (c->v[RZ_FIELD_AGE]) {
        int32_t ref = L->dates.today;
        rz_date_range at;
        if (c->v[RZ_FIELD_AGE_DATE]) {
            if (!parse_date_field(L, c, RZ_FIELD_AGE_DATE, &at, st))
                return false;
            if (at.precision != RZ_PREC_NONE)
                ref = at.to;
        } else if (L->map && L->map->has_age_reference) {
            ref = L->map->age_reference;
        } else if (r->found.precision != RZ_PREC_NONE) {
            ref = r->found.to;
        } else if (r->last_seen.precision != RZ_PREC_NONE) {
            ref = r->last_seen.to;
        }
        rz_date_range from_age;
        rz_status s = rz_age_parse(c->v[RZ_FIELD_AGE], ref, &from_age, &e);
        if (s != RZ_OK && s != RZ_EEMPTY &&
            !warn(L, c, RZ_FIELD_AGE, "age not used, the record is loaded without it: %s",
                  e.message)) {
            *st = RZ_ENOMEM;
            return false;
        }
        if (s == RZ_OK && r->birth.precision == RZ_PREC_NONE) {
            if (from_age.from < L->dates.earliest)
                from_age.from = L->dates.earliest;
            r->birth = from_age;
        } else if (s == RZ_OK && (r->birth.to < from_age.from || r->birth.from > from_age.to)) {
            if (!add_note(L, "the age does not agree with the birth date")) {
                *st = RZ_ENOMEM;
                return false;
            }
        }
    }
    if (r->found.precision != RZ_PREC_NONE && L->o->kind != RZ_KIND_REMAINS) {
        memset(&r->found, 0, sizeof r->found);
        if (!add_note(L, "date found ignored: the records are not remains")) {
            *st = RZ_ENOMEM;
            return false;
        }
    }
    if (!parse_ids(L, c, r, st))
        return false;
    /* dates that contradict each other: one of them is wrong, the row cannot say which; both
     * are kept as written and flagged */
    char a[11], b[11];
    if (r->birth.precision != RZ_PREC_NONE && r->last_seen.precision != RZ_PREC_NONE &&
        r->birth.from > r->last_seen.to &&
        !warn(L, c, RZ_FIELD_BIRTH_DATE,
              "born (%s) after last seen (%s): one of the two dates is wrong; both kept",
              rz_days_format(r->birth.from, a), rz_days_format(r->last_seen.to, b))) {
        *st = RZ_ENOMEM;
        return false;
    }
    if (r->birth.precision != RZ_PREC_NONE && r->found.precision != RZ_PREC_NONE &&
        r->birth.from > r->found.to &&
        !warn(L, c, RZ_FIELD_BIRTH_DATE,
              "born (%s) after found (%s): one of the two dates is wrong; both kept",
              rz_days_format(r->birth.from, a), rz_days_format(r->found.to, b))) {
        *st = RZ_ENOMEM;
        return false;
    }
    static const rz_field TEXTS[] = {RZ_FIELD_BIRTH_PLACE, RZ_FIELD_LAST_SEEN_PLACE,
                                     RZ_FIELD_FOUND_PLACE, RZ_FIELD_DESCRIPTION};
    for (size_t i = 0; i < 4; i++) {
        const char *v = c->v[TEXTS[i]];
        size_t max = TEXTS[i] == RZ_FIELD_DESCRIPTION ? DESC_MAX : PLACE_MAX;
        if (v && code_points(v, strlen(v)) > max) {
            *st = reject(L, c->row, c->colname[TEXTS[i]], "%s longer than %zu characters",
                         rz_field_name(TEXTS[i]), max);
            return false;
        }
    }
    return true;
}

/* ---- names ------------------------------------------------------------------------------- */

struct key_sink {
    rz__buf *keys;
    const char *line;
    bool ok;
};

static bool valid_key_kind(const char *kind)
{
    size_t n = strlen(kind);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((kind[i] >= 'a' && kind[i] <= 'z') || kind[i] == '_'))
            return false;
    return true;
}

static void key_cb(const char *kind, const char *key, void *user)
{
    struct key_sink *k = user;
    size_t len = strlen(key);
    if (!k->ok || !valid_key_kind(kind) || len == 0 || code_points(key, len) > 200)
        return;
    rz__buf *b = k->keys;
    char ver[8];
    snprintf(ver, sizeof ver, "%d", RZ_KEY_VERSION);
    k->ok = copy_text(b, k->line, '\t') && copy_text(b, kind, '\t') &&
            rz__buf_copy_field(b, key, len, '\t') && copy_text(b, ver, '\n');
}

static const char *allowed(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return v;
    return NULL;
}

static bool part_fits(const rz_name *n, rz_name_part p)
{
    const char *w = rz_name_written(n, p);
    return w == NULL || code_points(w, strlen(w)) <= NAME_PART_MAX;
}

bool rz__name_copy(rz__buf *names, rz__buf *keys, const char *line, const rz_name *n,
                   const char *role, const char *written)
{
    static const char *const SCRIPTS[] = {"latin", "cyrillic", "mixed", "other"};
    static const char *const LANGS[] = {"uk", "ru", "be", "cyrillic", "latin", "unknown"};
    rz_name_part main_part = rz_name_written(n, RZ_PART_SURNAME) ? RZ_PART_SURNAME : RZ_PART_GIVEN;
    char ver[8];
    snprintf(ver, sizeof ver, "%d", RZ_KEY_VERSION);
    rz__buf *b = names;
    bool ok =
        copy_text(b, line, '\t') && copy_text(b, role, '\t') && copy_text(b, written, '\t') &&
        copy_text(b, rz_name_written(n, RZ_PART_SURNAME), '\t') &&
        copy_text(b, rz_name_written(n, RZ_PART_GIVEN), '\t') &&
        copy_text(b, rz_name_written(n, RZ_PART_PATRONYMIC), '\t') &&
        copy_text(b, allowed(rz_script_name(rz_name_script(n, main_part)), SCRIPTS, 4), '\t') &&
        copy_text(b, allowed(rz_lang_name(rz_name_lang(n)), LANGS, 6), '\t') &&
        copy_text(b, rz_name_skeleton(n, RZ_PART_SURNAME), '\t') &&
        copy_text(b, rz_name_skeleton(n, RZ_PART_GIVEN), '\t') &&
        copy_text(b, rz_name_skeleton(n, RZ_PART_PATRONYMIC), '\t') &&
        copy_text(b, rz_name_given_canonical(n), '\t') && copy_text(b, ver, '\n');
    struct key_sink sink = {keys, line, ok};
    if (ok)
        rz_name_keys(n, key_cb, &sink);
    return sink.ok;
}

/* Stages one prepared name and its keys. */
static bool stage_name(loader *L, const char *line, const rz_name *n, const char *role,
                       const char *written)
{
    return rz__name_copy(&L->pnames, &L->keys, line, n, role, written);
}

/* Joins the parts as written into one string: "Клименко Олександр Іванович". */
static const char *joined(loader *L, const char *s, const char *g, const char *p)
{
    L->scratch.len = 0;
    const char *parts[3] = {s, g, p};
    for (size_t i = 0; i < 3; i++) {
        if (parts[i] == NULL)
            continue;
        if (L->scratch.len > 0)
            rz__buf_addc(&L->scratch, ' ');
        rz__buf_adds(&L->scratch, parts[i]);
    }
    return L->scratch.data ? L->scratch.data : "";
}

static bool stage_names(loader *L, const row_ctx *c, const char *line, rz_status *st)
{
    const char *s = c->v[RZ_FIELD_SURNAME], *g = c->v[RZ_FIELD_GIVEN],
               *p = c->v[RZ_FIELD_PATRONYMIC], *full = c->v[RZ_FIELD_FULL_NAME];
    rz_name *n = NULL;
    rz_error e;
    rz_error_clear(&e);
    rz_field blame = RZ_FIELD_FULL_NAME;
    rz_status s1 = RZ_EEMPTY;
    const char *written = NULL;
    if (s || g || p) {
        s1 = rz_name_from_parts(L->names, s, g, p, &n, &e);
        blame = s ? RZ_FIELD_SURNAME : g ? RZ_FIELD_GIVEN : RZ_FIELD_PATRONYMIC;
    } else if (full) {
        s1 = rz_name_parse(L->names, full, &n, &e);
    }
    if (s1 == RZ_EEMPTY && (s || g || p || full)) {
        *st = reject(L, c->row, c->colname[blame], "no name in it: %s", e.message);
        return false;
    }
    if (s1 == RZ_EEMPTY && (L->o->kind == RZ_KIND_MISSING || L->o->kind == RZ_KIND_LIST)) {
        *st =
            reject(L, c->row, NULL, "no name: a %s record needs a surname, given name or full name",
                   rz_kind_name(L->o->kind));
        return false;
    }
    if (s1 != RZ_OK && s1 != RZ_EEMPTY) {
        *st = s1 == RZ_ENOMEM ? RZ_ENOMEM : reject(L, c->row, c->colname[blame], "%s", e.message);
        return false;
    }
    bool ok = true;
    if (n != NULL) {
        written = (s || g || p) ? joined(L, s, g, p) : full;
        if (code_points(written, strlen(written)) > NAME_WRITTEN_MAX ||
            !part_fits(n, RZ_PART_SURNAME) || !part_fits(n, RZ_PART_GIVEN) ||
            !part_fits(n, RZ_PART_PATRONYMIC)) {
            rz_name_free(n);
            *st = reject(L, c->row, c->colname[blame], "name part longer than %d characters",
                         NAME_PART_MAX);
            return false;
        }
        char *w = strdup(written);
        ok = w != NULL && stage_name(L, line, n, "primary", w);
        free(w);
        rz_name_free(n);
    }
    /* other names: "Саша Клименко; Alex Klymenko" */
    const char *a = c->v[RZ_FIELD_ALIAS];
    const char *role = L->o->kind == RZ_KIND_REMAINS ? "document" : "alias";
    while (ok && a && *a) {
        const char *end = a + strcspn(a, ";|");
        char one[RZ_NAME_TEXT_MAX + 1];
        size_t len = (size_t)(end - a);
        while (len > 0 && (*a == ' ')) {
            a++;
            len--;
        }
        while (len > 0 && a[len - 1] == ' ')
            len--;
        if (len > 0 && len <= RZ_NAME_TEXT_MAX && code_points(a, len) <= NAME_WRITTEN_MAX) {
            memcpy(one, a, len);
            one[len] = '\0';
            rz_name *an = NULL;
            if (rz_name_parse(L->names, one, &an, NULL) == RZ_OK &&
                part_fits(an, RZ_PART_SURNAME) && part_fits(an, RZ_PART_GIVEN) &&
                part_fits(an, RZ_PART_PATRONYMIC))
                ok = stage_name(L, line, an, role, one);
            else
                ok = add_note(L, "other name not read as a name: %.100s", one);
            rz_name_free(an);
        } else if (len > 0) {
            ok = add_note(L, "other name too long, kept only in the raw row");
        }
        a = *end ? end + 1 : end;
    }
    if (!ok)
        *st = RZ_ENOMEM;
    return ok;
}

/* ---- staging ----------------------------------------------------------------------------- */

static bool stage_person(loader *L, const row_ctx *c, const record *r, const char *line)
{
    rz__buf *b = &L->persons;
    const char *prec = rz_date_precision_name(r->birth.precision);
    bool ok = copy_text(b, line, '\t') && copy_text(b, r->id, '\t') &&
              copy_text(b, sex_letter(r->sex), '\t') && copy_date(b, &r->birth, false, '\t') &&
              copy_date(b, &r->birth, true, '\t') && copy_text(b, prec, '\t') &&
              copy_text(b, r->birth.dm_ambiguous ? "t" : "f", '\t') &&
              copy_text(b, c->v[RZ_FIELD_BIRTH_PLACE], '\t') &&
              copy_date(b, &r->last_seen, false, '\t') && copy_date(b, &r->last_seen, true, '\t') &&
              copy_text(b, c->v[RZ_FIELD_LAST_SEEN_PLACE], '\t') &&
              copy_date(b, &r->found, false, '\t') && copy_date(b, &r->found, true, '\t') &&
              copy_text(b, c->v[RZ_FIELD_FOUND_PLACE], '\t') &&
              copy_text(b, c->v[RZ_FIELD_DESCRIPTION], '\t') &&
              rz__buf_copy_field(b, L->raw.data, L->raw.len, '\t') && copy_text(b, r->hash, '\t') &&
              (L->notes.len ? rz__buf_copy_field(b, L->notes.data, L->notes.len, '\n')
                            : rz__buf_copy_field(b, NULL, 0, '\n'));
    for (size_t i = 0; ok && i < r->nids; i++) {
        const rz_identifier *id = &r->ids[i];
        ok = copy_text(&L->idents, line, '\t') &&
             copy_text(&L->idents, rz_id_kind_name(id->kind), '\t') &&
             copy_text(&L->idents, id->value, '\t') &&
             copy_text(&L->idents,
                       id->valid < 0 ? NULL
                       : id->valid   ? "t"
                                     : "f",
                       '\t') &&
             copy_text(&L->idents, r->id_raw[i], '\n');
    }
    return ok;
}

static rz_status process_row(loader *L, rz__row *row)
{
    L->res->read++;
    if (row->error)
        return reject(L, row, NULL, "%s", row->error);
    row_ctx c;
    memset(&c, 0, sizeof c);
    c.row = row;
    rz_status st = RZ_OK;
    L->notes.len = 0;
    record r;
    memset(&r, 0, sizeof r);
    char line[32];
    snprintf(line, sizeof line, "%llu", (unsigned long long)row->line);
    size_t mark_warns = L->warns.len;
    if (!gather(L, row, &c, &st))
        goto done;
    XXH128_hash_t h = XXH3_128bits(L->raw.data, L->raw.len);
    snprintf(r.hash, sizeof r.hash, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
    if (c.v[RZ_FIELD_ID]) {
        r.id = c.v[RZ_FIELD_ID];
        if (code_points(r.id, strlen(r.id)) > 200) {
            st = reject(L, row, c.colname[RZ_FIELD_ID], "record id longer than 200 characters");
            goto done;
        }
    } else {
        bool has_id_column = false;
        for (size_t i = 0; !row->names && i < L->ncols; i++)
            has_id_column = has_id_column || L->fields[i] == RZ_FIELD_ID;
        if (has_id_column) {
            st = reject(L, row, NULL, "the record id is empty");
            goto done;
        }
        snprintf(c.id_hash, sizeof c.id_hash, "h:%s", r.hash);
        r.id = c.id_hash;
    }
    if (!parse_values(L, &c, &r, &st)) {
        L->warns.len = mark_warns;
        goto done;
    }
    size_t mark_names = L->pnames.len, mark_keys = L->keys.len, mark_ids = L->idents.len;
    if (!stage_names(L, &c, line, &st)) {
        L->pnames.len = mark_names; /* take back what the row staged before it was rejected */
        L->keys.len = mark_keys;
        L->idents.len = mark_ids;
        L->warns.len = mark_warns;
        goto done;
    }
    if (!stage_person(L, &c, &r, line)) {
        st = RZ_ENOMEM;
        goto done;
    }
    L->chunk_rows++;
done:
    rz__buf_free(&c.alias);
    rz__buf_free(&c.description);
    return st;
}

/* ---- the batch --------------------------------------------------------------------------- */

/* One line of the keys' COPY text ("line\tkind\tkey\tversion\n"): where it is, where its
 * kind and key are ("kind\tkey"), and its record's line. */
struct key_line {
    const char *text, *kind_key;
    size_t len, kind_key_len;
    uint64_t line;
};

static int key_line_cmp(const void *a, const void *b)
{
    const struct key_line *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    size_t n = x->kind_key_len < y->kind_key_len ? x->kind_key_len : y->kind_key_len;
    int c = memcmp(x->kind_key, y->kind_key, n);
    if (c == 0 && x->kind_key_len != y->kind_key_len)
        c = x->kind_key_len < y->kind_key_len ? -1 : 1;
    return c;
}

/* Puts the chunk's keys in person_key's primary-key order (the record's line, whose person ids
 * ascend with it, then kind and key: sql/0019) and drops a key repeated for one record (two names
 * giving the same key): the server then appends them at the primary key's right edge as they
 * come, with no sort. COPY's text escapes make the order of a key with a backslash or control
 * character slightly off, which costs nothing but locality; repeats are found exactly. */
static bool sort_keys(loader *L)
{
    if (L->keys.len == 0)
        return true; /* a chunk without names: no keys, and keys.data may be NULL */
    size_t n = 0;
    for (const char *p = L->keys.data, *end = p + L->keys.len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *t1 = memchr(p, '\t', (size_t)(nl - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1)) : NULL;
        const char *t3 = t2 ? memchr(t2 + 1, '\t', (size_t)(nl - t2 - 1)) : NULL;
        if (nl == NULL || t3 == NULL)
            return false; /* not a line key_cb() wrote */
        if (n == L->key_lines_cap) {
            size_t cap = L->key_lines_cap ? 2 * L->key_lines_cap : 16384;
            struct key_line *k = realloc(L->key_lines, cap * sizeof *k);
            if (k == NULL)
                return false;
            L->key_lines = k;
            L->key_lines_cap = cap;
        }
        L->key_lines[n] = (struct key_line){p, t1 + 1, (size_t)(nl - p) + 1, (size_t)(t3 - t1 - 1),
                                            strtoull(p, NULL, 10)};
        p = nl + 1;
    }
    if (n > 1)
        qsort(L->key_lines, n, sizeof *L->key_lines, key_line_cmp);
    L->sorted_keys.len = 0;
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || key_line_cmp(&L->key_lines[i - 1], &L->key_lines[i]) != 0) &&
            !rz__buf_add(&L->sorted_keys, L->key_lines[i].text, L->key_lines[i].len))
            return false;
    rz__buf swap = L->keys;
    L->keys = L->sorted_keys;
    L->sorted_keys = swap;
    return true;
}

/* Waits for the previous chunk's settle, if one is running. */
static rz_status settled(loader *L, rz_error *err)
{
    if (!L->settling)
        return RZ_OK;
    L->settling = false;
    return rz__batch_settle_end(L->db, &L->counts, err);
}

/* Sends the chunk's rows to the staging tables and starts settling them into the records; the
 * server settles them while the next chunk is read (settled() waits for it). */
static rz_status flush(loader *L, rz_error *err)
{
    struct {
        rz__buf *b;
        const char *table;
    } parts[] = {{&L->persons, "stage_person"}, {&L->pnames, "stage_name"},
                 {&L->keys, "stage_key"},       {&L->idents, "stage_ident"},
                 {&L->warns, "stage_warning"},  {&L->rejects, "batch_reject"}};
    bool persons = L->persons.len > 0;
    rz_status st = settled(L, err);
    if (st == RZ_OK && !sort_keys(L))
        st = rz_error_set(err, RZ_ENOMEM, "out of memory sorting the keys of a chunk");
    for (size_t i = 0; st == RZ_OK && i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i].b->len == 0)
            continue;
        st = rz__batch_copy(L->db, parts[i].table, parts[i].b->data, parts[i].b->len, err);
        parts[i].b->len = 0;
    }
    if (st != RZ_OK)
        return st;
    L->chunk_rows = 0;
    if (persons)
        st = rz__batch_settle_send(L->db, L->batch, rz_kind_name(L->o->kind),
                                   L->counts.source_had_records, err);
    L->settling = st == RZ_OK && persons;
    return st;
}

static bool chunk_full(const loader *L)
{
    return L->chunk_rows >= CHUNK_ROWS ||
           L->persons.len + L->pnames.len + L->keys.len + L->rejects.len + L->warns.len >
               CHUNK_BYTES;
}

static rz_load_format guess_format(const char *path, const rz_mapping *m)
{
    if (m && m->format != RZ_FORMAT_AUTO)
        return m->format;
    const char *dot = strrchr(path, '.');
    if (dot && (strcmp(dot, ".tsv") == 0 || strcmp(dot, ".tab") == 0))
        return RZ_FORMAT_TSV;
    if (dot && (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".ndjson") == 0))
        return RZ_FORMAT_JSONL;
    return RZ_FORMAT_CSV;
}

static rz_status run(loader *L, rz_error *err)
{
    rz_status st = RZ_OK;
    if (L->o->format != RZ_FORMAT_JSONL) {
        st = read_header(L, err);
        if (st != RZ_OK)
            return st;
    }
    uint64_t next_progress = 0;
    for (;;) {
        rz__row *row;
        st = rz__reader_next(L->reader, &row, err);
        if (st == RZ_ENOTFOUND)
            break;
        if (st != RZ_OK)
            return st;
        st = process_row(L, row);
        if (st != RZ_OK)
            return rz_error_set(err, st, "out of memory at line %llu",
                                (unsigned long long)row->line);
        if (chunk_full(L) && (st = flush(L, err)) != RZ_OK)
            return st;
        if (L->o->progress && L->res->read >= next_progress) {
            L->o->progress(rz__reader_offset(L->reader), rz__reader_size(L->reader), L->res->read,
                           L->o->progress_user);
            next_progress = L->res->read + 1000;
        }
    }
    st = flush(L, err);
    if (st == RZ_OK)
        st = settled(L, err);
    if (st == RZ_OK && L->o->progress)
        L->o->progress(rz__reader_offset(L->reader), rz__reader_size(L->reader), L->res->read,
                       L->o->progress_user);
    return st;
}

static void loader_free(loader *L)
{
    rz__reader_close(L->reader);
    for (size_t i = 0; L->headers && i < L->ncols; i++)
        free(L->headers[i]);
    free(L->headers);
    free(L->fields);
    for (size_t i = 0; i < L->ncache; i++)
        free(L->cache[i].name);
    free(L->cache);
    rz__buf *bufs[] = {&L->persons, &L->pnames, &L->keys,  &L->idents,      &L->rejects,
                       &L->warns,   &L->raw,    &L->notes, &L->sorted_keys, &L->scratch};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        rz__buf_free(bufs[i]);
    free(L->key_lines);
}

rz_status rz_load_file(rz_db *db, const rz_name_ctx *names, const char *path,
                       const rz_load_opts *opts, rz_load_result *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    if (opts == NULL || opts->source == NULL || path == NULL)
        return rz_error_set(err, RZ_EINVAL, "a load needs a file and a source name");
    rz_load_opts o = *opts;
    if (o.file_label == NULL)
        o.file_label = path;
    if (o.mapping && o.mapping->has_order)
        o.dates.order = o.mapping->order;
    o.format = o.format != RZ_FORMAT_AUTO ? o.format : guess_format(path, o.mapping);
    loader L;
    memset(&L, 0, sizeof L);
    L.db = db;
    L.names = names;
    L.o = &o;
    L.map = o.mapping;
    L.dates = o.dates;
    L.res = out;
    rz_status st =
        rz__reader_open(path, o.format, o.mapping ? o.mapping->delimiter : 0, &L.reader, err);
    if (st != RZ_OK)
        return st;
    int64_t batch = 0;
    st = rz__batch_begin(db, o.source, rz_kind_name(o.kind), o.file_label,
                         rz_load_format_name(o.format), o.mapping ? o.mapping->json : NULL, &batch,
                         &L.counts.source_had_records, err);
    if (st == RZ_OK) {
        snprintf(L.batch_id, sizeof L.batch_id, "%lld", (long long)batch);
        L.batch = batch;
        out->batch_id = batch;
        st = run(&L, err);
        if (st != RZ_OK)
            settled(&L, NULL); /* the error to report is run()'s */
    }
    if (st == RZ_OK) {
        L.counts.read = out->read;
        L.counts.rejected += out->rejected;
        if (!rz__reader_sha256(L.reader, L.counts.file_sha256))
            L.counts.file_sha256[0] = '\0';
        st = rz__batch_finish(db, batch, &L.counts, err);
        if (st == RZ_OK) {
            out->inserted = L.counts.inserted;
            out->updated = L.counts.updated;
            out->duplicates = L.counts.duplicates;
            out->rejected = L.counts.rejected;
            out->warnings = L.counts.warnings;
            out->loaded = L.counts.inserted + L.counts.updated;
            out->same_file_batch = L.counts.same_file_batch;
            snprintf(out->file_sha256, sizeof out->file_sha256, "%s", L.counts.file_sha256);
        }
    }
    if (st != RZ_OK) {
        rz_db_rollback(db);
        out->batch_id = 0;
    }
    loader_free(&L);
    return st;
}
