/*
 * reader.c: CSV through libcsv (strict quoting), TSV (tab-separated, no quoting) and JSON
 * Lines through jansson, read line by line from a buffered file. A row is never longer than
 * RZ_LOAD_ROW_MAX bytes in memory: a longer row is skipped to its end and reported as
 * malformed, so memory stays flat however large or broken the file is.
 */
#include "grow.h"
#include "reader.h"

#include <csv.h>
#include <jansson.h>
#include <nettle/sha2.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK (64u * 1024u)

struct rz__reader {
    FILE *f;
    rz_load_format format;
    char delimiter;
    uint64_t size, offset;
    uint64_t line_no; /* lines read so far */
    bool eof, first_line;

    char block[BLOCK];
    size_t block_len, block_pos;
    struct sha256_ctx sha; /* of every byte read so far */

    rz__buf line; /* the current physical line, without its newline */
    bool line_too_long;

    struct csv_parser csv;
    bool csv_ready;
    bool row_done;

    rz__buf fieldbuf; /* the row's fields, each NUL-terminated, back to back */
    size_t *offsets;  /* start of each field in fieldbuf */
    size_t nfields, capfields;
    bool too_many_fields;
    rz__buf raw; /* the row's text */
    bool raw_too_long;

    rz__row row;
    char **values;
    size_t *lens;
    char **names;
    char *compound;
    rz__buf namebuf;
    char error[256];
};

/* Reads the next physical line into r->line (without "\n"); false at the end of the file. */
static rz_status next_line(rz__reader *r, bool *got, rz_error *err)
{
    r->line.len = 0;
    if (r->line.data)
        r->line.data[0] = '\0';
    r->line_too_long = false;
    *got = false;
    for (;;) {
        if (r->block_pos == r->block_len) {
            if (r->eof)
                break;
            r->block_len = fread(r->block, 1, sizeof r->block, r->f);
            r->block_pos = 0;
            sha256_update(&r->sha, r->block_len, (const uint8_t *)r->block);
            if (r->block_len == 0) {
                if (ferror(r->f))
                    return rz_error_set(err, RZ_EIO, "read error: %s", strerror(errno));
                r->eof = true;
                break;
            }
        }
        const char *start = r->block + r->block_pos;
        size_t avail = r->block_len - r->block_pos;
        const char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        *got = true;
        if (!r->line_too_long) {
            if (r->line.len + take > RZ_LOAD_ROW_MAX)
                r->line_too_long = true;
            else if (!rz__buf_add(&r->line, start, take))
                return rz_error_set(err, RZ_ENOMEM, "out of memory reading a line");
        }
        r->block_pos += take + (nl ? 1 : 0);
        r->offset += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (*got) {
        r->line_no++;
        if (r->first_line) {
            r->first_line = false;
            if (r->line.len >= 3 && memcmp(r->line.data, "\xEF\xBB\xBF", 3) == 0) {
                memmove(r->line.data, r->line.data + 3, r->line.len - 3);
                r->line.len -= 3;
                r->line.data[r->line.len] = '\0';
            }
        }
    }
    if (r->line.data == NULL && !rz__buf_reserve(&r->line, 1))
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading a line");
    return RZ_OK;
}

static void row_reset(rz__reader *r)
{
    r->fieldbuf.len = 0;
    r->nfields = 0;
    r->too_many_fields = false;
    r->raw.len = 0;
    if (r->raw.data)
        r->raw.data[0] = '\0';
    r->raw_too_long = false;
    r->row_done = false;
    r->error[0] = '\0';
}

static bool add_field(rz__reader *r, const char *s, size_t len)
{
    if (r->nfields == RZ_LOAD_COLS_MAX) {
        r->too_many_fields = true;
        return true;
    }
    if (r->nfields == r->capfields) {
        size_t *o = rz__grow(r->offsets, &r->capfields, sizeof *o, 32);
        if (o == NULL)
            return false;
        r->offsets = o;
    }
    r->offsets[r->nfields++] = r->fieldbuf.len;
    return rz__buf_add(&r->fieldbuf, s, len) && rz__buf_addc(&r->fieldbuf, '\0');
}

static void raw_add(rz__reader *r, const char *s, size_t len, bool newline)
{
    if (r->raw_too_long)
        return;
    if (r->raw.len + len + 1 > RZ_LOAD_ROW_MAX) {
        r->raw_too_long = true;
        return;
    }
    if (newline && r->raw.len > 0)
        rz__buf_addc(&r->raw, '\n');
    rz__buf_add(&r->raw, s, len);
}

static void csv_field_cb(void *s, size_t len, void *data)
{
    rz__reader *r = data;
    if (!add_field(r, len ? s : "", len))
        snprintf(r->error, sizeof r->error, "out of memory");
}

static void csv_row_cb(int c, void *data)
{
    (void)c;
    ((rz__reader *)data)->row_done = true;
}

static int csv_is_space(unsigned char c)
{
    return c == ' ' || c == '\r';
}

static int csv_is_term(unsigned char c)
{
    return c == '\n';
}

static rz_status csv_start(rz__reader *r, rz_error *err)
{
    if (r->csv_ready)
        csv_free(&r->csv);
    r->csv_ready = false;
    if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return rz_error_set(err, RZ_ENOMEM, "out of memory starting the CSV parser");
    csv_set_delim(&r->csv, (unsigned char)r->delimiter);
    csv_set_space_func(&r->csv, csv_is_space);
    csv_set_term_func(&r->csv, csv_is_term);
    r->csv_ready = true;
    return RZ_OK;
}

/* The most frequent of , ; and tab outside quotes in the first line: the delimiter. */
static char sniff(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static void finish_row(rz__reader *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        r->values[i] = r->fieldbuf.data + r->offsets[i];
        size_t end = i + 1 < r->nfields ? r->offsets[i + 1] - 1 : r->fieldbuf.len - 1;
        r->lens[i] = end - r->offsets[i];
    }
    r->row.n = r->nfields;
    r->row.values = r->values;
    r->row.lens = r->lens;
    r->row.names = NULL;
    r->row.compound = NULL;
    r->row.raw = r->raw.data ? r->raw.data : "";
    r->row.raw_len = r->raw.len;
    if (r->too_many_fields && r->error[0] == '\0')
        snprintf(r->error, sizeof r->error, "more than %d columns", RZ_LOAD_COLS_MAX);
    if (r->raw_too_long && r->error[0] == '\0')
        snprintf(r->error, sizeof r->error, "row longer than %u bytes (an unclosed quote?)",
                 RZ_LOAD_ROW_MAX);
    r->row.error = r->error[0] ? r->error : NULL;
}

static rz_status ensure_arrays(rz__reader *r, rz_error *err)
{
    if (r->values == NULL) {
        r->values = calloc(RZ_LOAD_COLS_MAX, sizeof *r->values);
        r->lens = calloc(RZ_LOAD_COLS_MAX, sizeof *r->lens);
        r->names = calloc(RZ_LOAD_COLS_MAX, sizeof *r->names);
        r->compound = calloc(RZ_LOAD_COLS_MAX, 1);
        if (!r->values || !r->lens || !r->names || !r->compound)
            return rz_error_set(err, RZ_ENOMEM, "out of memory");
    }
    return RZ_OK;
}

static rz_status next_csv(rz__reader *r, rz_error *err)
{
    row_reset(r);
    bool in_row = false;
    for (;;) {
        bool got;
        rz_status st = next_line(r, &got, err);
        if (st != RZ_OK)
            return st;
        if (!got) {
            if (!r->csv_ready)
                return RZ_ENOTFOUND;
            int rc = csv_fini(&r->csv, csv_field_cb, csv_row_cb, r);
            if (rc != 0 && in_row) {
                snprintf(r->error, sizeof r->error,
                         "unclosed quote: the quoted field runs to the end of the file "
                         "(from line %llu to %llu)",
                         (unsigned long long)r->row.line, (unsigned long long)r->line_no);
                r->row_done = true;
            }
            csv_free(&r->csv);
            r->csv_ready = false;
            if (r->row_done || r->nfields > 0) {
                finish_row(r);
                return RZ_OK;
            }
            return RZ_ENOTFOUND;
        }
        if (!r->csv_ready) {
            if (r->delimiter == 0)
                r->delimiter = sniff(r->line.data, r->line.len);
            st = csv_start(r, err);
            if (st != RZ_OK)
                return st;
        }
        if (!in_row) {
            if (r->line.len == 0 || (r->line.len == 1 && r->line.data[0] == '\r'))
                continue; /* blank line */
            r->row.line = r->line_no;
            in_row = true;
        }
        raw_add(r, r->line.data, r->line.len, true);
        if (r->line_too_long) {
            snprintf(r->error, sizeof r->error, "line longer than %u bytes", RZ_LOAD_ROW_MAX);
            st = csv_start(r, err);
            if (st != RZ_OK)
                return st;
            finish_row(r);
            return RZ_OK;
        }
        size_t used = csv_parse(&r->csv, r->line.data, r->line.len, csv_field_cb, csv_row_cb, r);
        if (used < r->line.len) {
            snprintf(r->error, sizeof r->error,
                     "malformed quoting near byte %zu of line %llu (a quote inside an unquoted "
                     "field, or text after a closing quote)",
                     used + 1, (unsigned long long)r->line_no);
            st = csv_start(r, err);
            if (st != RZ_OK)
                return st;
            finish_row(r);
            return RZ_OK;
        }
        /* the newline that next_line() took off ends the row unless a quote is open */
        csv_parse(&r->csv, "\n", 1, csv_field_cb, csv_row_cb, r);
        if (r->row_done) {
            finish_row(r);
            return RZ_OK;
        }
        if (r->csv.pstate == 0 && r->nfields == 0) {
            in_row = false; /* a line of spaces: no row */
            row_reset(r);
            continue;
        }
        if (r->raw_too_long) {
            st = csv_start(r, err);
            if (st != RZ_OK)
                return st;
            finish_row(r);
            return RZ_OK;
        }
    }
}

/*
 * The next row of a one-line-per-row format (TSV, JSON Lines): skips blank lines, keeps the
 * line as the row's raw text and sets *len to its length without the line end: one '\r', or
 * with `trim_spaces` any run of '\r' and ' '. A line over the cap is a finished row carrying
 * its error (*done). RZ_ENOTFOUND at the end of the input.
 */
static rz_status next_single_line_row(rz__reader *r, bool trim_spaces, size_t *len, bool *done,
                                      rz_error *err)
{
    *done = false;
    for (;;) {
        row_reset(r);
        bool got;
        rz_status st = next_line(r, &got, err);
        if (st != RZ_OK)
            return st;
        if (!got)
            return RZ_ENOTFOUND;
        size_t n = r->line.len;
        if (trim_spaces)
            while (n > 0 && (r->line.data[n - 1] == '\r' || r->line.data[n - 1] == ' '))
                n--;
        else if (n > 0 && r->line.data[n - 1] == '\r')
            n--;
        if (n == 0 && !r->line_too_long)
            continue;
        r->row.line = r->line_no;
        raw_add(r, r->line.data, n, false);
        *len = n;
        if (r->line_too_long) {
            snprintf(r->error, sizeof r->error, "line longer than %u bytes", RZ_LOAD_ROW_MAX);
            finish_row(r);
            *done = true;
        }
        return RZ_OK;
    }
}

static rz_status next_tsv(rz__reader *r, rz_error *err)
{
    size_t len = 0;
    bool done;
    rz_status st = next_single_line_row(r, false, &len, &done, err);
    if (st != RZ_OK || done)
        return st;
    const char *p = r->line.data, *end = p + len;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;
        if (!add_field(r, p, (size_t)(stop - p)))
            return rz_error_set(err, RZ_ENOMEM, "out of memory");
        if (tab == NULL)
            break;
        p = tab + 1;
    }
    finish_row(r);
    return RZ_OK;
}

/* A JSON value as the text a column would hold. */
static bool json_text(rz__reader *r, json_t *v, char *compound)
{
    char num[64];
    *compound = 0;
    switch (json_typeof(v)) {
    case JSON_STRING:
        return add_field(r, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return add_field(r, num, strlen(num));
    case JSON_REAL:
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        return add_field(r, num, strlen(num));
    case JSON_TRUE:
        return add_field(r, "true", 4);
    case JSON_FALSE:
        return add_field(r, "false", 5);
    case JSON_NULL:
        return add_field(r, "", 0);
    default: {
        *compound = 1;
        char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        if (s == NULL)
            return false;
        bool ok = add_field(r, s, strlen(s));
        free(s);
        return ok;
    }
    }
}

static rz_status next_jsonl(rz__reader *r, rz_error *err)
{
    size_t len = 0;
    bool done;
    rz_status st = next_single_line_row(r, true, &len, &done, err);
    if (st != RZ_OK || done)
        return st;
    json_error_t jerr;
    json_t *obj = json_loadb(r->line.data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (obj == NULL || !json_is_object(obj)) {
        if (obj == NULL)
            snprintf(r->error, sizeof r->error, "not valid JSON: %s (column %d)", jerr.text,
                     jerr.column);
        else
            snprintf(r->error, sizeof r->error, "the line is JSON but not an object");
        json_decref(obj);
        finish_row(r);
        return RZ_OK;
    }
    r->namebuf.len = 0;
    size_t name_off[RZ_LOAD_COLS_MAX];
    char compound[RZ_LOAD_COLS_MAX];
    const char *key;
    json_t *v;
    bool ok = true;
    json_object_foreach(obj, key, v)
    {
        if (r->nfields == RZ_LOAD_COLS_MAX) {
            r->too_many_fields = true;
            break;
        }
        name_off[r->nfields] = r->namebuf.len;
        ok = rz__buf_adds(&r->namebuf, key) && rz__buf_addc(&r->namebuf, '\0') &&
             json_text(r, v, &compound[r->nfields]);
        if (!ok)
            break;
    }
    json_decref(obj);
    if (!ok)
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading JSON");
    finish_row(r);
    for (size_t i = 0; i < r->nfields; i++) {
        r->names[i] = r->namebuf.data + name_off[i];
        r->compound[i] = compound[i];
    }
    r->row.names = r->names;
    r->row.compound = r->compound;
    return RZ_OK;
}

rz_status rz__reader_open(const char *path, rz_load_format format, char delimiter, rz__reader **out,
                          rz_error *err)
{
    *out = NULL;
    rz__reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening %s", path);
    sha256_init(&r->sha);
    r->f = fopen(path, "rb");
    if (r->f == NULL) {
        int e = errno;
        free(r);
        return rz_error_set(err, RZ_EIO, "cannot read %s: %s", path, strerror(e));
    }
    struct stat sb;
    if (fstat(fileno(r->f), &sb) == 0 && S_ISREG(sb.st_mode))
        r->size = (uint64_t)sb.st_size;
    r->format = format;
    r->delimiter = format == RZ_FORMAT_TSV ? '\t' : delimiter;
    r->first_line = true;
    rz_status st = ensure_arrays(r, err);
    if (st != RZ_OK) {
        rz__reader_close(r);
        return st;
    }
    *out = r;
    return RZ_OK;
}

rz_status rz__reader_next(rz__reader *r, rz__row **row, rz_error *err)
{
    *row = NULL;
    rz_status st;
    switch (r->format) {
    case RZ_FORMAT_TSV:
        st = next_tsv(r, err);
        break;
    case RZ_FORMAT_JSONL:
        st = next_jsonl(r, err);
        break;
    default:
        st = next_csv(r, err);
        break;
    }
    if (st == RZ_OK)
        *row = &r->row;
    return st;
}

uint64_t rz__reader_offset(const rz__reader *r)
{
    return r->offset;
}

uint64_t rz__reader_size(const rz__reader *r)
{
    return r->size;
}

bool rz__reader_sha256(rz__reader *r, char hex[65])
{
    if (!r->eof)
        return false;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&r->sha, sizeof d, d);
    static const char HEX[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof d; i++) {
        hex[2 * i] = HEX[d[i] >> 4];
        hex[2 * i + 1] = HEX[d[i] & 15];
    }
    hex[64] = '\0';
    return true;
}

char rz__reader_delimiter(const rz__reader *r)
{
    return r->delimiter;
}

void rz__reader_close(rz__reader *r)
{
    if (r == NULL)
        return;
    if (r->f)
        fclose(r->f);
    if (r->csv_ready)
        csv_free(&r->csv);
    rz__buf_free(&r->line);
    rz__buf_free(&r->fieldbuf);
    rz__buf_free(&r->raw);
    rz__buf_free(&r->namebuf);
    free(r->offsets);
    free(r->values);
    free(r->lens);
    free(r->names);
    free(r->compound);
    free(r);
}
