/*
 * dates.c: dates and ages as people write them in registers, read into a range of possible
 * days with a precision (see rz_date_parse in load.h).
 *
 * The text is folded to lower case and cut into tokens (numbers, words, separators); the
 * sequence of token classes ("N.N.N", "N W N", "N-N") picks the reading. Linear in the input,
 * which is capped at RZ_DATE_TEXT_MAX bytes.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

void rz_date_opts_defaults(rz_date_opts *opts)
{
    opts->order = RZ_ORDER_DMY;
    opts->today = rz__today();
    opts->earliest = rz_days_from_ymd(1880, 1, 1);
}

#define MAX_TOKENS 16

typedef struct token {
    char cls; /* 'N' number, 'W' word, '.', '/', '-', ' ' (space or comma) */
    const char *text;
    size_t len;
    long num; /* for numbers (at most 9 digits kept) */
} token;

/* Blank and "unknown" markers, compared after folding. */
static const char *const UNKNOWN[] = {
    "",          "-",          "--",          "—",         "?",   "??",       "н/д",
    "н/в",       "немає",      "нема",        "нет",       "x",   "невідомо", "невідома",
    "не відомо", "неизвестно", "не известно", "unknown",   "n/a", "na",       "nan",
    "null",      "none",       "0000-00-00",  "00.00.0000"};

/* Words that make a year approximate; matched as whole words, a dot may follow. */
static const char *const APPROX[] = {
    "близько", "приблизно", "прибл",          "орієнтовно", "орієнт", "біля",
    "около",   "примерно",  "ориентировочно", "ок",         "бл",     "circa",
    "ca",      "c",         "approx",         "about",      "around", "abt"};

/* Words after a year that say only "year" or "year of birth": 1985 р.н., 1985 г.р., 1985 рік. */
static const char *const YEAR_WORDS[] = {
    "р",    "рр",   "г",  "гг",   "н", "рн",         "гр",       "рік",    "року", "год",
    "года", "year", "yr", "born", "b", "народження", "рождения", "народж", "рожд"};

/* Endings of a decade: 1980-ті, 1980-х, 1980-е, 1980-ые, 1980s, 80-тих. */
static const char *const DECADE_WORDS[] = {"ті", "х", "е", "ые", "і", "s", "тих", "их", "ых", "x"};

struct month_stem {
    const char *stem;
    int month;
};

/* Month names in Ukrainian, Russian and English, any case form: matched by their stems.
 * "мая"/"май" are checked whole before the stem "мар" of "марта". */
static const struct month_stem MONTHS[] = {
    {"січ", 1},  {"лют", 2},  {"берез", 3}, {"квіт", 4},  {"трав", 5},    {"черв", 6},
    {"лип", 7},  {"серп", 8}, {"верес", 9}, {"жовт", 10}, {"листоп", 11}, {"груд", 12},
    {"янв", 1},  {"фев", 2},  {"мар", 3},   {"апр", 4},   {"мая", 5},     {"май", 5},
    {"июн", 6},  {"июл", 7},  {"авг", 8},   {"сен", 9},   {"окт", 10},    {"ноя", 11},
    {"дек", 12}, {"jan", 1},  {"feb", 2},   {"mar", 3},   {"apr", 4},     {"may", 5},
    {"jun", 6},  {"jul", 7},  {"aug", 8},   {"sep", 9},   {"oct", 10},    {"nov", 11},
    {"dec", 12}, {"i", 1},    {"ii", 2},    {"iii", 3},   {"iv", 4},      {"v", 5},
    {"vi", 6},   {"vii", 7},  {"viii", 8},  {"ix", 9},    {"x", 10},      {"xi", 11},
    {"xii", 12}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool word_is(const token *t, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == t->len && memcmp(list[i], t->text, t->len) == 0)
            return true;
    return false;
}

/* The month a word names, or 0. Roman numerals must be whole; names may be abbreviated to
 * their stem ("бер.", "Sept") but must start with it. */
static int month_of(const token *t)
{
    for (size_t i = 0; i < COUNT(MONTHS); i++) {
        size_t n = strlen(MONTHS[i].stem);
        bool roman =
            MONTHS[i].stem[0] == 'i' || MONTHS[i].stem[0] == 'v' || MONTHS[i].stem[0] == 'x';
        if (roman) {
            if (t->len == n && memcmp(t->text, MONTHS[i].stem, n) == 0)
                return MONTHS[i].month;
            continue;
        }
        if (t->len >= n && memcmp(t->text, MONTHS[i].stem, n) == 0)
            return MONTHS[i].month;
    }
    /* Short Ukrainian abbreviations that are shorter than the stems above. */
    static const struct month_stem SHORT[] = {{"бер", 3},  {"кві", 4},  {"тра", 5},
                                              {"чер", 6},  {"сер", 8},  {"вер", 9},
                                              {"жов", 10}, {"лис", 11}, {"гру", 12}};
    for (size_t i = 0; i < COUNT(SHORT); i++)
        if (t->len == strlen(SHORT[i].stem) && memcmp(t->text, SHORT[i].stem, t->len) == 0)
            return SHORT[i].month;
    return 0;
}

static bool is_letter_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0x80 || c == '\'';
}

/* Cuts folded text into tokens; false when a character fits no token or there are too many. */
static bool tokenize(const char *s, token *toks, size_t *count)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (n == MAX_TOKENS)
            return false;
        token *t = &toks[n];
        t->text = (const char *)p;
        t->num = 0;
        if (*p >= '0' && *p <= '9') {
            t->cls = 'N';
            while (*p >= '0' && *p <= '9') {
                if (p - (const unsigned char *)t->text < 9)
                    t->num = t->num * 10 + (*p - '0');
                p++;
            }
        } else if (is_letter_byte(*p)) {
            /* en and em dashes are letters to this test (>= 0x80): take them first */
            if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
                t->cls = '-';
                p += 3;
            } else {
                t->cls = 'W';
                while (is_letter_byte(*p) &&
                       !(p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)))
                    p++;
            }
        } else if (*p == '~') {
            t->cls = 'W';
            p++;
        } else if (*p == '.' || *p == '/' || *p == '-') {
            t->cls = (char)*p;
            p++;
        } else if (*p == ' ' || *p == ',' || *p == '\t') {
            t->cls = ' ';
            while (*p == ' ' || *p == ',' || *p == '\t')
                p++;
        } else {
            return false;
        }
        t->len = (size_t)(p - (const unsigned char *)t->text);
        /* a space next to another separator adds nothing: "12. 03. 1985", "1980 - 1985" */
        if (t->cls == ' ' && n > 0 && strchr("./-", toks[n - 1].cls))
            continue;
        if (n > 0 && toks[n - 1].cls == ' ' && strchr("./-", t->cls)) {
            toks[n - 1] = *t;
            continue;
        }
        n++;
    }
    *count = n;
    return true;
}

static size_t ndigits(const token *t)
{
    return t->len;
}

/* Two-digit years: 20YY when that is not after this year, else 19YY. */
static int full_year(const token *t, int this_year)
{
    if (ndigits(t) == 4)
        return (int)t->num;
    if (ndigits(t) <= 2)
        return 2000 + (int)t->num <= this_year ? 2000 + (int)t->num : 1900 + (int)t->num;
    return -1;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d[m - 1] + (m == 2 && leap);
}

static rz_status set_day(int y, int m, int d, rz_date_range *out, rz_error *err)
{
    if (!rz_date_valid(y, m, d))
        return rz_error_set(err, RZ_ERANGE, "day %d of month %d of %d is not a calendar date", d, m,
                            y);
    out->from = out->to = rz_days_from_ymd(y, m, d);
    out->precision = RZ_PREC_DAY;
    return RZ_OK;
}

static rz_status set_month(int y, int m, rz_date_range *out, rz_error *err)
{
    if (m < 1 || m > 12 || y < 1 || y > 9999)
        return rz_error_set(err, RZ_ERANGE, "month %d of %d is not a calendar month", m, y);
    out->from = rz_days_from_ymd(y, m, 1);
    out->to = rz_days_from_ymd(y, m, month_days(y, m));
    out->precision = RZ_PREC_MONTH;
    return RZ_OK;
}

static rz_status set_years(int y1, int y2, rz_date_precision p, rz_date_range *out, rz_error *err)
{
    if (y1 < 1 || y2 > 9999 || y1 > y2)
        return rz_error_set(err, RZ_EPARSE, "year range %d-%d is reversed or impossible", y1, y2);
    out->from = rz_days_from_ymd(y1, 1, 1);
    out->to = rz_days_from_ymd(y2, 12, 31);
    out->precision = p;
    return RZ_OK;
}

/* Day, month, year in the order given by the separator and the options; flags ambiguity. */
static rz_status numeric_dmy(long a, long b, int year, char sep, const rz_date_opts *o,
                             rz_date_range *out, rz_error *err)
{
    long day = a, month = b;
    if (sep == '/' && o->order == RZ_ORDER_MDY) {
        day = b;
        month = a;
    }
    bool swapped = rz_date_valid(year, (int)day, (int)month);
    if (!rz_date_valid(year, (int)month, (int)day) && swapped) {
        /* only the other order is a date (25/03 read month-first): take it, not ambiguous */
        long t = day;
        day = month;
        month = t;
        swapped = false;
    }
    rz_status st = set_day(year, (int)month, (int)day, out, err);
    if (st == RZ_OK && sep == '/' && swapped && day != month)
        out->dm_ambiguous = true;
    return st;
}

static bool sep_cls(char c)
{
    return c == '.' || c == '/' || c == '-';
}

/* The readings, by the shape of the token sequence. */
static rz_status read_tokens(token *t, size_t n, bool approx, const rz_date_opts *o,
                             rz_date_range *out, rz_error *err)
{
    int y0, m0, d0;
    rz_days_to_ymd(o->today, &y0, &m0, &d0);
    char shape[MAX_TOKENS + 1];
    for (size_t i = 0; i < n; i++)
        shape[i] = t[i].cls;
    shape[n] = '\0';

    /* 1985 / ~1985 / 19850312 / 12031985 */
    if (strcmp(shape, "N") == 0) {
        if (ndigits(&t[0]) == 4) {
            int y = (int)t[0].num;
            return approx ? set_years(y - 2, y + 2, RZ_PREC_RANGE, out, err)
                          : set_years(y, y, RZ_PREC_YEAR, out, err);
        }
        if (ndigits(&t[0]) == 8) {
            long v = t[0].num;
            int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
            if (y >= 1000 && rz_date_valid(y, m, d))
                return set_day(y, m, d, out, err);
            d = (int)(v / 1000000);
            m = (int)(v / 10000 % 100);
            y = (int)(v % 10000);
            return set_day(y, m, d, out, err);
        }
        return rz_error_set(err, RZ_EPARSE, "a number of %zu digits is not a date", ndigits(&t[0]));
    }
    /* 12.03.1985, 12/03/1985, 12-03-1985, 12.03.85, 1985-03-12, 1985.03.12 */
    if (n == 5 && t[0].cls == 'N' && sep_cls(t[1].cls) && t[2].cls == 'N' && t[3].cls == t[1].cls &&
        t[4].cls == 'N') {
        if (ndigits(&t[0]) == 4 && ndigits(&t[2]) <= 2 && ndigits(&t[4]) <= 2)
            return set_day((int)t[0].num, (int)t[2].num, (int)t[4].num, out, err);
        if (ndigits(&t[0]) <= 2 && ndigits(&t[2]) <= 2 &&
            (ndigits(&t[4]) == 4 || ndigits(&t[4]) == 2))
            return numeric_dmy(t[0].num, t[2].num, full_year(&t[4], y0), t[1].cls, o, out, err);
        return rz_error_set(err, RZ_EPARSE, "numbers of this length do not make a date");
    }
    /* 03.1985, 3/1985, 1985-03, 1980-1985, 1984/1985, 80-85 */
    if (n == 3 && t[0].cls == 'N' && sep_cls(t[1].cls) && t[2].cls == 'N') {
        size_t a = ndigits(&t[0]), b = ndigits(&t[2]);
        if (a <= 2 && b == 4)
            return set_month((int)t[2].num, (int)t[0].num, out, err);
        if (a == 4 && b <= 2 && t[1].cls != '/') {
            if (t[2].num >= 1 && t[2].num <= 12)
                return set_month((int)t[0].num, (int)t[2].num, out, err);
            /* 1980-85: a range written short */
            int y2 = (int)(t[0].num / 100 * 100 + t[2].num);
            return set_years((int)t[0].num, y2, RZ_PREC_RANGE, out, err);
        }
        if (a == 4 && b == 4 && (t[1].cls == '-' || t[1].cls == '/'))
            return set_years((int)t[0].num, (int)t[2].num, RZ_PREC_RANGE, out, err);
        return rz_error_set(err, RZ_EPARSE, "numbers of this length do not make a date");
    }
    /* 1980-ті, 1980s, 80-х */
    if ((n == 3 && t[0].cls == 'N' && t[1].cls == '-' && t[2].cls == 'W' &&
         word_is(&t[2], DECADE_WORDS, COUNT(DECADE_WORDS))) ||
        (n == 2 && t[0].cls == 'N' && t[1].cls == 'W' &&
         word_is(&t[1], DECADE_WORDS, COUNT(DECADE_WORDS)))) {
        int y = ndigits(&t[0]) == 4   ? (int)t[0].num
                : ndigits(&t[0]) == 2 ? 1900 + (int)t[0].num
                                      : -1;
        if (y < 0 || y % 10 != 0)
            return rz_error_set(err, RZ_EPARSE, "a decade is written like 1980-ті or 1980s");
        return set_years(y, y + 9, RZ_PREC_DECADE, out, err);
    }
    /* 12 березня 1985, 12 марта 1985, 12 March 1985, 12.III.1985, 12-mar-1985 */
    if (n == 5 && t[0].cls == 'N' && (t[1].cls == ' ' || sep_cls(t[1].cls)) && t[2].cls == 'W' &&
        (t[3].cls == ' ' || sep_cls(t[3].cls)) && t[4].cls == 'N') {
        int m = month_of(&t[2]);
        if (m == 0)
            return rz_error_set(err, RZ_EPARSE, "'%.*s' is not a month", (int)t[2].len, t[2].text);
        int y = full_year(&t[4], y0);
        if (ndigits(&t[0]) > 2 || y < 0)
            return rz_error_set(err, RZ_EPARSE, "day or year has too many digits");
        return set_day(y, m, (int)t[0].num, out, err);
    }
    /* March 12, 1985 / March 12 1985 */
    if (n == 5 && t[0].cls == 'W' && t[1].cls == ' ' && t[2].cls == 'N' && t[3].cls == ' ' &&
        t[4].cls == 'N') {
        int m = month_of(&t[0]);
        if (m == 0 || ndigits(&t[2]) > 2 || ndigits(&t[4]) != 4)
            return rz_error_set(err, RZ_EPARSE, "not a date of the form 'March 12, 1985'");
        return set_day((int)t[4].num, m, (int)t[2].num, out, err);
    }
    /* березень 1985, March 1985, бер. 1985 */
    if (n == 3 && t[0].cls == 'W' && (t[1].cls == ' ' || t[1].cls == '.') && t[2].cls == 'N') {
        int m = month_of(&t[0]);
        if (m == 0 || ndigits(&t[2]) != 4)
            return rz_error_set(err, RZ_EPARSE, "'%.*s' is not a month", (int)t[0].len, t[0].text);
        return set_month((int)t[2].num, m, out, err);
    }
    return rz_error_set(err, RZ_EPARSE, "not a date format rozshuk knows");
}

/* Removes an approximation word or sign at the start; returns true when there was one. */
static bool strip_approx(token *t, size_t *n)
{
    if (*n == 0)
        return false;
    size_t skip = 0;
    if (t[0].cls == 'W' && word_is(&t[0], APPROX, COUNT(APPROX)))
        skip = 1;
    else if (t[0].cls == 'W' && t[0].len >= 1 &&
             (memcmp(t[0].text, "~", 1) == 0 || memcmp(t[0].text, "\xE2\x89\x88", 3) == 0))
        skip = 1;
    if (skip == 0)
        return false;
    while (skip < *n && (t[skip].cls == '.' || t[skip].cls == ' '))
        skip++;
    memmove(t, t + skip, (*n - skip) * sizeof *t);
    *n -= skip;
    return true;
}

/* Removes the words that only say "year (of birth)" after the last number: 1985 р.н. */
static void strip_year_words(token *t, size_t *n)
{
    size_t k = *n;
    while (k > 0 && (t[k - 1].cls == '.' || t[k - 1].cls == ' ' ||
                     (t[k - 1].cls == 'W' && word_is(&t[k - 1], YEAR_WORDS, COUNT(YEAR_WORDS)))))
        k--;
    /* keep a trailing "." only if nothing was stripped and it belongs to the date: none do */
    if (k > 0 && k < *n && t[k - 1].cls == 'N')
        *n = k;
    while (*n > 0 && (t[*n - 1].cls == ' ' || t[*n - 1].cls == '.'))
        (*n)--;
    while (*n > 0 && t[0].cls == ' ')
        memmove(t, t + 1, --(*n) * sizeof *t);
}

/* Cuts a time of day off: "1985-03-12T00:00:00", "12.03.1985 0:00:00". */
static void cut_time(char *s)
{
    size_t len = strlen(s);
    if (len >= 11 && s[4] == '-' && s[7] == '-' && (s[10] == 't' || s[10] == ' ')) {
        s[10] = '\0';
        return;
    }
    char *colon = strchr(s, ':');
    if (colon == NULL)
        return;
    while (colon > s && colon[-1] != ' ')
        colon--;
    if (colon > s)
        colon[-1] = '\0';
}

static rz_status plausible(rz_date_range *out, const rz_date_opts *o, const char *what,
                           rz_error *err)
{
    char a[11], b[11];
    if (out->to < o->earliest)
        return rz_error_set(err, RZ_ERANGE, "%s%s is before %s", what, rz_days_format(out->to, a),
                            rz_days_format(o->earliest, b));
    if (out->from > o->today)
        return rz_error_set(err, RZ_ERANGE, "%s%s is in the future", what,
                            rz_days_format(out->from, a));
    if (out->from < o->earliest)
        out->from = o->earliest;
    if (out->to > o->today)
        out->to = o->today;
    return RZ_OK;
}

static rz_status fold_input(const char *text, char *buf, size_t cap, rz_error *err)
{
    size_t len = strlen(text);
    if (len > RZ_DATE_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "date longer than %d bytes", RZ_DATE_TEXT_MAX);
    if (rz__utf8_check(text, len) != len)
        return rz_error_set(err, RZ_EUTF8, "date is not valid UTF-8");
    if (!rz__fold(text, len, buf, cap, false))
        return rz_error_set(err, RZ_ETOOLONG, "date too long");
    /* trim */
    size_t a = 0, n = strlen(buf);
    while (a < n && (buf[a] == ' ' || buf[a] == '\t'))
        a++;
    while (n > a && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        n--;
    memmove(buf, buf + a, n - a);
    buf[n - a] = '\0';
    return RZ_OK;
}

static bool is_unknown(const char *s)
{
    for (size_t i = 0; i < COUNT(UNKNOWN); i++)
        if (strcmp(s, UNKNOWN[i]) == 0)
            return true;
    return false;
}

/* "~1985" arrives as one word token "~" glued to the number: split the sign off first. */
static void split_sign(char *s, size_t cap)
{
    if (s[0] == '~' && s[1] != ' ' && strlen(s) + 2 < cap) {
        memmove(s + 2, s + 1, strlen(s));
        s[1] = ' ';
    }
}

rz_status rz_date_parse(const char *text, const rz_date_opts *opts, rz_date_range *out,
                        rz_error *err)
{
    rz_date_opts defaults;
    if (opts == NULL) {
        rz_date_opts_defaults(&defaults);
        opts = &defaults;
    }
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return rz_error_set(err, RZ_EEMPTY, "no date");
    char buf[RZ_DATE_TEXT_MAX * 2 + 8];
    rz_status st = fold_input(text, buf, sizeof buf, err);
    if (st != RZ_OK)
        return st;
    if (is_unknown(buf))
        return rz_error_set(err, RZ_EEMPTY, "no date");
    cut_time(buf);
    split_sign(buf, sizeof buf);
    token t[MAX_TOKENS];
    size_t n = 0;
    if (!tokenize(buf, t, &n))
        return rz_error_set(err, RZ_EPARSE, "'%s' is not a date", text);
    bool approx = strip_approx(t, &n);
    strip_year_words(t, &n);
    if (n == 0)
        return rz_error_set(err, RZ_EPARSE, "'%s' has no date in it", text);
    rz_error inner;
    rz_error_clear(&inner);
    st = read_tokens(t, n, approx, opts, out, &inner);
    if (st != RZ_OK) {
        memset(out, 0, sizeof *out);
        return rz_error_set(err, st, "'%s': %s", text, inner.message);
    }
    st = plausible(out, opts, "", err);
    if (st != RZ_OK)
        memset(out, 0, sizeof *out);
    return st;
}

/* Words after an age: 35 років, 35 лет, 35 years. */
static const char *const AGE_WORDS[] = {"років", "роки", "рік",   "р",    "лет", "года",
                                        "год",   "г",    "years", "year", "yrs", "yr",
                                        "y",     "yo",   "ти",    "ть",   "ми"};

rz_status rz_age_parse(const char *text, int32_t reference, rz_date_range *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return rz_error_set(err, RZ_EEMPTY, "no age");
    char buf[RZ_DATE_TEXT_MAX * 2 + 8];
    rz_status st = fold_input(text, buf, sizeof buf, err);
    if (st != RZ_OK)
        return st;
    if (is_unknown(buf))
        return rz_error_set(err, RZ_EEMPTY, "no age");
    split_sign(buf, sizeof buf);
    token t[MAX_TOKENS];
    size_t n = 0;
    if (!tokenize(buf, t, &n))
        return rz_error_set(err, RZ_EPARSE, "'%s' is not an age", text);
    bool approx = strip_approx(t, &n);
    /* drop age words and separators at the end: "30-40 р.", "35-ти років" */
    while (n > 0 && (t[n - 1].cls == ' ' || t[n - 1].cls == '.' ||
                     (t[n - 1].cls == 'W' && word_is(&t[n - 1], AGE_WORDS, COUNT(AGE_WORDS))) ||
                     (t[n - 1].cls == '-' && n > 1 && t[n - 2].cls == 'N')))
        n--;
    long lo, hi;
    if (n == 1 && t[0].cls == 'N') {
        lo = hi = t[0].num;
        if (approx) {
            lo = lo >= 2 ? lo - 2 : 0;
            hi = hi + 2;
        }
    } else if (n == 3 && t[0].cls == 'N' && (t[1].cls == '-' || t[1].cls == '/') &&
               t[2].cls == 'N') {
        lo = t[0].num;
        hi = t[2].num;
    } else {
        return rz_error_set(err, RZ_EPARSE, "'%s' is not an age (write 35, 30-40 or ~35)", text);
    }
    if (lo > hi)
        return rz_error_set(err, RZ_EPARSE, "age range '%s' is reversed", text);
    if (hi > 120)
        return rz_error_set(err, RZ_ERANGE, "age %ld is not plausible (over 120)", hi);
    /* Age A at day R: born after R minus (A+1) years, and on or before R minus A years. */
    int y, m, d;
    rz_days_to_ymd(reference, &y, &m, &d);
    int dd = (m == 2 && d == 29) ? 28 : d;
    out->from = rz_days_from_ymd(y - (int)hi - 1, m, dd) + 1;
    out->to = rz_days_from_ymd(y - (int)lo, m, dd);
    out->precision = RZ_PREC_AGE;
    return RZ_OK;
}
