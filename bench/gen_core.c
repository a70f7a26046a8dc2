/*
 * gen_core.c: random numbers, frequency tables, UTF-8 helpers, surname grammar and the
 * corruption operators of the population generator (see gen_core.h).
 */
#include "gen_core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ---------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (size_t i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gen_rng_unit(gen_rng *r)
{
    return (double)(gen_rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t gen_rng_below(gen_rng *r, uint32_t n)
{
    /* Lemire's multiply-shift; the bias is below 2^-32 for the small n used here. */
    return (uint32_t)(((gen_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool gen_rng_chance(gen_rng *r, double p)
{
    return p > 0 && gen_rng_unit(r) < p;
}

/* ---- frequency tables -------------------------------------------------------------- */

static rz_status table_add_row(gen_table *t, char *line, size_t ncols, size_t *cap_rows,
                               const char *path, size_t lineno, rz_error *err)
{
    char *fields[16];
    size_t nf = 0;
    char *p = line;
    for (;;) {
        if (nf == 16)
            break;
        fields[nf++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    if (nf != ncols + 1)
        return rz_error_set(err, RZ_EPARSE, "%s:%zu: expected %zu fields, found %zu", path, lineno,
                            ncols + 1, nf);
    char *end = NULL;
    errno = 0;
    double w = strtod(fields[ncols], &end);
    if (errno || end == fields[ncols] || *end != '\0' || !(w >= 0))
        return rz_error_set(err, RZ_EPARSE, "%s:%zu: weight is not a number", path, lineno);
    if (t->rows == *cap_rows) {
        size_t nc = *cap_rows ? *cap_rows * 2 : 256;
        char **cells = realloc(t->cells, nc * ncols * sizeof *cells);
        if (!cells)
            return rz_error_set(err, RZ_ENOMEM, "out of memory reading %s", path);
        t->cells = cells;
        double *cumul = realloc(t->cumul, nc * sizeof *cumul);
        if (!cumul)
            return rz_error_set(err, RZ_ENOMEM, "out of memory reading %s", path);
        t->cumul = cumul;
        *cap_rows = nc;
    }
    for (size_t c = 0; c < ncols; c++) {
        char *cell = strdup(fields[c]);
        if (!cell) {
            for (size_t k = 0; k < c; k++)
                free(t->cells[t->rows * ncols + k]);
            return rz_error_set(err, RZ_ENOMEM, "out of memory reading %s", path);
        }
        t->cells[t->rows * ncols + c] = cell;
    }
    t->cumul[t->rows] = (t->rows ? t->cumul[t->rows - 1] : 0) + w;
    t->rows++;
    return RZ_OK;
}

rz_status gen_table_load(const char *path, size_t ncols, gen_table *t, rz_error *err)
{
    memset(t, 0, sizeof *t);
    t->cols = ncols;
    if (ncols == 0 || ncols > 15)
        return rz_error_set(err, RZ_EINVAL, "bad column count for %s", path);
    FILE *f = fopen(path, "r");
    if (!f)
        return rz_error_set(err, RZ_EIO, "cannot open %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t linecap = 0, cap_rows = 0, lineno = 0;
    ssize_t len;
    rz_status st = RZ_OK;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 || len == 0)
            continue; /* header, blank */
        st = table_add_row(t, line, ncols, &cap_rows, path, lineno, err);
        if (st != RZ_OK)
            goto fail;
    }
    if (ferror(f)) {
        st = rz_error_set(err, RZ_EIO, "cannot read %s", path);
        goto fail;
    }
    if (t->rows == 0 || t->cumul[t->rows - 1] <= 0) {
        st = rz_error_set(err, RZ_EEMPTY, "%s: no rows with a positive weight", path);
        goto fail;
    }
    free(line);
    fclose(f);
    return RZ_OK;
fail:
    free(line);
    fclose(f);
    gen_table_free(t);
    return st;
}

const char *gen_table_cell(const gen_table *t, size_t row, size_t col)
{
    return t->cells[row * t->cols + col];
}

size_t gen_table_pick(const gen_table *t, gen_rng *r)
{
    double x = gen_rng_unit(r) * t->cumul[t->rows - 1];
    size_t lo = 0, hi = t->rows - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->cumul[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void gen_table_free(gen_table *t)
{
    if (!t)
        return;
    if (t->cells)
        for (size_t i = 0; i < t->rows * t->cols; i++)
            free(t->cells[i]);
    free(t->cells);
    free(t->cumul);
    memset(t, 0, sizeof *t);
}

/* ---- UTF-8 ------------------------------------------------------------------------- */

bool gen_utf8_decode(const char *s, uint32_t *cp, size_t cap, size_t *n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    while (*p) {
        uint32_t c;
        size_t extra;
        if (*p < 0x80) {
            c = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            c = *p & 0x1Fu;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            c = *p & 0x0Fu;
            extra = 2;
        } else if ((*p & 0xF8) == 0xF0) {
            c = *p & 0x07u;
            extra = 3;
        } else {
            return false;
        }
        p++;
        for (size_t i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (*p & 0x3Fu);
        }
        if (k == cap)
            return false;
        cp[k++] = c;
    }
    *n = k;
    return true;
}

bool gen_utf8_encode(const uint32_t *cp, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        unsigned char b[4];
        size_t len;
        if (c < 0x80) {
            b[0] = (unsigned char)c;
            len = 1;
        } else if (c < 0x800) {
            b[0] = (unsigned char)(0xC0 | (c >> 6));
            b[1] = (unsigned char)(0x80 | (c & 0x3F));
            len = 2;
        } else if (c < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (c >> 12));
            b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (c & 0x3F));
            len = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (c >> 18));
            b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            b[3] = (unsigned char)(0x80 | (c & 0x3F));
            len = 4;
        }
        if (k + len + 1 > cap)
            return false;
        memcpy(out + k, b, len);
        k += len;
    }
    if (k + 1 > cap)
        return false;
    out[k] = '\0';
    return true;
}

uint32_t gen_upper_cp(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 0x20;
    if (c >= 0x430 && c <= 0x44F) /* а..я */
        return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) /* ѐ..џ: ё, є, і, ї, ў */
        return c - 0x50;
    if (c == 0x491) /* ґ */
        return 0x490;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) /* à..þ */
        return c - 0x20;
    /* Latin Extended-A (č š ž ł ń ...): pairs capital, small; odd-first in two ranges. */
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && (c & 1))
        return c - 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1))
        return c - 1;
    return c;
}

bool gen_upper(const char *s, char *out, size_t cap)
{
    uint32_t cp[GEN_TEXT_MAX];
    size_t n;
    if (!gen_utf8_decode(s, cp, GEN_TEXT_MAX, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        cp[i] = gen_upper_cp(cp[i]);
    return gen_utf8_encode(cp, n, out, cap);
}

static bool is_cyrillic(uint32_t c)
{
    return (c >= 0x400 && c <= 0x4FF);
}

static bool is_latin(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool gen_has_cyrillic(const char *s)
{
    uint32_t cp[GEN_TEXT_MAX];
    size_t n;
    if (!gen_utf8_decode(s, cp, GEN_TEXT_MAX, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (is_cyrillic(cp[i]))
            return true;
    return false;
}

bool gen_has_latin(const char *s)
{
    for (const char *p = s; *p; p++)
        if (is_latin((unsigned char)*p))
            return true;
    return false;
}

/* ---- surname grammar --------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix, size_t *stem)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n <= k || memcmp(s + n - k, suffix, k) != 0)
        return false;
    *stem = n - k;
    return true;
}

static bool join(const char *s, size_t stem, const char *suffix, char *out, size_t cap)
{
    size_t k = strlen(suffix);
    if (stem + k + 1 > cap)
        return false;
    memcpy(out, s, stem);
    memcpy(out + stem, suffix, k + 1);
    return true;
}

bool gen_surname_feminine(const char *masc, bool russian, char *out, size_t cap)
{
    /* Ordered: the longest, most specific ending first. */
    static const char *const uk_rules[][2] = {
        {"ський", "ська"}, {"цький", "цька"}, {"зький", "зька"}, {"ій", "я"},
        {"ий", "а"},       {"ов", "ова"},     {"ев", "ева"},     {"єв", "єва"},
        {"ів", NULL},      {"ін", "іна"},     {"їн", "їна"},     {"ин", "ина"},
    };
    static const char *const ru_rules[][2] = {
        {"ский", "ская"}, {"цкий", "цкая"}, {"кий", "кая"}, {"гий", "гая"}, {"хий", "хая"},
        {"ой", "ая"},     {"ый", "ая"},     {"ий", "яя"},   {"ов", "ова"},  {"ев", "ева"},
        {"ёв", "ёва"},    {"ин", "ина"},    {"ын", "ына"},
    };
    const char *const(*rules)[2] = russian ? ru_rules : uk_rules;
    size_t nrules =
        russian ? sizeof ru_rules / sizeof ru_rules[0] : sizeof uk_rules / sizeof uk_rules[0];
    for (size_t i = 0; i < nrules; i++) {
        size_t stem;
        if (!ends_with(masc, rules[i][0], &stem))
            continue;
        if (!rules[i][1])
            break; /* Ukrainian -ів (Франків) does not change */
        return join(masc, stem, rules[i][1], out, cap);
    }
    size_t n = strlen(masc);
    if (n + 1 > cap)
        return false;
    memcpy(out, masc, n + 1);
    return true;
}

/* ---- corruption operators ---------------------------------------------------------- */

/* Keyboard rows: a typing error hits the key to the left or right. */
static const char *const keyboard_rows[] = {
    "йцукенгшщзхї", "фівапролджє", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm",
};

static bool keyboard_neighbour(gen_rng *r, uint32_t c, uint32_t *out)
{
    uint32_t row[16];
    size_t n;
    for (size_t i = 0; i < sizeof keyboard_rows / sizeof keyboard_rows[0]; i++) {
        if (!gen_utf8_decode(keyboard_rows[i], row, 16, &n))
            continue;
        for (size_t j = 0; j < n; j++) {
            if (row[j] != c)
                continue;
            if (j == 0)
                *out = row[1];
            else if (j == n - 1)
                *out = row[j - 1];
            else
                *out = row[gen_rng_below(r, 2) ? j + 1 : j - 1];
            return true;
        }
    }
    return false;
}

bool gen_typo(gen_rng *r, char *s, size_t cap)
{
    uint32_t cp[GEN_TEXT_MAX];
    size_t n;
    if (!gen_utf8_decode(s, cp, GEN_TEXT_MAX - 1, &n) || n < 3)
        return false;
    size_t pos = 1 + gen_rng_below(r, (uint32_t)(n - 1)); /* never the first letter */
    uint32_t op = gen_rng_below(r, 4), nb;
    if (op == 0 && !(keyboard_neighbour(r, cp[pos], &nb) && nb != cp[pos]))
        op = 1; /* no neighbouring key known: drop the letter instead */
    if (op == 3 && pos == n - 1)
        pos--;
    if (op == 3 && (pos == 0 || cp[pos] == cp[pos + 1]))
        op = 1; /* swapping would touch the first letter or change nothing */
    switch (op) {
    case 0: /* neighbouring key */
        cp[pos] = nb;
        break;
    case 1: /* dropped letter */
        memmove(cp + pos, cp + pos + 1, (n - pos - 1) * sizeof *cp);
        n--;
        break;
    case 2: /* doubled letter */
        memmove(cp + pos + 1, cp + pos, (n - pos) * sizeof *cp);
        n++;
        break;
    default: { /* two adjacent letters swapped */
        uint32_t t = cp[pos];
        cp[pos] = cp[pos + 1];
        cp[pos + 1] = t;
        break;
    }
    }
    char tmp[GEN_TEXT_MAX];
    if (!gen_utf8_encode(cp, n, tmp, sizeof tmp) || strlen(tmp) + 1 > cap)
        return false;
    memcpy(s, tmp, strlen(tmp) + 1);
    return true;
}

/* Confusions of OCR on printed Cyrillic and Latin lists, both directions. */
static const char *const ocr_pairs[][2] = {
    {"и", "н"}, {"н", "и"}, {"п", "н"},  {"ш", "щ"},  {"щ", "ш"}, {"е", "є"},
    {"є", "е"}, {"ц", "щ"}, {"з", "э"},  {"б", "6"},  {"о", "0"}, {"в", "8"},
    {"і", "1"}, {"ї", "і"}, {"rn", "m"}, {"m", "rn"}, {"l", "I"}, {"i", "l"},
    {"o", "0"}, {"c", "e"}, {"e", "c"},  {"u", "v"},  {"h", "b"}, {"cl", "d"},
};

bool gen_ocr(gen_rng *r, char *s, size_t cap)
{
    /* Collect the applicable (pair, offset) sites, then pick one at random. */
    size_t sites[64][2];
    size_t nsites = 0, len = strlen(s);
    for (size_t k = 0; k < sizeof ocr_pairs / sizeof ocr_pairs[0]; k++) {
        size_t flen = strlen(ocr_pairs[k][0]);
        for (size_t i = 0; i + flen <= len && nsites < 64; i++)
            if (i > 0 && memcmp(s + i, ocr_pairs[k][0], flen) == 0) {
                sites[nsites][0] = k;
                sites[nsites][1] = i;
                nsites++;
            }
    }
    if (nsites == 0)
        return false;
    size_t pick = gen_rng_below(r, (uint32_t)nsites);
    const char *from = ocr_pairs[sites[pick][0]][0], *to = ocr_pairs[sites[pick][0]][1];
    size_t at = sites[pick][1], flen = strlen(from), tlen = strlen(to);
    if (len - flen + tlen + 1 > cap)
        return false;
    memmove(s + at + tlen, s + at + flen, len - at - flen + 1);
    memcpy(s + at, to, tlen);
    return true;
}

bool gen_homoglyph(gen_rng *r, char *s, size_t cap)
{
    static const uint32_t map[][2] = {
        {0x430, 'a'}, {0x435, 'e'}, {0x43E, 'o'}, {0x440, 'p'}, {0x441, 'c'},
        {0x445, 'x'}, {0x456, 'i'}, {0x443, 'y'}, {0x410, 'A'}, {0x412, 'B'},
        {0x415, 'E'}, {0x41A, 'K'}, {0x41C, 'M'}, {0x41D, 'H'}, {0x41E, 'O'},
        {0x420, 'P'}, {0x421, 'C'}, {0x422, 'T'}, {0x425, 'X'}, {0x406, 'I'},
    };
    uint32_t cp[GEN_TEXT_MAX];
    size_t n, eligible[GEN_TEXT_MAX], ne = 0;
    if (!gen_utf8_decode(s, cp, GEN_TEXT_MAX, &n))
        return false;
    size_t which[GEN_TEXT_MAX];
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (cp[i] == map[k][0]) {
                which[ne] = k;
                eligible[ne++] = i;
                break;
            }
    if (ne == 0)
        return false;
    /* One letter for sure (a typist's slip), each other one with probability 1/4. */
    size_t first = gen_rng_below(r, (uint32_t)ne);
    for (size_t e = 0; e < ne; e++)
        if (e == first || gen_rng_below(r, 4) == 0)
            cp[eligible[e]] = map[which[e]][1];
    char tmp[GEN_TEXT_MAX];
    if (!gen_utf8_encode(cp, n, tmp, sizeof tmp) || strlen(tmp) + 1 > cap)
        return false;
    memcpy(s, tmp, strlen(tmp) + 1);
    return true;
}

/* ---- dates ------------------------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

static bool date_real(int y, int m, int d)
{
    return y >= 1900 && y <= 2030 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

bool gen_date_swap(gen_date *dt)
{
    if (dt->y == 0 || dt->d == 0 || dt->d > 12 || dt->d == dt->m)
        return false;
    int t = dt->d;
    dt->d = dt->m;
    dt->m = t;
    return true;
}

bool gen_date_digit(gen_rng *r, gen_date *dt)
{
    if (dt->y == 0 || dt->d == 0)
        return false;
    /* Positions: day tens/units, month tens/units, year tens/units (the century stays). */
    for (int attempt = 0; attempt < 16; attempt++) {
        gen_date c = *dt;
        int pos = (int)gen_rng_below(r, 6);
        int digit = (int)gen_rng_below(r, 10);
        int *field = pos < 2 ? &c.d : pos < 4 ? &c.m : &c.y;
        int place = (pos % 2 == 0) ? 10 : 1;
        int old = (*field / place) % 10;
        if (digit == old)
            continue;
        *field += (digit - old) * place;
        if (date_real(c.y, c.m, c.d)) {
            *dt = c;
            return true;
        }
    }
    return false;
}

void gen_date_year_only(gen_date *dt)
{
    dt->m = 0;
    dt->d = 0;
}

void gen_date_missing(gen_date *dt)
{
    dt->y = dt->m = dt->d = 0;
}

void gen_date_format(const gen_date *dt, gen_date_style style, char *out, size_t cap)
{
    if (dt->y == 0) {
        snprintf(out, cap, "%s", "");
    } else if (dt->d == 0) {
        snprintf(out, cap, "%04d", dt->y);
    } else if (style == GEN_DATE_ISO) {
        snprintf(out, cap, "%04d-%02d-%02d", dt->y, dt->m, dt->d);
    } else {
        snprintf(out, cap, "%02d%c%02d%c%04d", dt->d, style == GEN_DATE_DMY_DOT ? '.' : '/', dt->m,
                 style == GEN_DATE_DMY_DOT ? '.' : '/', dt->y);
    }
}

/* ---- CSV --------------------------------------------------------------------------- */

bool gen_csv_field(char *buf, size_t cap, size_t *len, const char *field, bool first)
{
    bool quote = strpbrk(field, ",\"\r\n") != NULL;
    size_t need = (first ? 0 : 1) + strlen(field) * 2 + (quote ? 2 : 0) + 1;
    if (*len + need > cap)
        return false;
    if (!first)
        buf[(*len)++] = ',';
    if (quote)
        buf[(*len)++] = '"';
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            buf[(*len)++] = '"';
        buf[(*len)++] = *p;
    }
    if (quote)
        buf[(*len)++] = '"';
    buf[*len] = '\0';
    return true;
}
