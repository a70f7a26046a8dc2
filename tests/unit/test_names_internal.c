/* test_names_internal.c: the pieces under the names API that have published reference values:
 * Daitch-Mokotoff Soundex with its branches, and skeleton rendering. */
#include <criterion/criterion.h>

#include "names/skeleton.h"

#include <string.h>

static bool has_code(char (*codes)[7], size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], want) == 0)
            return true;
    return false;
}

Test(names_internal, daitch_mokotoff_matches_the_published_codes)
{
    /* Examples from Gary Mokotoff's description and Stephen P. Morse's calculator */
    char codes[16][7];
    size_t n = rz__dm_soundex("peters", codes, 16); /* rs codes two ways */
    cr_assert_eq(n, 2);
    cr_assert(has_code(codes, n, "739400") && has_code(codes, n, "734000"));
    n = rz__dm_soundex("auerbach", codes, 16); /* ch codes two ways */
    cr_assert_eq(n, 2);
    cr_assert(has_code(codes, n, "097500") && has_code(codes, n, "097400"));
    n = rz__dm_soundex("moskowitz", codes, 16);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(codes[0], "645740");
    n = rz__dm_soundex("kleinman", codes, 16);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(codes[0], "586660"); /* n m coded both */
    cr_assert_eq(rz__dm_soundex("", codes, 16), 0);
    cr_assert_eq(rz__dm_soundex("123", codes, 16), 0);
}

Test(names_internal, skeleton_of_a_word_and_its_rendering)
{
    const uint32_t shchur[] = {0x449, 0x443, 0x440}; /* щур */
    rz__skel sk[RZ__SKEL_VARIANTS];
    size_t n = rz__skeleton_word(shchur, 3, sk);
    cr_assert_eq(n, 1, "a Cyrillic word has one reading");
    char text[2 * RZ__SKEL_MAX + 1];
    rz__skeleton_render(&sk[0], text, sizeof text);
    cr_assert_str_eq(text, "shur");
    const uint32_t chomenko[] = {'c', 'h', 'o', 'm', 'e', 'n', 'k', 'o'};
    n = rz__skeleton_word(chomenko, 8, sk);
    cr_assert_geq(n, 2, "ch reads as English ч and as Polish/German х");
    rz__skeleton_render(&sk[0], text, sizeof text);
    cr_assert_str_eq(text, "chomenko");
    rz__skeleton_render(&sk[1], text, sizeof text);
    cr_assert_str_eq(text, "khomenko");
    rz__skel petrova = {.s = "petrova", .len = 7};
    rz__skeleton_fold_gender(&petrova);
    cr_assert_eq(petrova.len, 6);
    cr_assert_eq(memcmp(petrova.s, "petrov", 6), 0);
}
