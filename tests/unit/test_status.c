/* test_status.c: status codes and error details, as every caller of the library relies on. */
#include <criterion/criterion.h>

#include "grow.h"
#include "rozshuk/rozshuk.h"

#include <stdint.h>

#include <string.h>

Test(status, every_code_has_a_distinct_name_and_text)
{
    for (int i = 0; i < RZ__STATUS_COUNT; i++) {
        const char *name = rz_status_name((rz_status)i);
        cr_assert_str_neq(name, "unknown", "status %d has no name", i);
        cr_assert_str_neq(rz_status_str((rz_status)i), "unknown status");
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(name, rz_status_name((rz_status)j), "duplicate name %s", name);
    }
    cr_assert_eq(RZ_OK, 0);
    cr_assert_str_eq(rz_status_name(RZ_EDBCONN), "dbconn");
}

Test(status, out_of_range_is_unknown_not_a_crash)
{
    cr_assert_str_eq(rz_status_name((rz_status)9999), "unknown");
    cr_assert_str_eq(rz_status_str((rz_status)-1), "unknown status");
}

Test(status, error_set_formats_and_returns_the_code)
{
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_error_set(&err, RZ_EUTF8, "line %d: bad byte 0x%02x", 12, 0xff), RZ_EUTF8);
    cr_assert_eq(err.status, RZ_EUTF8);
    cr_assert_str_eq(err.message, "line 12: bad byte 0xff");
    cr_assert_str_eq(err.sqlstate, "");
    /* a NULL error is allowed: the code still comes back */
    cr_assert_eq(rz_error_set(NULL, RZ_EINVAL, "ignored"), RZ_EINVAL);
    rz_error_clear(NULL);
}

Test(status, long_messages_are_truncated_safely)
{
    rz_error err;
    char big[4000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    rz_error_set(&err, RZ_ETOOLONG, "%s", big);
    cr_assert_eq(strlen(err.message), RZ_ERROR_MESSAGE_MAX - 1);
}

Test(status, version_matches_the_macros)
{
    cr_assert_str_eq(rz_version(), RZ_VERSION_STRING);
}

#include "rozshuk/record.h"

Test(record, day_numbers_round_trip_over_two_centuries)
{
    cr_assert_eq(rz_days_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(rz_days_from_ymd(2000, 3, 1), 11017);
    cr_assert_eq(rz_days_from_ymd(1969, 12, 31), -1);
    for (int32_t d = rz_days_from_ymd(1880, 1, 1); d < rz_days_from_ymd(2100, 1, 1); d += 17) {
        int y, m, dd;
        rz_days_to_ymd(d, &y, &m, &dd);
        cr_assert(rz_date_valid(y, m, dd));
        cr_assert_eq(rz_days_from_ymd(y, m, dd), d);
    }
    char buf[11];
    cr_assert_str_eq(rz_days_format(rz_days_from_ymd(1985, 3, 12), buf), "1985-03-12");
}

Test(record, calendar_validity)
{
    cr_assert(rz_date_valid(2000, 2, 29));
    cr_assert_not(rz_date_valid(1900, 2, 29));
    cr_assert_not(rz_date_valid(1985, 4, 31));
    cr_assert_not(rz_date_valid(1985, 13, 1));
}

Test(record, enum_names_round_trip)
{
    rz_kind k;
    cr_assert_eq(rz_kind_parse("remains", &k), RZ_OK);
    cr_assert_eq(k, RZ_KIND_REMAINS);
    cr_assert_eq(rz_kind_parse("ghost", &k), RZ_EINVAL);
    rz_date_precision p;
    cr_assert_eq(rz_date_precision_parse("month", &p), RZ_OK);
    cr_assert_str_eq(rz_date_precision_name(p), "month");
    rz_id_kind i;
    cr_assert_eq(rz_id_kind_parse("rnokpp", &i), RZ_OK);
    cr_assert_str_eq(rz_id_kind_name(i), "rnokpp");
}

/* Every growing array of the engine (read fields, blocking keys, training pairs) grows this way:
 * by doubling, keeping what it held, and refusing a size that would overflow. */
Test(status, arrays_grow_by_doubling_and_refuse_overflow)
{
    size_t cap = 0;
    int *a = rz__grow(NULL, &cap, sizeof *a, 4);
    cr_assert_not_null(a);
    cr_assert_eq(cap, 4);
    for (int i = 0; i < 4; i++)
        a[i] = i * 7;
    int *b = rz__grow(a, &cap, sizeof *b, 4);
    cr_assert_not_null(b);
    cr_assert_eq(cap, 8);
    cr_assert_eq(b[3], 21, "the first elements are kept");
    size_t huge = SIZE_MAX / 4;
    cr_assert_null(rz__grow(b, &huge, sizeof *b, 4), "a size past SIZE_MAX is refused");
    cr_assert_eq(huge, SIZE_MAX / 4, "and the capacity is left as it was");
    free(b);
}
