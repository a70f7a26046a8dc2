/*
 * gen_core.h: the pieces of the synthetic population generator (bench/gen) that are worth
 * testing on their own: a seeded random number generator, weighted frequency tables, UTF-8
 * helpers, gendered surname forms, and the corruption operators applied to records.
 *
 * Everything here is deterministic given the generator state: the same seed gives the same
 * population, records and corruptions. Strings are UTF-8; the operators count code points.
 * Buffers are caller-owned; GEN_TEXT_MAX bounds one name or field.
 */
#ifndef ROZSHUK_BENCH_GEN_CORE_H
#define ROZSHUK_BENCH_GEN_CORE_H

#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_TEXT_MAX 256 /* bytes of one generated field, NUL included */

/* xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64. */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

void gen_rng_seed(gen_rng *r, uint64_t seed);
uint64_t gen_rng_next(gen_rng *r);
double gen_rng_unit(gen_rng *r);                /* uniform in [0, 1) */
uint32_t gen_rng_below(gen_rng *r, uint32_t n); /* uniform in [0, n), n > 0 */
bool gen_rng_chance(gen_rng *r, double p);      /* true with probability p */

/*
 * A frequency table read from a CSV file with a header row: `ncols` text columns followed by a
 * last column `weight` (a non-negative number). Rows are drawn with probability proportional
 * to their weight. Free with gen_table_free().
 */
typedef struct gen_table {
    size_t rows, cols;
    char **cells;  /* rows * cols strings */
    double *cumul; /* cumulative weights */
} gen_table;

rz_status gen_table_load(const char *path, size_t ncols, gen_table *t, rz_error *err);
const char *gen_table_cell(const gen_table *t, size_t row, size_t col);
size_t gen_table_pick(const gen_table *t, gen_rng *r);
void gen_table_free(gen_table *t);

/* UTF-8 to code points (false on invalid UTF-8 or more than cap code points) and back
 * (false if the output does not fit in cap bytes with its NUL). */
bool gen_utf8_decode(const char *s, uint32_t *cp, size_t cap, size_t *n);
bool gen_utf8_encode(const uint32_t *cp, size_t n, char *out, size_t cap);

/* Upper case of Latin and Cyrillic letters (the letters of the names written here). */
uint32_t gen_upper_cp(uint32_t c);
bool gen_upper(const char *s, char *out, size_t cap);

/*
 * The feminine form of a masculine surname by the grammar of the language: adjectival
 * -ський/-цький -> -ська/-цька, -ий -> -а, (ru) -ский -> -ская, -ой/-ый -> -ая; possessive
 * -ов/-ев/-єв/-ін/-їн/-ин -> +а; everything else (-енко, -ук, -ник, -ар ...) is the same for
 * women and men.
 */
bool gen_surname_feminine(const char *masc, bool russian, char *out, size_t cap);

/*
 * Corruption operators. Each rewrites `s` (a NUL-terminated UTF-8 string in a buffer of
 * `cap` bytes) in place and returns true when it changed it, false when it could not apply
 * (too short, no eligible letter, no room).
 *
 *  gen_typo:      one keyboard error: a neighbouring key (ЙЦУКЕН or QWERTY row), a dropped
 *                 letter, a doubled letter, or two adjacent letters swapped; never the first
 *                 letter, so that the name stays a name.
 *  gen_ocr:       one confusion of optical character recognition (и/н, ш/щ, rn/m, l/I ...).
 *  gen_homoglyph: some Cyrillic letters replaced by the Latin letters that look the same
 *                 (а/a, о/o, е/e, р/p, с/c, х/x, і/i, у/y and capitals), at least one.
 */
bool gen_typo(gen_rng *r, char *s, size_t cap);
bool gen_ocr(gen_rng *r, char *s, size_t cap);
bool gen_homoglyph(gen_rng *r, char *s, size_t cap);

/* Whether s contains a Cyrillic letter / a Latin letter. */
bool gen_has_cyrillic(const char *s);
bool gen_has_latin(const char *s);

/* A calendar date; d == 0 means only the year is known, y == 0 that nothing is. */
typedef struct gen_date {
    int y, m, d;
} gen_date;

/*
 * Date corruptions: day and month swapped (only when the day is at most 12 and differs from
 * the month), one digit of the day, month or year changed so that the result is still a
 * real date, year only, and missing.
 */
bool gen_date_swap(gen_date *dt);
bool gen_date_digit(gen_rng *r, gen_date *dt);
void gen_date_year_only(gen_date *dt);
void gen_date_missing(gen_date *dt);

typedef enum gen_date_style {
    GEN_DATE_DMY_DOT,   /* 12.03.1985 */
    GEN_DATE_ISO,       /* 1985-03-12 */
    GEN_DATE_DMY_SLASH, /* 12/03/1985 */
} gen_date_style;

/* Writes the date in the style ("1985" for year only, "" for missing); cap >= 11. */
void gen_date_format(const gen_date *dt, gen_date_style style, char *out, size_t cap);

/* Appends one CSV field to buf (quoted when it holds a comma, quote or line break).
 * Returns false if it does not fit. */
bool gen_csv_field(char *buf, size_t cap, size_t *len, const char *field, bool first);

#endif /* ROZSHUK_BENCH_GEN_CORE_H */
