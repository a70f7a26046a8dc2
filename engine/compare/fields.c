/*
 * fields.c: comparison levels of the fields beyond names: birth dates with their precision,
 * sex, places, identifiers, and the timeline of a missing person and remains; plus the
 * record-level comparison that also asks the names engine.
 */
#include "rozshuk/compare.h"

#include <assert.h>
#include <string.h>

typedef struct level_text {
    const char *name;
    const char *phrase;
} level_text;

typedef struct field_info {
    const char *name;
    int nlevels;
    level_text levels[RZ_LEVELS_MAX];
} field_info;

#define NAME_LEVELS(what)                                                                          \
    5,                                                                                             \
    {                                                                                              \
        {"missing", "not known on both records"}, {"far", "different " what "s"},                  \
            {"close", "close " what ", a likely typing or OCR error"},                             \
            {"equivalent", "same " what " in another script, transliteration or form"},            \
        {                                                                                          \
            "exact", "same " what                                                                  \
        }                                                                                          \
    }

static const field_info FIELDS[RZ__MF_COUNT] = {
    {"surname", NAME_LEVELS("surname")},
    {"given name", NAME_LEVELS("given name")},
    {"patronymic", NAME_LEVELS("patronymic")},
    {"birth date",
     9,
     {{"missing", "not known on both records"},
      {"far", "different birth dates"},
      {"range", "one date is imprecise and contains the other"},
      {"same_year", "born the same year, month differs"},
      {"in_year", "one record gives only the year of birth, and the other agrees"},
      {"same_month", "same month and year of birth"},
      {"one_digit", "birth dates one digit apart (a typing error)"},
      {"dm_swapped", "day and month of birth swapped"},
      {"exact", "same birth date"}}},
    {"sex",
     3,
     {{"missing", "not known on both records"},
      {"different", "different sex"},
      {"same", "same sex"}}},
    {"birth place",
     4,
     {{"missing", "not known on both records"},
      {"far", "different birth places"},
      {"close", "close birth place names"},
      {"same", "same birth place"}}},
    {"last seen/found place",
     4,
     {{"missing", "not known on both records"},
      {"far", "different places last seen or found"},
      {"close", "close place names last seen or found"},
      {"same", "same place last seen or found"}}},
    {"identifier",
     5,
     {{"missing", "no identifier of the same kind on both records"},
      {"conflict", "different identifiers, both with valid checksums"},
      {"different", "different identifiers"},
      {"close", "identifiers one character apart"},
      {"same", "same identifier"}}},
    {"timeline",
     3,
     {{"missing", "not a last-seen/found pair"},
      {"impossible", "the remains were found before the person was last seen"},
      {"possible", "found after last seen"}}},
};

const char *rz_match_field_name(rz_match_field f)
{
    return (unsigned)f < RZ__MF_COUNT ? FIELDS[f].name : "unknown";
}

int rz_match_field_levels(rz_match_field f)
{
    return (unsigned)f < RZ__MF_COUNT ? FIELDS[f].nlevels : 0;
}

const char *rz_match_level_name(rz_match_field f, int level)
{
    if ((unsigned)f >= RZ__MF_COUNT || level < 0 || level >= FIELDS[f].nlevels)
        return "unknown";
    return FIELDS[f].levels[level].name;
}

const char *rz_match_level_phrase(rz_match_field f, int level)
{
    if ((unsigned)f >= RZ__MF_COUNT || level < 0 || level >= FIELDS[f].nlevels)
        return "unknown";
    return FIELDS[f].levels[level].phrase;
}

void rz_match_record_init(rz_match_record *r)
{
    memset(r, 0, sizeof *r);
    r->birth.precision = RZ_PREC_NONE;
    r->last_seen.precision = RZ_PREC_NONE;
    r->found.precision = RZ_PREC_NONE;
}

/* ---- birth date ----------------------------------------------------------------------- */

/* Number of differing digits of two dates written YYYYMMDD. */
static int digits_apart(int ya, int ma, int da, int yb, int mb, int db)
{
    long x = (long)ya * 10000 + ma * 100 + da, y = (long)yb * 10000 + mb * 100 + db;
    int n = 0;
    for (int i = 0; i < 8; i++, x /= 10, y /= 10)
        n += (x % 10) != (y % 10);
    return n;
}

static rz_birth_level compare_days(int32_t a, int32_t b)
{
    if (a == b)
        return RZ_BIRTH_EXACT;
    int ya, ma, da, yb, mb, db;
    rz_days_to_ymd(a, &ya, &ma, &da);
    rz_days_to_ymd(b, &yb, &mb, &db);
    if (ya == yb && ma == db && da == mb)
        return RZ_BIRTH_DM_SWAPPED;
    if (digits_apart(ya, ma, da, yb, mb, db) == 1)
        return RZ_BIRTH_ONE_DIGIT;
    if (ya == yb && ma == mb)
        return RZ_BIRTH_MONTH;
    if (ya == yb)
        return RZ_BIRTH_YEAR;
    return RZ_BIRTH_FAR;
}

/* Whether all days of both ranges fall in one calendar month (when `month`) or year. */
static bool same_period(const rz_date_range *a, const rz_date_range *b, bool month)
{
    int y0, m0, d0, y1, m1, d1, y2, m2, d2, y3, m3, d3;
    rz_days_to_ymd(a->from, &y0, &m0, &d0);
    rz_days_to_ymd(a->to, &y1, &m1, &d1);
    rz_days_to_ymd(b->from, &y2, &m2, &d2);
    rz_days_to_ymd(b->to, &y3, &m3, &d3);
    if (y0 != y1 || y1 != y2 || y2 != y3)
        return false;
    return !month || (m0 == m1 && m1 == m2 && m2 == m3);
}

rz_birth_level rz_compare_birth(const rz_date_range *a, const rz_date_range *b)
{
    if (a->precision == RZ_PREC_NONE || b->precision == RZ_PREC_NONE)
        return RZ_BIRTH_MISSING;
    if (a->precision == RZ_PREC_DAY && b->precision == RZ_PREC_DAY) {
        rz_birth_level l = compare_days(a->from, b->from);
        /* A date written 03/04/1985 may have been read in the other order. */
        if (l < RZ_BIRTH_DM_SWAPPED && (a->dm_ambiguous || b->dm_ambiguous)) {
            int y, m, d;
            rz_days_to_ymd(a->from, &y, &m, &d);
            if (rz_date_valid(y, d, m) && rz_days_from_ymd(y, d, m) == b->from)
                return RZ_BIRTH_DM_SWAPPED;
        }
        return l;
    }
    if (a->to < b->from || b->to < a->from)
        return RZ_BIRTH_FAR;
    if (same_period(a, b, true))
        return RZ_BIRTH_MONTH;
    if (same_period(a, b, false))
        return RZ_BIRTH_IN_YEAR;
    return RZ_BIRTH_RANGE;
}

rz_sex_level rz_compare_sex(rz_sex a, rz_sex b)
{
    if (a == RZ_SEX_UNKNOWN || b == RZ_SEX_UNKNOWN)
        return RZ_SEXL_MISSING;
    return a == b ? RZ_SEXL_SAME : RZ_SEXL_DIFFERENT;
}

/* ---- identifiers ------------------------------------------------------------------------ */

/* OCR and typing confusions folded before the "close" test: O/0, I/l/1, B/8, S/5, Z/2. */
static char ocr_fold(char c)
{
    switch (c) {
    case 'O':
    case 'Q':
    case 'D':
        return '0';
    case 'I':
    case 'L':
    case 'l':
        return '1';
    case 'B':
        return '8';
    case 'S':
        return '5';
    case 'Z':
        return '2';
    case 'G':
        return '6';
    default:
        return c;
    }
}

/* Whether two normalised identifiers (at most RZ_ID_VALUE_MAX bytes) are one edit apart after
 * folding OCR confusions: one substitution, or one adjacent transposition, of bytes. */
static bool ids_close(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na != nb || na < 4)
        return false;
    size_t diff[3], nd = 0;
    for (size_t i = 0; i < na; i++)
        if (ocr_fold(a[i]) != ocr_fold(b[i])) {
            if (nd == 2)
                return false;
            diff[nd++] = i;
        }
    if (nd <= 1)
        return true;
    return diff[1] == diff[0] + 1 && ocr_fold(a[diff[0]]) == ocr_fold(b[diff[1]]) &&
           ocr_fold(a[diff[1]]) == ocr_fold(b[diff[0]]);
}

rz_id_level rz_compare_identifiers(const rz_identifier *a, size_t na, const rz_identifier *b,
                                   size_t nb)
{
    rz_id_level best = RZ_IDL_MISSING;
    bool conflict = false, different = false;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            if (a[i].kind != b[j].kind)
                continue;
            if (strcmp(a[i].value, b[j].value) == 0)
                return RZ_IDL_SAME;
            if (ids_close(a[i].value, b[j].value))
                best = RZ_IDL_CLOSE;
            else if (a[i].valid == 1 && b[j].valid == 1)
                conflict = true;
            else
                different = true;
        }
    if (best == RZ_IDL_CLOSE)
        return best;
    if (conflict)
        return RZ_IDL_CONFLICT;
    return different ? RZ_IDL_DIFFERENT : RZ_IDL_MISSING;
}

/* ---- timeline ------------------------------------------------------------------------- */

static rz_timeline_level timeline_one_way(const rz_match_record *seen,
                                          const rz_match_record *remains)
{
    if (remains->kind != RZ_KIND_REMAINS || remains->found.precision == RZ_PREC_NONE ||
        seen->last_seen.precision == RZ_PREC_NONE)
        return RZ_TIME_MISSING;
    /* Impossible only when the latest possible finding precedes the earliest last sighting. */
    return remains->found.to < seen->last_seen.from ? RZ_TIME_IMPOSSIBLE : RZ_TIME_POSSIBLE;
}

rz_timeline_level rz_compare_timeline(const rz_match_record *a, const rz_match_record *b)
{
    rz_timeline_level x = timeline_one_way(a, b), y = timeline_one_way(b, a);
    if (x == RZ_TIME_IMPOSSIBLE || y == RZ_TIME_IMPOSSIBLE)
        return RZ_TIME_IMPOSSIBLE;
    return x > y ? x : y;
}
