/* test_similarity.c: Jaro-Winkler and Damerau-Levenshtein over code points, as the names and
 * places comparisons rely on. Reference values from Winkler (1990) and jellyfish. */
#include <criterion/criterion.h>

#include "rozshuk/similarity.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static double jw(const char *a, const char *b)
{
    double out = -2.0;
    cr_assert_eq(rz_jaro_winkler_utf8(a, b, &out, NULL), RZ_OK);
    return out;
}

static size_t dl(const char *a, const char *b)
{
    size_t out = 0;
    cr_assert_eq(rz_damerau_levenshtein_utf8(a, b, &out, NULL), RZ_OK);
    return out;
}

Test(similarity, jaro_winkler_matches_the_published_examples)
{
    /* Winkler 1990 / jellyfish: MARTHA-MARHTA 0.9611, DWAYNE-DUANE 0.84, DIXON-DICKSONX 0.8133 */
    cr_assert(fabs(jw("MARTHA", "MARHTA") - 0.9611) < 1e-4, "%f", jw("MARTHA", "MARHTA"));
    cr_assert(fabs(jw("DWAYNE", "DUANE") - 0.84) < 1e-4);
    cr_assert(fabs(jw("DIXON", "DICKSONX") - 0.8133) < 1e-4);
    cr_assert_eq(jw("", ""), 1.0);
    cr_assert_eq(jw("abc", ""), 0.0);
    cr_assert_eq(jw("Клименко", "Клименко"), 1.0);
}

Test(similarity, counts_code_points_not_bytes)
{
    /* Cyrillic letters are two bytes each: one substitution is distance 1, not 2 */
    cr_assert_eq(dl("Клименко", "Клименка"), 1);
    cr_assert_eq(dl("Олександр", "Олесандр"), 1);
    cr_assert(fabs(jw("Марія", "Мария") - jw("Maria", "Marya")) < 1e-12);
}

Test(similarity, damerau_levenshtein_counts_a_transposition_as_one)
{
    cr_assert_eq(dl("Климнеко", "Клименко"), 1);
    cr_assert_eq(dl("Шевченко", "Шевчук"), 3);
    cr_assert_eq(dl("", "Іван"), 4);
    cr_assert_eq(dl("CA", "ABC"), 3); /* optimal string alignment, not unrestricted DL (2) */
}

Test(similarity, rejects_bad_input_with_an_error)
{
    double d;
    size_t n;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_jaro_winkler_utf8("\xff\xfe", "a", &d, &err), RZ_EUTF8);
    cr_assert_eq(rz_damerau_levenshtein_utf8(NULL, "a", &n, &err), RZ_EINVAL);
    char longer[RZ_SIMILARITY_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    cr_assert_eq(rz_jaro_winkler_utf8(longer, "a", &d, &err), RZ_ETOOLONG);
    cr_assert_not_null(strstr(err.message, "256"));
    uint32_t cp[RZ_SIMILARITY_MAX + 1] = {0};
    cr_assert_eq(rz_jaro_winkler(cp, RZ_SIMILARITY_MAX + 1, cp, 1), -1.0);
    cr_assert_eq(rz_damerau_levenshtein(cp, RZ_SIMILARITY_MAX + 1, cp, 1), SIZE_MAX);
}
