/* test_text.c: clean forms, homoglyph repair, script and language, and the errors for input
 * that is not a name, through the public names API. */
#include <criterion/criterion.h>

#include "rozshuk/names.h"

#include <string.h>

static rz_name_ctx *ctx;

static void setup(void)
{
    cr_assert_eq(rz_name_ctx_open(&ctx, NULL), RZ_OK);
}

static void teardown(void)
{
    rz_name_ctx_close(ctx);
}

TestSuite(text, .init = setup, .fini = teardown);

static rz_name *surname(const char *s)
{
    rz_name *n = NULL;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_name_from_parts(ctx, s, NULL, NULL, &n, &err), RZ_OK, "%s: %s", s, err.message);
    return n;
}

Test(text, clean_form_is_nfc_and_case_folded)
{
    /* й written as и + combining breve (decomposed) becomes the one letter й */
    rz_name *a = surname("ЗАи\xcc\x86ЧЕНКО");
    cr_assert_str_eq(rz_name_clean(a, RZ_PART_SURNAME), "зайченко");
    cr_assert_str_eq(rz_name_written(a, RZ_PART_SURNAME), "ЗАйЧЕНКО"); /* NFC, as written */
    rz_name_free(a);
    rz_name *b = surname("STRAßE");
    cr_assert_str_eq(rz_name_clean(b, RZ_PART_SURNAME), "strasse");
    rz_name_free(b);
}

Test(text, apostrophes_fold_and_punctuation_goes)
{
    const char *variants[] = {"Мар'яненко", "Мар’яненко", "Марʼяненко", "Мар`яненко"};
    for (size_t i = 0; i < 4; i++) {
        rz_name *n = surname(variants[i]);
        cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), "мар'яненко", "%s", variants[i]);
        rz_name_free(n);
    }
    rz_name *p = surname("  \"Борисюк-Барабаш\".  ");
    cr_assert_str_eq(rz_name_clean(p, RZ_PART_SURNAME), "борисюк-барабаш");
    rz_name_free(p);
    rz_name *bgn = surname("Kuzʹmenko"); /* BGN/PCGN soft-sign mark */
    cr_assert_str_eq(rz_name_clean(bgn, RZ_PART_SURNAME), "kuzmenko");
    rz_name_free(bgn);
}

Test(text, latin_homoglyphs_inside_cyrillic_words_are_repaired)
{
    /* Latin K, o, e, p, c, a typed on a mixed keyboard layout */
    rz_name *n = surname("Kлименкo");
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), "клименко");
    cr_assert_eq(rz_name_script(n, RZ_PART_SURNAME), RZ_SCRIPT_CYRILLIC);
    rz_name_free(n);
    rz_name *m = surname("ПЕТPOВ"); /* Latin P and O */
    cr_assert_str_eq(rz_name_clean(m, RZ_PART_SURNAME), "петров");
    rz_name_free(m);
}

Test(text, a_word_is_repaired_into_the_script_that_can_hold_all_its_letters)
{
    /* Latin I, o, p and Cyrillic г: most letters are Latin, but г has no Latin look-alike */
    rz_name *n = surname("Iгop");
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), "ігор");
    cr_assert_eq(rz_name_script(n, RZ_PART_SURNAME), RZ_SCRIPT_CYRILLIC);
    rz_name_free(n);
}

Test(text, cyrillic_homoglyphs_inside_latin_words_are_repaired)
{
    rz_name *n = surname("Kovalеnko"); /* Cyrillic е */
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), "kovalenko");
    cr_assert_eq(rz_name_script(n, RZ_PART_SURNAME), RZ_SCRIPT_LATIN);
    rz_name_free(n);
}

Test(text, a_real_mix_of_scripts_is_left_alone_and_reported)
{
    rz_name *n = surname("Шевchenko");
    cr_assert_eq(rz_name_script(n, RZ_PART_SURNAME), RZ_SCRIPT_MIXED);
    rz_name_free(n);
}

Test(text, language_follows_the_letters_each_alphabet_has_alone)
{
    struct {
        const char *name;
        rz_lang lang;
    } cases[] = {
        {"Ігор Ковальчук", RZ_LANG_UK},
        {"Євген Ґудзь", RZ_LANG_UK},
        {"Фёдор Крылов", RZ_LANG_RU},
        {"Эдуард Лебедев", RZ_LANG_RU},
        {"Алесь Адамовіч Ўладзімір", RZ_LANG_BE},
        {"Андрей Мельник", RZ_LANG_CYRILLIC},
        {"Oleksandr Klymenko", RZ_LANG_LATIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rz_name *n = NULL;
        cr_assert_eq(rz_name_parse(ctx, cases[i].name, &n, NULL), RZ_OK);
        cr_assert_eq(rz_name_lang(n), cases[i].lang, "%s: %s", cases[i].name,
                     rz_lang_name(rz_name_lang(n)));
        rz_name_free(n);
    }
}

static void expect_clean(const char *written, const char *clean)
{
    rz_name *n = surname(written);
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), clean, "%s", written);
    rz_name_free(n);
}

Test(text, a_digit_inside_a_word_reads_as_its_look_alike_letter)
{
    /* OCR and hand typing: the digit stands for the letter of the word's script it looks like */
    expect_clean("К0ЧКАРЬОВА", "кочкарьова");
    rz_name *w = surname("К0ЧКАРЬОВА");
    cr_assert_str_eq(rz_name_written(w, RZ_PART_SURNAME), "К0ЧКАРЬОВА"); /* kept as written */
    rz_name_free(w);
    expect_clean("ВІН1ЧЕНКО", "вініченко");
    expect_clean("Ш3ВЧЕНКО", "шзвченко");
    expect_clean("Ле6едь", "лебедь");
    expect_clean("Любо8", "любов");
    expect_clean("K0VALENKO", "kovalenko");
    expect_clean("Ma1iarchuk", "maliarchuk"); /* lower case: 1 is l */
    expect_clean("MYKO1A", "mykoia");         /* capitals: 1 is I */
    /* one word, not two: the names engine no longer cuts the word at the digit */
    rz_name *n = NULL;
    cr_assert_eq(rz_name_parse(ctx, "Б0гдан Мельник", &n, NULL), RZ_OK);
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_GIVEN), "богдан");
    cr_assert_str_eq(rz_name_given_canonical(n), "bohdan");
    cr_assert_eq(rz_name_script(n, RZ_PART_GIVEN), RZ_SCRIPT_CYRILLIC);
    rz_name_free(n);
    /* a digit that looks like no letter of the word's script is a stray keystroke */
    expect_clean("Мельн2ик", "мельник");
    expect_clean("Mel4nyk", "melnyk");
    expect_clean("王1伟", "王伟"); /* Han has no look-alike of a digit */
}

Test(text, a_number_beside_a_name_is_not_part_of_it)
{
    rz_name *n = NULL;
    cr_assert_eq(rz_name_parse(ctx, "Мельник Богдан 1985", &n, NULL), RZ_OK);
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_SURNAME), "мельник");
    cr_assert_str_eq(rz_name_clean(n, RZ_PART_GIVEN), "богдан");
    cr_assert_null(rz_name_clean(n, RZ_PART_PATRONYMIC));
    rz_name_free(n);
    expect_clean("Петренко 2", "петренко");
    expect_clean("Петренко12", "петренко"); /* a digit string, not a letter */
    expect_clean("№ 3 Петренко", "петренко");
}

static void expect_error(const char *text, rz_status status, const char *words)
{
    rz_name *n = (rz_name *)1;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_name_parse(ctx, text, &n, &err), status, "%s -> %s", text,
                 rz_status_name(err.status));
    cr_assert_null(n);
    cr_assert_eq(err.status, status);
    cr_assert_not_null(strstr(err.message, words), "message: %s", err.message);
}

Test(text, input_that_is_not_a_name_is_a_clear_error)
{
    expect_error("", RZ_EEMPTY, "empty");
    expect_error("   ", RZ_EEMPTY, "empty");
    expect_error("1985", RZ_EEMPTY, "no letters");
    expect_error("\xf0\x9f\x98\x80\xf0\x9f\x99\x8f", RZ_EEMPTY, "no letters"); /* emoji */
    expect_error("Іван\xff Петренко", RZ_EUTF8, "byte 8");
    expect_error("\xc0\xaf", RZ_EUTF8, "invalid UTF-8");      /* overlong */
    expect_error("\xed\xa0\x80", RZ_EUTF8, "invalid UTF-8");  /* surrogate */
    expect_error("Клименко \xd0", RZ_EUTF8, "invalid UTF-8"); /* truncated */
    static char big[10 * 1024 + 1];
    for (size_t i = 0; i + 2 <= sizeof big - 1; i += 2)
        memcpy(big + i, "\xd0\xb0", 2); /* 10 kB of а */
    big[sizeof big - 1] = '\0';
    expect_error(big, RZ_ETOOLONG, "longer than 1000 bytes");
    expect_error("а б в г д е є ж з и і ї й", RZ_ETOOLONG, "more than 12 words");
}

Test(text, a_bad_field_is_named_in_the_error)
{
    rz_name *n = NULL;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_name_from_parts(ctx, "Клименко", "42", NULL, &n, &err), RZ_EEMPTY);
    cr_assert_not_null(strstr(err.message, "given"), "%s", err.message);
    cr_assert_eq(rz_name_from_parts(ctx, NULL, "", "  ", &n, &err), RZ_EEMPTY);
    cr_assert_null(n);
}
