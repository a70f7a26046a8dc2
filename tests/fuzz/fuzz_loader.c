/*
 * fuzz_loader.c: the whole loader of engine/load/ (reader, header detection, every field's
 * parser, the names engine, the COPY text it stages) on an arbitrary file, with the database
 * calls replaced (linker --wrap) by checks of what would be sent: every COPY line has its
 * table's columns, every value is valid UTF-8 without NUL once unescaped, the values fit the
 * tables' CHECK rules (sql/0020), a row's raw text is valid JSON (jsonb), and every row read
 * is either staged or rejected. Any of these failing would make PostgreSQL refuse the chunk,
 * so the whole load, or lose a row. The first byte picks the format, the kind and the mapping
 * (none: detection from the header, or one of MAPPINGS).
 */
#include "fuzz_util.h"
#include "internal.h"
#include "store/batch.h"

#include <jansson.h>
#include <stdio.h>
#include <unistd.h>

static uint64_t staged, rejected;

rz_status __wrap_rz__batch_begin(rz_db *db, const char *source, const char *kind, const char *file,
                                 const char *format, const char *mapping_json, int64_t *batch_id,
                                 bool *source_had_records, rz_error *err);
rz_status __wrap_rz__batch_begin(rz_db *db, const char *source, const char *kind, const char *file,
                                 const char *format, const char *mapping_json, int64_t *batch_id,
                                 bool *source_had_records, rz_error *err)
{
    (void)db, (void)source, (void)kind, (void)file, (void)format, (void)mapping_json, (void)err;
    *batch_id = 1;
    *source_had_records = false;
    return RZ_OK;
}

/* COPY text format: unescapes one field in place; false on an escape the loader must not
 * write (octal or hex escapes could make any byte, NUL too). */
static bool unescape(char *s, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < *len; i++) {
        if (s[i] != '\\') {
            s[o++] = s[i];
            continue;
        }
        if (++i == *len)
            return false;
        static const char from[] = "\\nrtbfv", to[] = "\\\n\r\t\b\f\v";
        const char *e = s[i] ? strchr(from, s[i]) : NULL;
        if (e == NULL)
            return false;
        s[o++] = to[e - from];
    }
    *len = o;
    return true;
}

static size_t chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

struct table {
    const char *name;
    size_t ncols;
    size_t max[18]; /* characters of each column, 0 for no limit */
    size_t min1[18];
};

static const struct table TABLES[] = {
    {"stage_person",
     18,
     {0, 200, 0, 0, 0, 0, 0, 500, 0, 0, 500, 0, 0, 500, 10000, 0, 0, 10000},
     {0, 1}},
    {"stage_name", 13, {0, 0, 1000, 300, 300, 300}, {0, 0, 1}},
    {"stage_key", 4, {0, 32, 200}, {0, 1, 1}},
    {"stage_ident", 5, {0}, {0}},
    {"stage_warning", 4, {0}, {0}},
    {"batch_reject", 5, {0}, {0}},
};

static void check_line(const struct table *t, char *line, size_t len)
{
    size_t col = 0;
    char *p = line, *end = line + len;
    for (;;) {
        char *tab = memchr(p, '\t', (size_t)(end - p));
        char *stop = tab ? tab : end;
        size_t n = (size_t)(stop - p);
        if (col >= t->ncols)
            abort(); /* more columns than the table has */
        if (!(n == 2 && p[0] == '\\' && p[1] == 'N')) {
            if (!unescape(p, &n))
                abort(); /* an escape COPY would turn into an arbitrary byte */
            if (rz__utf8_check(p, n) != n || memchr(p, '\0', n) != NULL)
                abort(); /* PostgreSQL refuses invalid UTF-8 and NUL */
            if (t->max[col] && chars(p, n) > t->max[col])
                abort(); /* over the column's CHECK */
            if (t->min1[col] && n == 0)
                abort(); /* an empty value where the CHECK wants one character */
            if (strcmp(t->name, "stage_person") == 0 && col == 15) {
                json_error_t e;
                json_t *j = json_loadb(p, n, JSON_DECODE_ANY, &e);
                if (j == NULL)
                    abort(); /* raw is jsonb */
                json_decref(j);
            }
        }
        col++;
        if (tab == NULL)
            break;
        p = tab + 1;
    }
    if (col != t->ncols)
        abort(); /* fewer columns than the table has */
}

rz_status __wrap_rz__batch_copy(rz_db *db, const char *table, const char *data, size_t len,
                                rz_error *err);
rz_status __wrap_rz__batch_copy(rz_db *db, const char *table, const char *data, size_t len,
                                rz_error *err)
{
    (void)db, (void)err;
    const struct table *t = NULL;
    for (size_t i = 0; i < sizeof TABLES / sizeof *TABLES; i++)
        if (strcmp(TABLES[i].name, table) == 0)
            t = &TABLES[i];
    if (t == NULL || len == 0 || data[len - 1] != '\n')
        abort();
    char *copy = malloc(len);
    if (copy == NULL)
        abort();
    memcpy(copy, data, len);
    for (char *p = copy, *end = copy + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        check_line(t, p, (size_t)(nl - p));
        if (strcmp(table, "stage_person") == 0)
            staged++;
        else if (strcmp(table, "batch_reject") == 0)
            rejected++;
        p = nl + 1;
    }
    free(copy);
    return RZ_OK;
}

rz_status __wrap_rz__batch_settle_send(rz_db *db, int64_t batch_id, const char *kind,
                                       bool source_had_records, rz_error *err);
rz_status __wrap_rz__batch_settle_send(rz_db *db, int64_t batch_id, const char *kind,
                                       bool source_had_records, rz_error *err)
{
    (void)db, (void)batch_id, (void)kind, (void)source_had_records, (void)err;
    return RZ_OK;
}

rz_status __wrap_rz__batch_settle_end(rz_db *db, rz__batch_counts *counts, rz_error *err);
rz_status __wrap_rz__batch_settle_end(rz_db *db, rz__batch_counts *counts, rz_error *err)
{
    (void)db, (void)counts, (void)err;
    return RZ_OK;
}

rz_status __wrap_rz__batch_finish(rz_db *db, int64_t batch_id, rz__batch_counts *counts,
                                  rz_error *err);
rz_status __wrap_rz__batch_finish(rz_db *db, int64_t batch_id, rz__batch_counts *counts,
                                  rz_error *err)
{
    (void)db, (void)batch_id, (void)counts, (void)err;
    return RZ_OK;
}

void __wrap_rz_db_rollback(rz_db *db);
void __wrap_rz_db_rollback(rz_db *db)
{
    (void)db;
}

static rz_name_ctx *ctx;
static rz_mapping *mappings[2];
static char path[64];

/* Mappings that reach what detection does not: a file without a header, columns by position,
 * several columns feeding one field, month-first dates. */
static const char *const MAPPINGS[2] = {
    "{\"header\": false, \"columns\": [\"id\", \"full_name\", \"birth_date\", \"sex\", \"age\", "
    "\"age_date\", \"rnokpp\", \"unzr\", \"passport\", \"description\", \"alias\"]}",
    "{\"date_order\": \"mdy\", \"age_reference\": \"2022-09-14\", \"columns\": {\"a\": "
    "\"surname\", "
    "\"b\": \"given_name\", \"c\": \"patronymic\", \"d\": \"alias\", \"e\": \"alias\", \"f\": "
    "\"description\", \"g\": \"age\", \"h\": \"other_id\", \"i\": \"military_id\"}}"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL) {
        rz_error e;
        if (rz_name_ctx_open(&ctx, &e) != RZ_OK)
            abort();
        snprintf(path, sizeof path, "/tmp/rz-fuzz-loader-%ld", (long)getpid());
        for (size_t i = 0; i < 2; i++)
            if (rz_mapping_parse(MAPPINGS[i], strlen(MAPPINGS[i]), &mappings[i], &e) != RZ_OK)
                abort();
    }
    if (size < 1)
        return 0;
    static const rz_load_format formats[] = {RZ_FORMAT_CSV, RZ_FORMAT_TSV, RZ_FORMAT_JSONL};
    rz_load_opts o;
    rz_load_opts_defaults(&o);
    o.source = "fuzz";
    o.format = formats[data[0] % 3];
    o.kind = (rz_kind)((data[0] / 3) % 4);
    o.mapping = data[0] / 12 % 3 ? mappings[data[0] / 12 % 3 - 1] : NULL;
    o.dates.today = rz_days_from_ymd(2026, 12, 6); /* fixed, so a crash replays */
    FILE *f = fopen(path, "wb");
    if (f == NULL || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1))
        abort();
    fclose(f);
    staged = rejected = 0;
    rz_load_result res;
    rz_error err;
    rz_error_clear(&err);
    rz_status st = rz_load_file(NULL, ctx, path, &o, &res, &err);
    if (st == RZ_OK && staged + rejected != res.read)
        abort(); /* a row neither staged nor rejected */
    return 0;
}
