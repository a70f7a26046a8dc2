/* test_status.c: status codes and error details, as every caller of the library relies on. */
#include <criterion/criterion.h>

#include "rozshuk/rozshuk.h"

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
