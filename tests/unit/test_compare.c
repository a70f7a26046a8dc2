/* test_compare.c: comparison levels of birth dates, sex, places, identifiers and the remains
 * timeline. */
#include <criterion/criterion.h>

#include "rozshuk/compare.h"

#include <stdio.h>

static rz_date_range day(int y, int m, int d)
{
    int32_t n = rz_days_from_ymd(y, m, d);
    return (rz_date_range){n, n, RZ_PREC_DAY, false};
}

static rz_date_range span(int y0, int m0, int d0, int y1, int m1, int d1, rz_date_precision p)
{
    return (rz_date_range){rz_days_from_ymd(y0, m0, d0), rz_days_from_ymd(y1, m1, d1), p, false};
}

static rz_birth_level birth(rz_date_range a, rz_date_range b)
{
    rz_birth_level l = rz_compare_birth(&a, &b);
    cr_assert_eq(rz_compare_birth(&b, &a), l, "birth comparison is not symmetric");
    return l;
}

Test(compare, birth_exact_and_missing)
{
    cr_assert_eq(birth(day(1985, 3, 12), day(1985, 3, 12)), RZ_BIRTH_EXACT);
    rz_date_range none = {0, 0, RZ_PREC_NONE, false};
    cr_assert_eq(birth(day(1985, 3, 12), none), RZ_BIRTH_MISSING);
}

Test(compare, birth_day_and_month_swapped)
{
    cr_assert_eq(birth(day(1985, 4, 3), day(1985, 3, 4)), RZ_BIRTH_DM_SWAPPED);
    /* the same day and month is not "swapped" but exact */
    cr_assert_eq(birth(day(1985, 5, 5), day(1985, 5, 5)), RZ_BIRTH_EXACT);
}

Test(compare, birth_one_digit_off)
{
    cr_assert_eq(birth(day(1985, 3, 12), day(1985, 3, 13)), RZ_BIRTH_ONE_DIGIT);
    cr_assert_eq(birth(day(1985, 3, 12), day(1986, 3, 12)), RZ_BIRTH_ONE_DIGIT);
    cr_assert_eq(birth(day(1985, 3, 12), day(1965, 3, 12)), RZ_BIRTH_ONE_DIGIT);
}

Test(compare, birth_same_month_and_same_year)
{
    cr_assert_eq(birth(day(1985, 3, 12), day(1985, 3, 27)), RZ_BIRTH_MONTH);
    cr_assert_eq(birth(day(1985, 3, 12), day(1985, 10, 27)), RZ_BIRTH_YEAR);
    /* a month-precision date inside the same month */
    cr_assert_eq(birth(day(1985, 3, 12), span(1985, 3, 1, 1985, 3, 31, RZ_PREC_MONTH)),
                 RZ_BIRTH_MONTH);
    /* a year-precision date: the year given alone agrees */
    cr_assert_eq(birth(day(1985, 3, 12), span(1985, 1, 1, 1985, 12, 31, RZ_PREC_YEAR)),
                 RZ_BIRTH_IN_YEAR);
}

Test(compare, birth_within_stated_range_and_far)
{
    /* "30-40 years old" on remains found in 2023: born 1982..1993 */
    rz_date_range age = span(1982, 1, 1, 1993, 12, 31, RZ_PREC_AGE);
    cr_assert_eq(birth(day(1988, 6, 1), age), RZ_BIRTH_RANGE);
    cr_assert_eq(birth(day(1970, 6, 1), age), RZ_BIRTH_FAR);
    cr_assert_eq(birth(day(1970, 6, 1), day(1991, 11, 23)), RZ_BIRTH_FAR);
}

Test(compare, birth_ambiguous_slashed_date_read_the_other_way)
{
    /* 03/04/1985 read as 3 April, the other record says 4 March */
    rz_date_range a = day(1985, 4, 3), b = day(1985, 3, 4);
    a.dm_ambiguous = true;
    cr_assert_eq(rz_compare_birth(&a, &b), RZ_BIRTH_DM_SWAPPED);
}

Test(compare, sex_levels)
{
    cr_assert_eq(rz_compare_sex(RZ_SEX_MALE, RZ_SEX_MALE), RZ_SEXL_SAME);
    cr_assert_eq(rz_compare_sex(RZ_SEX_MALE, RZ_SEX_FEMALE), RZ_SEXL_DIFFERENT);
    cr_assert_eq(rz_compare_sex(RZ_SEX_UNKNOWN, RZ_SEX_FEMALE), RZ_SEXL_MISSING);
}

static rz_identifier id(rz_id_kind kind, const char *value, int valid)
{
    rz_identifier x = {kind, {0}, valid};
    snprintf(x.value, sizeof x.value, "%s", value);
    return x;
}

Test(compare, identifier_levels_with_checksum_status)
{
    rz_identifier a[] = {id(RZ_ID_RNOKPP, "3012509876", 1)};
    rz_identifier same[] = {id(RZ_ID_RNOKPP, "3012509876", 1)};
    rz_identifier other_valid[] = {id(RZ_ID_RNOKPP, "2894107531", 1)};
    rz_identifier other_invalid[] = {id(RZ_ID_RNOKPP, "2894107530", 0)};
    rz_identifier one_off[] = {id(RZ_ID_RNOKPP, "3012509879", 0)};
    rz_identifier passport[] = {id(RZ_ID_PASSPORT, "FE123456", -1)};
    cr_assert_eq(rz_compare_identifiers(a, 1, same, 1), RZ_IDL_SAME);
    cr_assert_eq(rz_compare_identifiers(a, 1, other_valid, 1), RZ_IDL_CONFLICT);
    cr_assert_eq(rz_compare_identifiers(a, 1, other_invalid, 1), RZ_IDL_DIFFERENT);
    cr_assert_eq(rz_compare_identifiers(a, 1, one_off, 1), RZ_IDL_CLOSE);
    cr_assert_eq(rz_compare_identifiers(a, 1, passport, 1), RZ_IDL_MISSING);
    cr_assert_eq(rz_compare_identifiers(a, 1, NULL, 0), RZ_IDL_MISSING);
}

Test(compare, identifier_ocr_confusions_are_close)
{
    rz_identifier a[] = {id(RZ_ID_PASSPORT, "FE1234S6", -1)};
    rz_identifier b[] = {id(RZ_ID_PASSPORT, "FE123456", -1)};
    rz_identifier c[] = {id(RZ_ID_PASSPORT, "FE124356", -1)}; /* transposed digits */
    cr_assert_eq(rz_compare_identifiers(a, 1, b, 1), RZ_IDL_CLOSE);
    cr_assert_eq(rz_compare_identifiers(b, 1, c, 1), RZ_IDL_CLOSE);
}

Test(compare, remains_found_before_last_seen_is_impossible)
{
    rz_match_record missing, remains;
    rz_match_record_init(&missing);
    rz_match_record_init(&remains);
    missing.kind = RZ_KIND_MISSING;
    missing.last_seen = day(2023, 5, 10);
    remains.kind = RZ_KIND_REMAINS;
    remains.found = day(2023, 4, 2);
    cr_assert_eq(rz_compare_timeline(&missing, &remains), RZ_TIME_IMPOSSIBLE);
    cr_assert_eq(rz_compare_timeline(&remains, &missing), RZ_TIME_IMPOSSIBLE);
    remains.found = day(2023, 9, 1);
    cr_assert_eq(rz_compare_timeline(&missing, &remains), RZ_TIME_POSSIBLE);
    /* a month-precision finding in the month of the last sighting stays possible */
    remains.found = span(2023, 5, 1, 2023, 5, 31, RZ_PREC_MONTH);
    cr_assert_eq(rz_compare_timeline(&missing, &remains), RZ_TIME_POSSIBLE);
    missing.last_seen.precision = RZ_PREC_NONE;
    cr_assert_eq(rz_compare_timeline(&missing, &remains), RZ_TIME_MISSING);
}

Test(compare, every_level_has_a_name_and_a_phrase)
{
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        cr_assert_gt(rz_match_field_levels((rz_match_field)f), 1);
        cr_assert_leq(rz_match_field_levels((rz_match_field)f), RZ_LEVELS_MAX);
        for (int l = 0; l < rz_match_field_levels((rz_match_field)f); l++)
            cr_assert_str_neq(rz_match_level_phrase((rz_match_field)f, l), "unknown");
    }
    cr_assert_str_eq(rz_match_level_name(RZ_MF_BIRTH, RZ_BIRTH_DM_SWAPPED), "dm_swapped");
}

/* Places: the settlement of "м. Бахмут, Донецька обл." is the same in any script; a typing
 * error is close; another town is far; no place (NULL, as a record holds it) is missing. */
Test(compare, place_levels_same_close_far_and_unknown)
{
    rz_name_ctx *ctx = NULL;
    cr_assert_eq(rz_name_ctx_open(&ctx, NULL), RZ_OK);
    rz_place bakhmut, latin, typo, odesa, blank;
    cr_assert_eq(rz_place_prepare(ctx, "м. Бахмут, Донецька обл.", &bakhmut, NULL), RZ_OK);
    cr_assert_eq(rz_place_prepare(ctx, "Bakhmut", &latin, NULL), RZ_OK);
    cr_assert_eq(rz_place_prepare(ctx, "Бахмкт", &typo, NULL), RZ_OK);
    cr_assert_eq(rz_place_prepare(ctx, "Одеса", &odesa, NULL), RZ_OK);
    cr_assert_eq(rz_place_prepare(ctx, "  ", &blank, NULL), RZ_OK);
    cr_assert_eq(rz_compare_place(&bakhmut, &latin), RZ_PLACE_SAME);
    cr_assert_eq(rz_compare_place(&bakhmut, &typo), RZ_PLACE_CLOSE);
    cr_assert_eq(rz_compare_place(&bakhmut, &odesa), RZ_PLACE_FAR);
    cr_assert_eq(rz_compare_place(&bakhmut, &blank), RZ_PLACE_MISSING);
    cr_assert_eq(rz_compare_place(&bakhmut, NULL), RZ_PLACE_MISSING);
    cr_assert_eq(rz_compare_place(NULL, NULL), RZ_PLACE_MISSING);
    rz_name_ctx_close(ctx);
}
