/* test_dates.c: dates and ages as registers write them, read into ranges with a precision. */
#include <criterion/criterion.h>

#include "rozshuk/load.h"

#include <string.h>

struct date_case {
    const char *text;
    const char *from, *to; /* YYYY-MM-DD */
    rz_date_precision precision;
    bool ambiguous;
};

/* "Today" is fixed so that the table does not change with the clock. */
static rz_date_opts opts_at(int y, int m, int d)
{
    rz_date_opts o;
    rz_date_opts_defaults(&o);
    o.today = rz_days_from_ymd(y, m, d);
    return o;
}

static const struct date_case CASES[] = {
    {"12.03.1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"1985-03-12", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12/03/1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, true},
    {"03/04/1985", "1985-04-03", "1985-04-03", RZ_PREC_DAY, true},
    {"31/12/1999", "1999-12-31", "1999-12-31", RZ_PREC_DAY, false},
    {"05/05/1985", "1985-05-05", "1985-05-05", RZ_PREC_DAY, false},
    {"03/25/1985", "1985-03-25", "1985-03-25", RZ_PREC_DAY, false},
    {"12.03.85", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"01.05.05", "2005-05-01", "2005-05-01", RZ_PREC_DAY, false},
    {"01.05.30", "1930-05-01", "1930-05-01", RZ_PREC_DAY, false},
    {"12.3.1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"1.1.2000", "2000-01-01", "2000-01-01", RZ_PREC_DAY, false},
    {"29.02.2000", "2000-02-29", "2000-02-29", RZ_PREC_DAY, false},
    {"12-03-1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"1985.03.12", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"1985-03-12T00:00:00", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12.03.1985 0:00:00", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"  12.03.1985  ", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12. 03. 1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"19850312", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12031985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12 березня 1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12 березня 1985 р.", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"7 січня 2001 р.", "2001-01-07", "2001-01-07", RZ_PREC_DAY, false},
    {"12 листопада 1941", "1941-11-12", "1941-11-12", RZ_PREC_DAY, false},
    {"20 жовтня 1975", "1975-10-20", "1975-10-20", RZ_PREC_DAY, false},
    {"1 вересня 1939", "1939-09-01", "1939-09-01", RZ_PREC_DAY, false},
    {"12 марта 1985 г.", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"3 мая 1990", "1990-05-03", "1990-05-03", RZ_PREC_DAY, false},
    {"12 March 1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"March 12, 1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12-MAR-1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"12.III.1985", "1985-03-12", "1985-03-12", RZ_PREC_DAY, false},
    {"03.1985", "1985-03-01", "1985-03-31", RZ_PREC_MONTH, false},
    {"02.2000", "2000-02-01", "2000-02-29", RZ_PREC_MONTH, false},
    {"1985-03", "1985-03-01", "1985-03-31", RZ_PREC_MONTH, false},
    {"березень 1985", "1985-03-01", "1985-03-31", RZ_PREC_MONTH, false},
    {"бер. 1985", "1985-03-01", "1985-03-31", RZ_PREC_MONTH, false},
    {"Dec 1990", "1990-12-01", "1990-12-31", RZ_PREC_MONTH, false},
    {"1985", "1985-01-01", "1985-12-31", RZ_PREC_YEAR, false},
    {"1985 р.н.", "1985-01-01", "1985-12-31", RZ_PREC_YEAR, false},
    {"1985 г.р.", "1985-01-01", "1985-12-31", RZ_PREC_YEAR, false},
    {"1985 р.", "1985-01-01", "1985-12-31", RZ_PREC_YEAR, false},
    {"1985 рік", "1985-01-01", "1985-12-31", RZ_PREC_YEAR, false},
    {"~1985", "1983-01-01", "1987-12-31", RZ_PREC_RANGE, false},
    {"близько 1985", "1983-01-01", "1987-12-31", RZ_PREC_RANGE, false},
    {"около 1985 г.", "1983-01-01", "1987-12-31", RZ_PREC_RANGE, false},
    {"circa 1985", "1983-01-01", "1987-12-31", RZ_PREC_RANGE, false},
    {"1980-1985", "1980-01-01", "1985-12-31", RZ_PREC_RANGE, false},
    {"1980 - 1985", "1980-01-01", "1985-12-31", RZ_PREC_RANGE, false},
    {"1980\xE2\x80\x93"
     "1985",
     "1980-01-01", "1985-12-31", RZ_PREC_RANGE, false},
    {"1984/1985", "1984-01-01", "1985-12-31", RZ_PREC_RANGE, false},
    {"1980-85", "1980-01-01", "1985-12-31", RZ_PREC_RANGE, false},
    {"1980-ті", "1980-01-01", "1989-12-31", RZ_PREC_DECADE, false},
    {"1980-х", "1980-01-01", "1989-12-31", RZ_PREC_DECADE, false},
    {"1980s", "1980-01-01", "1989-12-31", RZ_PREC_DECADE, false},
    {"80-ті", "1980-01-01", "1989-12-31", RZ_PREC_DECADE, false},
    /* the current year is cut at today */
    {"2025", "2025-01-01", "2025-06-30", RZ_PREC_YEAR, false},
};

static void check_case(const struct date_case *c, const rz_date_opts *o)
{
    rz_date_range r;
    rz_error err;
    rz_error_clear(&err);
    rz_status st = rz_date_parse(c->text, o, &r, &err);
    cr_assert_eq(st, RZ_OK, "'%s': %s", c->text, err.message);
    char from[11], to[11];
    rz_days_format(r.from, from);
    rz_days_format(r.to, to);
    cr_expect_str_eq(from, c->from, "'%s' from %s, expected %s", c->text, from, c->from);
    cr_expect_str_eq(to, c->to, "'%s' to %s, expected %s", c->text, to, c->to);
    cr_expect_eq(r.precision, c->precision, "'%s' precision %s, expected %s", c->text,
                 rz_date_precision_name(r.precision), rz_date_precision_name(c->precision));
    cr_expect_eq(r.dm_ambiguous, c->ambiguous, "'%s' ambiguity", c->text);
}

Test(dates, real_world_strings_become_ranges_with_their_precision)
{
    rz_date_opts o = opts_at(2025, 6, 30);
    cr_assert_geq(sizeof CASES / sizeof CASES[0], 40);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_case(&CASES[i], &o);
}

Test(dates, us_order_reads_slashed_dates_month_first_and_flags_ambiguity)
{
    rz_date_opts o = opts_at(2025, 6, 30);
    o.order = RZ_ORDER_MDY;
    struct date_case us[] = {
        {"03/04/1985", "1985-03-04", "1985-03-04", RZ_PREC_DAY, true},
        {"12/25/1985", "1985-12-25", "1985-12-25", RZ_PREC_DAY, false},
        /* dotted dates stay day-first whatever the option: that is how they are written */
        {"03.04.1985", "1985-04-03", "1985-04-03", RZ_PREC_DAY, false},
    };
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++)
        check_case(&us[i], &o);
}

Test(dates, blanks_and_unknown_markers_are_empty_not_errors)
{
    rz_date_opts o = opts_at(2025, 6, 30);
    const char *blank[] = {"",           "   ",     "-",   "невідомо", "Невідомо",
                           "неизвестно", "unknown", "н/д", "N/A",      "?"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        rz_date_range r;
        cr_expect_eq(rz_date_parse(blank[i], &o, &r, NULL), RZ_EEMPTY, "'%s'", blank[i]);
        cr_expect_eq(r.precision, RZ_PREC_NONE);
    }
}

Test(dates, absurd_and_impossible_dates_are_rejected_with_a_reason)
{
    rz_date_opts o = opts_at(2025, 6, 30);
    struct {
        const char *text;
        rz_status st;
        const char *says;
    } bad[] = {
        {"2090", RZ_ERANGE, "in the future"},
        {"12.03.2090", RZ_ERANGE, "in the future"},
        {"1850", RZ_ERANGE, "before 1880"},
        {"31.02.1985", RZ_ERANGE, "not a calendar date"},
        {"32.01.1985", RZ_ERANGE, "not a calendar date"},
        {"13.13.1985", RZ_ERANGE, "not a calendar date"},
        {"1990-1980", RZ_EPARSE, "reversed"},
        {"абв", RZ_EPARSE, "not a date"},
        {"12.13.14.15", RZ_EPARSE, ""},
        {"12 смарагда 1985", RZ_EPARSE, "not a month"},
        {"123", RZ_EPARSE, "digits"},
        {"\xff\xfe"
         "1985",
         RZ_EUTF8, "UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rz_date_range r;
        rz_error err;
        rz_error_clear(&err);
        cr_expect_eq(rz_date_parse(bad[i].text, &o, &r, &err), bad[i].st, "'%s': got %s (%s)",
                     bad[i].text, rz_status_name(err.status), err.message);
        cr_expect_not_null(strstr(err.message, bad[i].says), "'%s': %s", bad[i].text, err.message);
    }
    char huge[300];
    memset(huge, '1', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    rz_date_range r;
    cr_expect_eq(rz_date_parse(huge, &o, &r, NULL), RZ_ETOOLONG);
}

Test(dates, ages_become_birth_ranges_at_the_reference_day)
{
    int32_t ref = rz_days_from_ymd(2024, 5, 1);
    struct {
        const char *text;
        const char *from, *to;
    } ages[] = {
        {"35", "1988-05-02", "1989-05-01"},         {"35 років", "1988-05-02", "1989-05-01"},
        {"30-40", "1983-05-02", "1994-05-01"},      {"30–40 років", "1983-05-02", "1994-05-01"},
        {"35-40 лет", "1983-05-02", "1989-05-01"},  {"~35", "1986-05-02", "1991-05-01"},
        {"близько 40", "1981-05-02", "1986-05-01"}, {"25 years", "1998-05-02", "1999-05-01"},
    };
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
        rz_date_range r;
        rz_error err;
        rz_error_clear(&err);
        cr_assert_eq(rz_age_parse(ages[i].text, ref, &r, &err), RZ_OK, "'%s': %s", ages[i].text,
                     err.message);
        char a[11], b[11];
        cr_expect_str_eq(rz_days_format(r.from, a), ages[i].from, "'%s'", ages[i].text);
        cr_expect_str_eq(rz_days_format(r.to, b), ages[i].to, "'%s'", ages[i].text);
        cr_expect_eq(r.precision, RZ_PREC_AGE);
    }
    rz_date_range r;
    rz_error err;
    cr_expect_eq(rz_age_parse("300", ref, &r, &err), RZ_ERANGE);
    cr_expect_not_null(strstr(err.message, "over 120"));
    cr_expect_eq(rz_age_parse("40-30", ref, &r, &err), RZ_EPARSE);
    cr_expect_eq(rz_age_parse("молодий", ref, &r, &err), RZ_EPARSE);
    cr_expect_eq(rz_age_parse("", ref, &r, &err), RZ_EEMPTY);
}
