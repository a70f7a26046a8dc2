/*
 * match_records.c: reading the records of a match task from PostgreSQL into memory.
 *
 * The records of one task are first chosen into a temporary table (parameterised INSERT),
 * then streamed with COPY ... TO STDOUT: persons, names, identifiers, keys, each ordered by
 * person id, so that every COPY statement is fixed text with no values in it.
 */
#include "halves.h"
#include "match/match_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define COPY_FIELDS_MAX 20

/* ---- the record set ---------------------------------------------------------------------- */

rz_status rz__set_new(rz_record_set **out, rz_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? RZ_OK : rz_error_set(err, RZ_ENOMEM, "out of memory for records");
}

/* A place text and its prepared form: a region has a few thousand settlements, a job holds
 * a million records, so each distinct text is prepared (with ICU) and stored once. */
typedef struct rz__place_slot {
    uint64_t hash; /* 0: empty */
    char *text;
    rz_place *place;
} rz__place_slot;

void rz_record_set_free(rz_record_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->capplaces; i++) {
        free(set->places[i].text);
        free(set->places[i].place);
    }
    free(set->places);
    free(set->idents);
    for (size_t i = 0; i < set->nnames; i++)
        rz_name_free(set->names[i]);
    if (set->labels)
        for (size_t i = 0; i < 3 * set->n; i++)
            free(set->labels[i]);
    free(set->labels);
    free(set->names);
    free(set->recs);
    free(set->sides);
    free(set);
}

size_t rz_record_set_count(const rz_record_set *set)
{
    return set ? set->n : 0;
}

const rz_match_record *rz_record_set_get(const rz_record_set *set, size_t i)
{
    return set && i < set->n ? &set->recs[i] : NULL;
}

static const char *label(const rz_record_set *set, size_t i, int k)
{
    return set && set->labels && i < set->n ? set->labels[3 * i + (size_t)k] : NULL;
}

const char *rz_record_set_source(const rz_record_set *set, size_t i)
{
    return label(set, i, 0);
}

const char *rz_record_set_source_id(const rz_record_set *set, size_t i)
{
    return label(set, i, 1);
}

const char *rz_record_set_written(const rz_record_set *set, size_t i)
{
    return label(set, i, 2);
}

size_t rz__set_find(const rz_record_set *set, int64_t id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->recs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->n && set->recs[lo].id == id ? lo : SIZE_MAX;
}

/* ---- COPY text rows ----------------------------------------------------------------------- */

/* Splits a COPY text-format row in place into fields, unescaping them; "\N" becomes NULL. */
static size_t split_row(char *row, size_t len, char **fields, size_t max)
{
    if (len > 0 && row[len - 1] == '\n')
        len--;
    row[len] = '\0';
    size_t n = 0;
    char *p = row, *end = row + len;
    while (n < max) {
        char *start = p, *w = p;
        while (p < end && *p != '\t') {
            if (*p == '\\' && p + 1 < end) {
                char c = p[1];
                *w++ = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'N' ? '\x01' : c;
                p += 2;
            } else {
                *w++ = *p++;
            }
        }
        bool last = p >= end;
        *w = '\0';
        fields[n++] = (w - start == 1 && start[0] == '\x01') ? NULL : start;
        if (last)
            break;
        p++;
    }
    return n;
}

static bool parse_i64(const char *s, int64_t *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != '\0')
        return false;
    *out = v;
    return true;
}

static bool parse_i32(const char *s, int32_t *out)
{
    int64_t v;
    if (!parse_i64(s, &v) || v < INT32_MIN || v > INT32_MAX)
        return false;
    *out = (int32_t)v;
    return true;
}

/* A date range from two day-number fields; precision RZ_PREC_NONE when either is NULL. */
static void parse_range(const char *from, const char *to, rz_date_precision precision,
                        rz_date_range *out)
{
    out->precision = RZ_PREC_NONE;
    out->dm_ambiguous = false;
    if (parse_i32(from, &out->from) && parse_i32(to, &out->to) && out->from <= out->to)
        out->precision = precision;
}

typedef struct loader {
    rz_db *db;
    const rz_name_ctx *names;
    rz_record_set *set;
    rz_blocker *blocker;
    bool labels;
    bool own_keys; /* keys made here from the names and identifiers read, not read back */
    rz_status status;
    struct name_item *pending; /* name rows read, not yet prepared (NAME_BATCH) */
    size_t npending;
    rz_error *err;
    size_t line;
} loader;

static int fail(loader *ld, rz_status s, const char *what)
{
    if (ld->status == RZ_OK) {
        ld->status = s;
        if (ld->err && ld->err->status == RZ_OK)
            rz_error_set(ld->err, s, "reading records: %s (row %zu)", what, ld->line);
    }
    return 1;
}

static rz_status grow_records(rz_record_set *set, rz_error *err)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    rz_match_record *recs = realloc(set->recs, cap * sizeof *recs);
    if (recs == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for %zu records", cap);
    set->recs = recs;
    uint8_t *sides = realloc(set->sides, cap);
    if (sides == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for %zu records", cap);
    set->sides = sides;
    set->cap = cap;
    return RZ_OK;
}

static rz_status grow_places(rz_record_set *set, rz_error *err)
{
    size_t cap = set->capplaces ? set->capplaces * 2 : 1024;
    rz__place_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for places");
    for (size_t i = 0; i < set->capplaces; i++) {
        if (set->places[i].hash == 0)
            continue;
        size_t j = set->places[i].hash & (cap - 1);
        while (slots[j].hash != 0)
            j = (j + 1) & (cap - 1);
        slots[j] = set->places[i];
    }
    free(set->places);
    set->places = slots;
    set->capplaces = cap;
    return RZ_OK;
}

/* The prepared place of `text` (NULL when the text is NULL, blank or unreadable: unknown). */
static rz_status intern_place(loader *ld, const char *text, const rz_place **out)
{
    *out = NULL;
    if (text == NULL || text[0] == '\0')
        return RZ_OK;
    rz_record_set *set = ld->set;
    if ((set->nplaces + 1) * 2 > set->capplaces) {
        rz_status s = grow_places(set, ld->err);
        if (s != RZ_OK)
            return s;
    }
    size_t len = strlen(text);
    uint64_t h = XXH3_64bits(text, len);
    h = h ? h : 1;
    size_t i = h & (set->capplaces - 1);
    while (set->places[i].hash != 0) {
        if (set->places[i].hash == h && strcmp(set->places[i].text, text) == 0) {
            *out = set->places[i].place->key[0] ? set->places[i].place : NULL;
            return RZ_OK;
        }
        i = (i + 1) & (set->capplaces - 1);
    }
    rz_place *place = malloc(sizeof *place);
    char *copy = strdup(text);
    if (place == NULL || copy == NULL) {
        free(place);
        free(copy);
        return rz_error_set(ld->err, RZ_ENOMEM, "out of memory for places");
    }
    rz_error e;
    rz_error_clear(&e);
    if (rz_place_prepare(ld->names, text, place, &e) != RZ_OK)
        place->key[0] = '\0'; /* an unreadable place is unknown, not a failure */
    set->places[i] = (rz__place_slot){h, copy, place};
    set->nplaces++;
    *out = place->key[0] ? place : NULL;
    return RZ_OK;
}

/* id, side, source_id, kind, sex, birth_from, birth_to, birth_precision, dm_ambiguous,
 * birth_place, last_seen_from, last_seen_to, found_from, found_to, event_place */
static int person_row(const char *row, size_t len, void *user)
{
    loader *ld = user;
    ld->line++;
    char buf[8192];
    if (len >= sizeof buf)
        return fail(ld, RZ_ETOOLONG, "person row too long");
    memcpy(buf, row, len);
    char *f[COPY_FIELDS_MAX];
    if (split_row(buf, len, f, COPY_FIELDS_MAX) != 15)
        return fail(ld, RZ_EPARSE, "person row with a wrong number of columns");
    rz_record_set *set = ld->set;
    if (set->n == set->cap && grow_records(set, ld->err) != RZ_OK)
        return fail(ld, RZ_ENOMEM, "out of memory");
    rz_match_record *r = &set->recs[set->n];
    rz_match_record_init(r);
    int64_t side;
    if (!parse_i64(f[0], &r->id) || !parse_i64(f[1], &side) || !parse_i32(f[2], &r->source) ||
        rz_kind_parse(f[3], &r->kind) != RZ_OK)
        return fail(ld, RZ_EPARSE, "bad person id, side, source or kind");
    r->sex = f[4] == NULL ? RZ_SEX_UNKNOWN : f[4][0] == 'm' ? RZ_SEX_MALE : RZ_SEX_FEMALE;
    rz_date_precision prec = RZ_PREC_NONE;
    if (f[7])
        rz_date_precision_parse(f[7], &prec);
    parse_range(f[5], f[6], prec, &r->birth);
    r->birth.dm_ambiguous = f[8] && f[8][0] == 't';
    parse_range(f[10], f[11], RZ_PREC_RANGE, &r->last_seen);
    parse_range(f[12], f[13], RZ_PREC_RANGE, &r->found);
    if (intern_place(ld, f[9], &r->birth_place) != RZ_OK ||
        intern_place(ld, f[14], &r->event_place) != RZ_OK)
        return fail(ld, RZ_ENOMEM, "out of memory");
    set->sides[set->n] = (uint8_t)side;
    set->n++;
    return 0;
}

static rz_status keep_name(rz_record_set *set, rz_name *name, rz_error *err)
{
    if (set->nnames == set->capnames) {
        size_t cap = set->capnames ? set->capnames * 2 : 1024;
        rz_name **names = realloc(set->names, cap * sizeof *names);
        if (names == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for names");
        set->names = names;
        set->capnames = cap;
    }
    set->names[set->nnames++] = name;
    return RZ_OK;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/*
 * The common start of a row about one record (its id in field 0): copies the row into `buf`,
 * splits it into `f`, which must give `nfields` fields, and finds the record. Returns 1 with
 * its index in *index, 0 when the record is not in the set (the row is skipped), -1 when the
 * row is bad (`what` names it in the error; the read stops).
 */
static int record_row(loader *ld, const char *row, size_t len, char *buf, size_t cap, char **f,
                      size_t nfields, const char *what, size_t *index)
{
    ld->line++;
    char msg[64];
    if (len >= cap) {
        snprintf(msg, sizeof msg, "%s too long", what);
        fail(ld, RZ_ETOOLONG, msg);
        return -1;
    }
    memcpy(buf, row, len);
    int64_t id;
    if (split_row(buf, len, f, COPY_FIELDS_MAX) != nfields || !parse_i64(f[0], &id)) {
        snprintf(msg, sizeof msg, "bad %s", what);
        fail(ld, RZ_EPARSE, msg);
        return -1;
    }
    *index = rz__set_find(ld->set, id);
    return *index == SIZE_MAX ? 0 : 1;
}

/* The keys of one name, as the loader stores them in person_key (rz__name_copy): every
 * (kind, key) of rz_name_keys() of at most KEY_CODE_POINTS_MAX code points. A record's keys
 * are the union over its names (the blocker drops repeats), and not those of the swapped
 * reading (it has no person_key rows either). */
#define KEY_CODE_POINTS_MAX 200

typedef struct key_sink {
    loader *ld;
    size_t record;
} key_sink;

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void name_key(const char *kind, const char *key, void *user)
{
    key_sink *k = user;
    if (k->ld->status != RZ_OK || key[0] == '\0' || code_points(key) > KEY_CODE_POINTS_MAX)
        return;
    rz_status s = rz_blocker_add_key(k->ld->blocker, k->record, kind, key, true, k->ld->err);
    if (s != RZ_OK)
        fail(k->ld, s, "blocking key");
}

static int name_keys(loader *ld, size_t record, const rz_name *name)
{
    key_sink k = {ld, record};
    rz_name_keys(name, name_key, &k);
    return ld->status != RZ_OK;
}

/*
 * Names are prepared in batches of NAME_BATCH rows on two threads (the preparation only reads
 * the names context and calls thread-safe ICU functions), then taken into their records in
 * the order the rows came, as one thread would: the same names, keys and swapped readings.
 */
#define NAME_BATCH   8192
#define NAME_ROW_MAX 8192

typedef struct name_item {
    size_t record;
    char *row;                /* the row, split in place; owned */
    char *f[COPY_FIELDS_MAX]; /* person_id, surname, given, patronymic, written */
    rz_name *name, *swapped;  /* prepared by a thread; NULL when unreadable / not swapped */
} name_item;

typedef struct name_batch {
    const rz_name_ctx *names;
    name_item *items;
    size_t n;
} name_batch;

static void prepare_item(const rz_name_ctx *names, name_item *it)
{
    char **f = it->f;
    rz_error e;
    rz_error_clear(&e);
    it->name = it->swapped = NULL;
    rz_status s = (f[1] || f[2] || f[3])
                      ? rz_name_from_parts(names, f[1], f[2], f[3], &it->name, &e)
                      : rz_name_parse(names, f[4] ? f[4] : "", &it->name, &e);
    if (s != RZ_OK) {
        it->name = NULL;
        return;
    }
    it->swapped = rz_name_columns_swapped(names, it->name, f[1], f[2], f[3]);
}

static void *prepare_items(void *arg)
{
    name_batch *b = arg;
    for (size_t i = 0; i < b->n; i++)
        prepare_item(b->names, &b->items[i]);
    return NULL;
}

/* Keeps `name` as the record's next name; frees it when it cannot be kept. */
static int take_name(loader *ld, rz_match_record *r, rz_name *name)
{
    if (keep_name(ld->set, name, ld->err) != RZ_OK) {
        rz_name_free(name);
        return fail(ld, RZ_ENOMEM, "out of memory");
    }
    r->names[r->nnames++] = name;
    return 0;
}

/* Takes one prepared row into its record (labels, keys, the name and its swapped reading). */
static int attach_item(loader *ld, name_item *it)
{
    size_t i = it->record;
    rz_match_record *r = &ld->set->recs[i];
    rz_name *name = it->name, *swapped = it->swapped;
    it->name = it->swapped = NULL;
    int rc = 0;
    if (ld->labels && ld->set->labels[3 * i + 2] == NULL) {
        ld->set->labels[3 * i + 2] = dup_or_empty(it->f[4]);
        if (ld->set->labels[3 * i + 2] == NULL)
            rc = fail(ld, RZ_ENOMEM, "out of memory");
    }
    if (rc != 0 || (r->nnames == RZ_RECORD_NAMES_MAX && !ld->own_keys))
        goto drop;
    if (name == NULL) {
        ld->set->names_skipped++; /* a name the engine cannot read weighs as missing */
        goto drop;
    }
    if (ld->own_keys && name_keys(ld, i, name) != 0) {
        rc = 1;
        goto drop;
    }
    if (r->nnames == RZ_RECORD_NAMES_MAX) /* read for its keys only */
        goto drop;
    rc = take_name(ld, r, name);
    name = NULL;
    if (rc == 0 && swapped != NULL && r->nnames < RZ_RECORD_NAMES_MAX) {
        rc = take_name(ld, r, swapped);
        swapped = NULL;
    }
drop:
    rz_name_free(name);
    rz_name_free(swapped);
    return rc;
}

/* Prepares the pending rows (two threads when there are enough) and takes them in order. */
static int flush_names(loader *ld)
{
    size_t n = ld->npending, half = n >= 64 ? n / 2 : n;
    int rc = ld->status != RZ_OK; /* after a failure the rows are only freed */
    if (rc == 0) {
        name_batch first = {ld->names, ld->pending, half};
        name_batch second = {ld->names, ld->pending + half, n - half};
        rz__run_halves(prepare_items, &first, second.n > 0 ? &second : NULL);
    }
    for (size_t k = 0; k < n; k++) {
        if (rc == 0)
            rc = attach_item(ld, &ld->pending[k]);
        rz_name_free(ld->pending[k].name);
        rz_name_free(ld->pending[k].swapped);
        free(ld->pending[k].row);
    }
    ld->npending = 0;
    return rc;
}

/* person_id, surname, given, patronymic, written */
static int name_row(const char *row, size_t len, void *user)
{
    loader *ld = user;
    if (len >= NAME_ROW_MAX) {
        char buf[NAME_ROW_MAX];
        char *f[COPY_FIELDS_MAX];
        size_t i;
        return record_row(ld, row, len, buf, sizeof buf, f, 5, "name row", &i) < 0;
    }
    name_item *it = &ld->pending[ld->npending];
    if ((it->row = malloc(len + 1)) == NULL)
        return fail(ld, RZ_ENOMEM, "out of memory");
    it->name = it->swapped = NULL;
    int found = record_row(ld, row, len, it->row, len + 1, it->f, 5, "name row", &it->record);
    if (found <= 0) {
        free(it->row);
        return found < 0;
    }
    return ++ld->npending == NAME_BATCH ? flush_names(ld) : 0;
}

/* person_id, kind, value, valid */
static int identifier_row(const char *row, size_t len, void *user)
{
    loader *ld = user;
    char buf[1024];
    char *f[COPY_FIELDS_MAX];
    size_t i;
    int found = record_row(ld, row, len, buf, sizeof buf, f, 4, "identifier row", &i);
    if (found >= 0 && !f[2])
        return fail(ld, RZ_EPARSE, "bad identifier row");
    if (found <= 0)
        return found < 0;
    rz_match_record *r = &ld->set->recs[i];
    rz_record_set *set = ld->set;
    size_t vl = strlen(f[2]);
    if (ld->own_keys && f[1] != NULL) { /* as SQL_KEYS: kind || ':' || value */
        char key[1024];
        snprintf(key, sizeof key, "%s:%s", f[1], f[2]);
        rz_status s = rz_blocker_add_key(ld->blocker, i, "id", key, true, ld->err);
        if (s != RZ_OK)
            return fail(ld, s, "blocking key");
    }
    if (r->nids == RZ_RECORD_IDS_MAX || vl >= RZ_ID_VALUE_MAX)
        return 0;
    if (set->nidents == set->capidents) {
        size_t cap = set->capidents ? set->capidents * 2 : 256;
        rz_identifier *ids = realloc(set->idents, cap * sizeof *ids);
        if (ids == NULL)
            return fail(ld, RZ_ENOMEM, "out of memory");
        set->idents = ids;
        set->capidents = cap;
    }
    /* rows come ordered by person id, as the records are: record by record, in order */
    rz_identifier *x = &set->idents[set->nidents++];
    if (rz_id_kind_parse(f[1], &x->kind) != RZ_OK)
        x->kind = RZ_ID_OTHER;
    memcpy(x->value, f[2], vl + 1);
    x->valid = f[3] == NULL ? -1 : f[3][0] == 't' ? 1 : 0;
    r->nids++;
    return 0;
}

/* person_id, kind, key, in_partition */
static int key_row(const char *row, size_t len, void *user)
{
    loader *ld = user;
    char buf[1024];
    char *f[COPY_FIELDS_MAX];
    size_t i;
    int found = record_row(ld, row, len, buf, sizeof buf, f, 4, "key row", &i);
    if (found >= 0 && (!f[1] || !f[2]))
        return fail(ld, RZ_EPARSE, "bad key row");
    if (found <= 0)
        return found < 0;
    rz_status s = rz_blocker_add_key(ld->blocker, i, f[1], f[2], f[3] && f[3][0] == 't', ld->err);
    return s == RZ_OK ? 0 : fail(ld, s, "blocking key");
}

/* source name, source record id (labels for explain and exports) */
static int label_row(const char *row, size_t len, void *user)
{
    loader *ld = user;
    char buf[1024];
    char *f[COPY_FIELDS_MAX];
    size_t i;
    int found = record_row(ld, row, len, buf, sizeof buf, f, 3, "label row", &i);
    if (found <= 0)
        return found < 0;
    ld->set->labels[3 * i] = dup_or_empty(f[1]);
    ld->set->labels[3 * i + 1] = dup_or_empty(f[2]);
    if (!ld->set->labels[3 * i] || !ld->set->labels[3 * i + 1])
        return fail(ld, RZ_ENOMEM, "out of memory");
    return 0;
}

static const char SQL_PERSONS[] =
    "COPY (SELECT p.id, t.side, p.source_id, p.kind, p.sex,"
    " p.birth_from - DATE '1970-01-01', p.birth_to - DATE '1970-01-01', p.birth_precision,"
    " p.birth_dm_ambiguous, p.birth_place,"
    " p.last_seen_from - DATE '1970-01-01', p.last_seen_to - DATE '1970-01-01',"
    " p.found_from - DATE '1970-01-01', p.found_to - DATE '1970-01-01',"
    " coalesce(p.found_place, p.last_seen_place)"
    " FROM rz_task_person t JOIN rozshuk.person p ON p.id = t.id ORDER BY p.id) TO STDOUT";

/* The written form is read for the labels, and otherwise only for names stored without parts
 * (it is then parsed): most rows leave it out. */
#define SQL_NAMES_OF(written)                                                                      \
    "COPY (SELECT n.person_id, n.surname, n.given, n.patronymic, " written                         \
    " FROM rz_task_person t JOIN rozshuk.person_name n ON n.person_id = t.id"                      \
    " ORDER BY n.person_id, (n.role = 'primary') DESC, n.id) TO STDOUT"
static const char SQL_NAMES_LABELS[] = SQL_NAMES_OF("n.written");
static const char SQL_NAMES[] = SQL_NAMES_OF(
    "CASE WHEN n.surname IS NULL AND n.given IS NULL AND n.patronymic IS NULL THEN n.written END");

static const char SQL_IDS[] =
    "COPY (SELECT i.person_id, i.kind, i.value, i.valid"
    " FROM rz_task_person t JOIN rozshuk.identifier i ON i.person_id = t.id"
    " ORDER BY i.person_id, i.kind, i.value) TO STDOUT";

/* The keys of a partitioned task, with the partition of each: a stable hash of its text on
 * the server, modulo the partitions. */
static const char SQL_KEYS[] =
    "COPY (SELECT k.person_id, k.kind, k.key,"
    " (hashtext(k.key) & 2147483647) % q.partitions = q.task_no"
    " FROM rz_task_param q, rz_task_person t JOIN rozshuk.person_key k ON k.person_id = t.id"
    " WHERE k.kind = ANY (q.all_kinds)"
    " UNION ALL"
    " SELECT i.person_id, 'id', i.kind || ':' || i.value,"
    " (hashtext(i.kind || ':' || i.value) & 2147483647) % q.partitions = q.task_no"
    " FROM rz_task_param q, rz_task_person t JOIN rozshuk.identifier i ON i.person_id = t.id"
    " WHERE q.use_id) TO STDOUT";

static const char SQL_LABELS[] =
    "COPY (SELECT p.id, s.name, p.source_record_id FROM rz_task_person t"
    " JOIN rozshuk.person p ON p.id = t.id JOIN rozshuk.source s ON s.id = p.source_id)"
    " TO STDOUT";

static rz_status copy(loader *ld, const char *sql, rz_copy_row_fn fn)
{
    ld->line = 0;
    rz_status s = rz_db_copy_out(ld->db, sql, fn, ld, ld->err);
    if (ld->status != RZ_OK)
        return ld->status;
    return s;
}

rz_status rz__set_load(rz_db *db, const rz_name_ctx *names, rz_record_set *set, rz_blocker *blocker,
                       bool one_partition, bool labels, rz_error *err)
{
    /* One partition: every key is in it, so the keys are made here from the names and
     * identifiers read anyway instead of read back from person_key (6 million rows for a
     * million records). A partitioned task reads them: the server chose its records by them. */
    loader ld = {.db = db,
                 .names = names,
                 .set = set,
                 .blocker = blocker,
                 .labels = labels,
                 .own_keys = blocker != NULL && one_partition,
                 .status = RZ_OK,
                 .err = err};
    rz_status s = copy(&ld, SQL_PERSONS, person_row);
    if (s == RZ_OK && labels) {
        set->labels = calloc(3 * (set->n ? set->n : 1), sizeof *set->labels);
        if (set->labels == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for labels");
        s = copy(&ld, SQL_LABELS, label_row);
    }
    if (s == RZ_OK && (ld.pending = malloc(NAME_BATCH * sizeof *ld.pending)) == NULL)
        s = rz_error_set(err, RZ_ENOMEM, "out of memory for names");
    if (s == RZ_OK)
        s = copy(&ld, labels ? SQL_NAMES_LABELS : SQL_NAMES, name_row);
    if (ld.pending != NULL) { /* the last rows; or, after a failure, only freed */
        if (s != RZ_OK)
            ld.status = s;
        if (flush_names(&ld) != 0 && s == RZ_OK)
            s = ld.status;
        free(ld.pending);
    }
    if (s == RZ_OK)
        s = copy(&ld, SQL_IDS, identifier_row);
    for (size_t i = 0, at = 0; s == RZ_OK && i < set->n; i++) {
        set->recs[i].ids = set->recs[i].nids ? set->idents + at : NULL;
        at += set->recs[i].nids;
    }
    if (s == RZ_OK && blocker && !ld.own_keys)
        s = copy(&ld, SQL_KEYS, key_row);
    return s;
}

/* ---- choosing the records ----------------------------------------------------------------- */

rz_status rz__task_tables(rz_db *db, int64_t job_id, int partitions, int task_no,
                          const char *kinds_array, const char *all_kinds_array, bool use_id,
                          rz_error *err)
{
    rz_status s = rz_db_exec(db,
                             "CREATE TEMP TABLE IF NOT EXISTS rz_task_person"
                             " (id bigint PRIMARY KEY, side smallint NOT NULL) ON COMMIT DROP",
                             0, NULL, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(db,
                       "CREATE TEMP TABLE IF NOT EXISTS rz_task_param (job_id bigint,"
                       " partitions integer, task_no integer, kinds text[], all_kinds text[],"
                       " use_id boolean)"
                       " ON COMMIT DROP",
                       0, NULL, NULL, err);
    if (s == RZ_OK)
        s = rz_db_exec(db, "TRUNCATE rz_task_person, rz_task_param", 0, NULL, NULL, err);
    char job[24], parts[16], task[16];
    snprintf(job, sizeof job, "%lld", (long long)job_id);
    snprintf(parts, sizeof parts, "%d", partitions);
    snprintf(task, sizeof task, "%d", task_no);
    const char *params[] = {job,         parts,           task,
                            kinds_array, all_kinds_array, use_id ? "true" : "false"};
    if (s == RZ_OK)
        s = rz_db_exec(db, "INSERT INTO rz_task_param VALUES ($1, $2, $3, $4, $5, $6)", 6, params,
                       NULL, err);
    return s;
}

static const char *array_or_null(const char *a)
{
    return a && a[0] ? a : NULL;
}

static const char SQL_SELECT[] =
    "INSERT INTO rz_task_person (id, side)"
    " SELECT p.id, (CASE WHEN a THEN 1 ELSE 0 END) | (CASE WHEN b THEN 2 ELSE 0 END)"
    " FROM (SELECT p.id,"
    "   (($1::text[] IS NULL OR s.name = ANY ($1::text[]))"
    "    AND ($2::text[] IS NULL OR p.kind = ANY ($2::text[]))"
    "    AND ($3::bigint[] IS NULL OR p.batch_id = ANY ($3::bigint[]))) AS a,"
    "   ($7 AND ($4::text[] IS NULL OR s.name = ANY ($4::text[]))"
    "    AND ($5::text[] IS NULL OR p.kind = ANY ($5::text[]))"
    "    AND ($6::bigint[] IS NULL OR p.batch_id = ANY ($6::bigint[]))) AS b"
    "  FROM rozshuk.person p JOIN rozshuk.source s ON s.id = p.source_id) p"
    " WHERE (a OR b) AND ($8 OR EXISTS (SELECT 1 FROM rozshuk.person_key k, rz_task_param q"
    "   WHERE k.person_id = p.id AND k.kind = ANY (q.kinds)"
    "   AND (hashtext(k.key) & 2147483647) % q.partitions = q.task_no)"
    "  OR EXISTS (SELECT 1 FROM rozshuk.identifier i, rz_task_param q"
    "   WHERE q.use_id AND i.person_id = p.id"
    "   AND (hashtext(i.kind || ':' || i.value) & 2147483647) % q.partitions = q.task_no))";

rz_status rz__select_persons(rz_db *db, const rz_selection *a, const rz_selection *b, bool all,
                             size_t *n, rz_error *err)
{
    const char *params[8] = {
        array_or_null(a->sources),
        array_or_null(a->kinds),
        array_or_null(a->batches),
        b ? array_or_null(b->sources) : NULL,
        b ? array_or_null(b->kinds) : NULL,
        b ? array_or_null(b->batches) : NULL,
        b ? "true" : "false",
        all ? "true" : "false",
    };
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db, SQL_SELECT, 8, params, &res, err);
    if (s == RZ_OK)
        *n = rz_result_affected(res);
    rz_result_free(res);
    return s;
}

rz_status rz__count_sides(rz_db *db, const rz_selection *a, const rz_selection *b, size_t *na,
                          size_t *nb, rz_error *err)
{
    const char *params[7] = {
        array_or_null(a->sources),
        array_or_null(a->kinds),
        array_or_null(a->batches),
        b ? array_or_null(b->sources) : NULL,
        b ? array_or_null(b->kinds) : NULL,
        b ? array_or_null(b->batches) : NULL,
        b ? "true" : "false",
    };
    rz_result *res = NULL;
    rz_status s = rz_db_exec(
        db,
        "SELECT count(*) FILTER (WHERE ($1::text[] IS NULL OR s.name = ANY ($1::text[]))"
        "    AND ($2::text[] IS NULL OR p.kind = ANY ($2::text[]))"
        "    AND ($3::bigint[] IS NULL OR p.batch_id = ANY ($3::bigint[]))),"
        " count(*) FILTER (WHERE $7 AND ($4::text[] IS NULL OR s.name = ANY ($4::text[]))"
        "    AND ($5::text[] IS NULL OR p.kind = ANY ($5::text[]))"
        "    AND ($6::bigint[] IS NULL OR p.batch_id = ANY ($6::bigint[])))"
        " FROM rozshuk.person p JOIN rozshuk.source s ON s.id = p.source_id",
        7, params, &res, err);
    if (s == RZ_OK) {
        int64_t x = 0, y = 0;
        parse_i64(rz_result_value(res, 0, 0), &x);
        parse_i64(rz_result_value(res, 0, 1), &y);
        *na = (size_t)x;
        *nb = (size_t)y;
    }
    rz_result_free(res);
    return s;
}

rz_status rz__select_ref(rz_db *db, const char *ref, rz_error *err)
{
    const char *colon = ref ? strchr(ref, ':') : NULL;
    if (colon == NULL || colon == ref || colon[1] == '\0' || strlen(ref) > 300)
        return rz_error_set(err, RZ_EINVAL,
                            "record '%s': name a record as SOURCE:SOURCE_RECORD_ID (e.g. npu:1042)",
                            ref ? ref : "");
    char source[301];
    memcpy(source, ref, (size_t)(colon - ref));
    source[colon - ref] = '\0';
    const char *params[] = {source, colon + 1};
    rz_result *res = NULL;
    rz_status s = rz_db_exec(db,
                             "INSERT INTO rz_task_person (id, side) SELECT p.id, 1"
                             " FROM rozshuk.person p JOIN rozshuk.source s ON s.id = p.source_id"
                             " WHERE s.name = $1 AND p.source_record_id = $2"
                             " ON CONFLICT DO NOTHING",
                             2, params, &res, err);
    if (s == RZ_OK && rz_result_affected(res) == 0)
        s = rz_error_set(err, RZ_ENOTFOUND, "no record '%s' (source '%s', record id '%s')", ref,
                         source, colon + 1);
    rz_result_free(res);
    return s;
}

/* ---- term frequencies --------------------------------------------------------------------- */

typedef struct tf_loader {
    rz_term_freq *tf;
    rz_status status;
    rz_error *err;
} tf_loader;

static int term_row(const char *row, size_t len, void *user)
{
    tf_loader *tl = user;
    char buf[1024];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, row, len);
    char *f[COPY_FIELDS_MAX];
    int64_t freq;
    if (split_row(buf, len, f, COPY_FIELDS_MAX) != 3 || !f[0] || !f[1] || !parse_i64(f[2], &freq))
        return 0;
    rz_match_field field = strcmp(f[0], "surname") == 0 ? RZ_MF_SURNAME : RZ_MF_GIVEN;
    tl->status = rz_term_freq_add(tl->tf, field, f[1], (double)freq, tl->err);
    return tl->status != RZ_OK;
}

rz_status rz__term_freq_load(rz_db *db, int64_t job_id, double total, rz_term_freq *tf,
                             rz_error *err)
{
    (void)job_id; /* the job is in rz_task_param: COPY takes no parameters */
    tf_loader tl = {tf, RZ_OK, err};
    rz_status s = rz_db_copy_out(db,
                                 "COPY (SELECT field, term, freq FROM rozshuk.job_term"
                                 " WHERE job_id = (SELECT job_id FROM rz_task_param)) TO STDOUT",
                                 term_row, &tl, err);
    rz_term_freq_set_total(tf, RZ_MF_SURNAME, total);
    rz_term_freq_set_total(tf, RZ_MF_GIVEN, total);
    return tl.status != RZ_OK ? tl.status : s;
}
