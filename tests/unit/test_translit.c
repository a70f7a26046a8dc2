/*
 * test_translit.c: the transliteration schemes against the authority vectors (read from
 * tests/data/translit/ in the checkout) and against real names as passports and registers
 * write them; bad input.
 */
#include <criterion/criterion.h>

#include "rozshuk/translit.h"
#include "translit_vectors.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(const char *scheme, const char *text)
{
    rz_translit *tr = NULL;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_translit_open(scheme, &tr, &err), RZ_OK, "%s: %s", scheme, err.message);
    char *out = NULL;
    cr_assert_eq(rz_translit_apply(tr, text, &out, &err), RZ_OK, "%s: %s", scheme, err.message);
    rz_translit_close(tr);
    return out;
}

/* One expected rendering: the scheme, the Cyrillic text and its Latin form. */
typedef struct rendering {
    const char *scheme, *cyrillic, *latin;
} rendering;

/* Checks every row of a table of renderings (each failure reported, the rest still run). */
static void expect_all(const rendering *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = render(rows[i].scheme, rows[i].cyrillic);
        cr_expect_str_eq(got, rows[i].latin, "%s: %s -> %s, expected %s", rows[i].scheme,
                         rows[i].cyrillic, got, rows[i].latin);
        free(got);
    }
}

static void load_vectors(rzv_list *vl)
{
    char dir[4096], errbuf[512];
    rzv_default_dir(dir, sizeof dir);
    cr_assert_eq(rzv_load(dir, vl, errbuf, sizeof errbuf), 0, "%s", errbuf);
}

/* Runs the vectors of one scheme; returns (passed, total) and checks the exception list. */
static void run_vectors(const char *scheme, size_t *passed, size_t *total)
{
    rzv_list vl;
    load_vectors(&vl);
    rz_translit *tr = NULL;
    cr_assert_eq(rz_translit_open(scheme, &tr, NULL), RZ_OK);
    *passed = *total = 0;
    for (size_t i = 0; i < vl.count; i++) {
        const rzv_vector *v = &vl.items[i];
        if (v->scheme == NULL || strcmp(v->scheme, scheme) != 0)
            continue;
        char *got = NULL;
        rz_error err;
        cr_assert_eq(rz_translit_apply(tr, v->source, &got, &err), RZ_OK, "%s", err.message);
        bool ok = strcmp(got, v->expected) == 0;
        const char *wrong = rzv_known_wrong(v);
        if (wrong != NULL)
            cr_expect(!ok, "%s: '%s' is listed as a wrong vector (%s) but now matches", scheme,
                      v->source, wrong);
        else
            cr_expect(ok, "%s (%s): %s -> %s, expected %s", scheme, v->system, v->source, got,
                      v->expected);
        *passed += ok;
        (*total)++;
        free(got);
    }
    rz_translit_close(tr);
    rzv_free(&vl);
}

Test(translit, kmu_2010_reproduces_every_authority_vector)
{
    size_t passed, total;
    run_vectors("uk-kmu-2010", &passed, &total);
    /* 74 interscript ua-2010 + 41 BGN/PCGN 2019 (= KMU 55) + 17 uklatn KMU_55 */
    cr_assert_eq(total, 132);
    cr_assert_eq(passed, total);
}

Test(translit, other_schemes_pass_every_vector_but_the_documented_wrong_ones)
{
    /* scheme, vectors, expected passes (the difference: tests/common/translit_vectors.c) */
    static const struct {
        const char *scheme;
        size_t total, passed;
    } want[] = {
        {"uk-passport-2007", 14, 14},
        {"uk-passport-1996", 40, 40},
        {"uk-bgn-pcgn", 33, 33},
        {"ru-bgn-pcgn", 18, 17},
        {"ru-iso-9", 33, 31},
        {"be-national", 47, 47},
        {"be-bgn-pcgn", 83, 83},
        {"be-icao-9303", 15, 15},
        /* standards-tables.tsv: the ICAO 9303, FMS 2010, MVD 1997 and GOST 7.79-B tables */
        {"ru-icao-9303", 37, 37},
        {"ru-passport-2010", 35, 35},
        {"ru-passport-1997", 39, 39},
        {"ru-gost-7.79-b", 39, 39},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t passed, total;
        run_vectors(want[i].scheme, &passed, &total);
        cr_expect_eq(total, want[i].total, "%s: %zu vectors", want[i].scheme, total);
        cr_expect_eq(passed, want[i].passed, "%s: %zu pass", want[i].scheme, passed);
    }
}

Test(translit, ukrainian_national_2010_renders_real_names)
{
    static const rendering rows[] = {
        {"uk-kmu-2010", "Олександр Клименко", "Oleksandr Klymenko"},
        {"uk-kmu-2010", "КЛИМЕНКО Олександр Іванович", "KLYMENKO Oleksandr Ivanovych"},
        {"uk-kmu-2010", "Згурський", "Zghurskyi"},
        {"uk-kmu-2010", "ЗГУРСЬКИЙ", "ZGHURSKYI"},
        {"uk-kmu-2010", "Юлія", "Yuliia"},
        {"uk-kmu-2010", "Ярослав", "Yaroslav"},
        {"uk-kmu-2010", "Щербак", "Shcherbak"},
        {"uk-kmu-2010", "ЩЕРБАК", "SHCHERBAK"},
        {"uk-kmu-2010", "Ґудзь", "Gudz"},
        {"uk-kmu-2010", "Єва Їжак Йосип", "Yeva Yizhak Yosyp"},
        {"uk-kmu-2010", "Андрій Олексійович", "Andrii Oleksiiovych"},
        {"uk-kmu-2010", "Костянтин Ілля", "Kostiantyn Illia"},
        {"uk-kmu-2010", "Хмельницький", "Khmelnytskyi"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, every_apostrophe_variant_is_dropped_under_kmu)
{
    static const rendering rows[] = {
        /* ASCII ', right single quotation mark U+2019, modifier letter apostrophe U+02BC */
        {"uk-kmu-2010", "Мар'яна", "Mariana"},
        {"uk-kmu-2010", "Мар\xE2\x80\x99яна", "Mariana"},
        {"uk-kmu-2010", "Мар\xCA\xBCяна", "Mariana"},
        {"uk-kmu-2010", "П'ЯТНИЦЯ", "PIATNYTSIA"},
        /* an apostrophe that is not inside a word is punctuation and stays */
        {"uk-kmu-2010", "'Клименко'", "'Klymenko'"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, older_ukrainian_systems_keep_their_differences)
{
    static const rendering rows[] = {
        {"uk-passport-2007", "Олександр Згурський", "Oleksandr Zghurskyi"},
        {"uk-passport-1996", "Щербак", "Scherbak"},
        {"uk-passport-1996", "Ґудзь", "Gudz\xE2\x80\x99"},
        {"uk-passport-1996", "Мар'яна", "Mar\xE2\x80\x9Diana"},
        {"uk-bgn-pcgn", "Юлія", "Yuliya"},
        {"uk-bgn-pcgn", "Олексій", "Oleksiy"},
        {"uk-bgn-pcgn", "Згурський", "Z\xC2\xB7hurs\xE2\x80\x99kyy"},
        {"uk-bgn-pcgn", "Мар’яна", "Mar\xE2\x80\x9Dyana"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, russian_passport_systems_render_real_names)
{
    static const rendering rows[] = {
        {"ru-icao-9303", "Александр Клименко", "Aleksandr Klimenko"},
        {"ru-icao-9303", "Юлия Андреевна", "Iuliia Andreevna"},
        {"ru-icao-9303", "Щербаков Пётр", "Shcherbakov Petr"},
        {"ru-icao-9303", "Подъячев Ильин", "Podieiachev Ilin"},
        {"ru-icao-9303", "ЦВЕТКОВ", "TSVETKOV"},
        {"ru-passport-2010", "Кузнецов Андрей", "Kuznetcov Andrei"},
        {"ru-passport-2010", "Юлия", "Iuliia"},
        {"ru-passport-2010", "Подъячев", "Podiachev"},
        {"ru-passport-1997", "Кузнецов Андрей", "Kuznetsov Andrey"},
        {"ru-passport-1997", "Евгений Сергеевич", "Yevgeniy Sergeyevich"},
        {"ru-passport-1997", "Васильев Наталья Ольга", "Vasil'yev Natal'ya Ol'ga"},
        {"ru-passport-1997", "Юлия Пётр", "Yuliya Petr"},
        /* the examples the FMS gave when it moved from the 2010 table to ICAO in 2014 */
        {"ru-passport-2010", "ЦВЕТКОВСКИЙ", "TCVETKOVSKII"},
        {"ru-icao-9303", "ЦВЕТКОВСКИЙ", "TSVETKOVSKII"},
        {"ru-passport-1997", "ЦВЕТКОВСКИЙ", "TSVETKOVSKIY"},
        {"ru-icao-9303", "Андрей Яна Анастасия", "Andrei Iana Anastasiia"},
        {"ru-passport-1997", "Андрей Яна", "Andrey Yana"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, russian_library_and_map_systems_render_real_names)
{
    static const rendering rows[] = {
        {"ru-bgn-pcgn", "Юрий Васильев", "Yuriy Vasil\xE2\x80\x99yev"},
        {"ru-bgn-pcgn", "Пётр Фёдоров",
         "P\xC3\xABtr F\xC3\xAB"
         "dorov"},
        {"ru-bgn-pcgn", "Ольга", "Ol\xE2\x80\x99ga"},
        {"ru-gost-7.79-b", "Щукин Цыганов", "Shhukin Cy`ganov"},
        {"ru-gost-7.79-b", "Кузнецова Хохлова", "Kuzneczova Xoxlova"},
        {"ru-gost-7.79-b", "Эдуард Ильин", "E`duard Il`in"},
        {"ru-iso-9", "Щукин Юлия", "\xC5\x9Cukin \xC3\x9Bli\xC3\xA2"},
        {"ru-iso-9", "Эдуард Хохлов",
         "\xC3\x88"
         "duard Hohlov"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, belarusian_systems_render_real_names)
{
    static const rendering rows[] = {
        {"be-national", "Аляксандр Лукашэнка",
         "Aliaksandr Luka\xC5\xA1"
         "enka"},
        {"be-national", "Святлана", "Sviatlana"},
        {"be-national", "Вольга", "Vo\xC4\xBAha"},
        {"be-national", "Міхась", "Micha\xC5\x9B"},
        {"be-bgn-pcgn", "Аляксандр", "Alyaksandr"},
        {"be-bgn-pcgn", "Вольга", "Vol\xE2\x80\x99ha"},
        {"be-bgn-pcgn", "Уладзімір", "Uladzimir"},
        {"be-icao-9303", "Аляксандр Лукашэнка", "Aliaksandr Lukashenka"},
        {"be-icao-9303", "СВЯТЛАНА Пётр", "SVIATLANA Piotr"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, capitals_follow_the_word)
{
    static const rendering rows[] = {
        {"uk-kmu-2010", "ЮЛІЯ", "YULIIA"},
        {"uk-kmu-2010", "Щербак Ю.", "Shcherbak YU."},
        {"ru-icao-9303", "Щербак Ю.", "Shcherbak Iu."},
        {"ru-icao-9303", "ЩЕРБАК ЮЛИЯ", "SHCHERBAK IULIIA"},
        {"ru-bgn-pcgn", "ЁЖ", "Y\xC3\x8BZH"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, latin_digits_and_other_characters_pass_through)
{
    static const rendering rows[] = {
        {"uk-kmu-2010", "Oleksandr Klymenko, 1985 р.", "Oleksandr Klymenko, 1985 r."},
        {"uk-kmu-2010", "об\xF0\x9F\x98\x8Eнап", "ob\xF0\x9F\x98\x8Enap"},
        {"uk-kmu-2010", "", ""},
        /* U+FDD0 is the engine's internal case marker: one in the input becomes U+FFFD */
        {"uk-kmu-2010", "Іван\xEF\xB7\x90", "Ivan\xEF\xBF\xBD"},
    };
    expect_all(rows, sizeof rows / sizeof rows[0]);
}

Test(translit, no_cyrillic_letter_is_left_in_any_scheme)
{
    const char *all =
        "АБВГҐДЕЁЄЖЗИІЇЙКЛМНОПРСТУЎФХЦЧШЩЪЫЬЭЮЯ абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя "
        "Ђорђе Әлия";
    for (size_t i = 0; i < rz_translit_scheme_count(); i++) {
        char *out = render(rz_translit_scheme_name(i), all);
        for (const unsigned char *p = (const unsigned char *)out; *p; p++)
            cr_expect(!(*p >= 0xD0 && *p <= 0xD4), "%s left Cyrillic in: %s",
                      rz_translit_scheme_name(i), out);
        free(out);
    }
}

Test(translit, invalid_utf8_is_an_error_naming_the_byte)
{
    rz_translit *tr = NULL;
    cr_assert_eq(rz_translit_open("uk-kmu-2010", &tr, NULL), RZ_OK);
    const char *bad[] = {
        "Клим\xFF"
        "енко",             /* impossible byte */
        "\xC0\xAF",         /* overlong '/' */
        "\xED\xA0\x80",     /* UTF-16 surrogate */
        "Клименк\xD0",      /* truncated sequence */
        "\xF4\x90\x80\x80", /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rz_error err;
        rz_error_clear(&err);
        char *out = (char *)"untouched";
        cr_expect_eq(rz_translit_apply(tr, bad[i], &out, &err), RZ_EUTF8, "case %zu", i);
        cr_expect_null(out);
        cr_expect_not_null(strstr(err.message, "invalid UTF-8 at byte"), "%s", err.message);
    }
    rz_error err;
    char *out = NULL;
    cr_expect_eq(rz_translit_apply(tr, "Клим\xFF", &out, &err), RZ_EUTF8);
    cr_expect_not_null(strstr(err.message, "byte 9"), "%s", err.message);
    rz_translit_close(tr);
}

Test(translit, input_is_capped_at_64_kib)
{
    size_t cap = 65536;
    char *big = malloc(cap + 2);
    cr_assert_not_null(big);
    for (size_t i = 0; i < cap; i += 2)
        memcpy(big + i, "\xD1\x89", 2); /* щ: 32,768 of them, each rendered shch */
    big[cap] = '\0';
    rz_translit *tr = NULL;
    cr_assert_eq(rz_translit_open("uk-kmu-2010", &tr, NULL), RZ_OK);
    char *out = NULL;
    rz_error err;
    cr_assert_eq(rz_translit_apply(tr, big, &out, &err), RZ_OK, "%s", err.message);
    cr_expect_eq(strlen(out), 4 * (cap / 2));
    cr_expect_eq(strncmp(out, "shchshch", 8), 0);
    free(out);
    big[cap] = 'x';
    big[cap + 1] = '\0';
    out = NULL;
    cr_expect_eq(rz_translit_apply(tr, big, &out, &err), RZ_ETOOLONG);
    cr_expect_null(out);
    cr_expect_not_null(strstr(err.message, "65536"), "%s", err.message);
    rz_translit_close(tr);
    free(big);
}

Test(translit, unknown_scheme_and_bad_arguments)
{
    rz_translit *tr = (rz_translit *)1;
    rz_error err;
    cr_expect_eq(rz_translit_open("uk-kmu-2011", &tr, &err), RZ_ENOTFOUND);
    cr_expect_null(tr);
    cr_expect_not_null(strstr(err.message, "uk-kmu-2011"));
    cr_expect_eq(rz_translit_open(NULL, &tr, NULL), RZ_EINVAL);
    cr_assert_eq(rz_translit_open("ru-icao-9303", &tr, NULL), RZ_OK);
    char *out = NULL;
    cr_expect_eq(rz_translit_apply(tr, NULL, &out, NULL), RZ_EINVAL);
    cr_expect_eq(rz_translit_apply(NULL, "Иван", &out, NULL), RZ_EINVAL);
    rz_translit_close(tr);
    rz_translit_close(NULL);
}

Test(translit, scheme_list_is_complete_and_every_scheme_opens)
{
    static const char *const expected[] = {
        "uk-kmu-2010",    "uk-passport-2007", "uk-passport-1996", "uk-bgn-pcgn",
        "ru-icao-9303",   "ru-passport-2010", "ru-passport-1997", "ru-bgn-pcgn",
        "ru-gost-7.79-b", "ru-iso-9",         "be-national",      "be-bgn-pcgn",
        "be-icao-9303",
    };
    size_t n = rz_translit_scheme_count();
    cr_assert_eq(n, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(rz_translit_scheme_name(i), expected[i]);
        cr_expect_eq(strncmp(rz_translit_scheme_lang(i), expected[i], 2), 0);
        cr_expect_gt(strlen(rz_translit_scheme_title(i)), 10);
        rz_translit *tr = NULL;
        rz_error err;
        cr_expect_eq(rz_translit_open(expected[i], &tr, &err), RZ_OK, "%s", err.message);
        rz_translit_close(tr);
    }
    cr_expect_null(rz_translit_scheme_name(n));
    cr_expect_null(rz_translit_scheme_lang(n));
    cr_expect_null(rz_translit_scheme_title(n));
}

Test(translit, a_handle_gives_the_same_answer_every_time)
{
    rz_translit *tr = NULL;
    cr_assert_eq(rz_translit_open("uk-kmu-2010", &tr, NULL), RZ_OK);
    const char *inputs[] = {"Щ", "Олександр Клименко", "Згурський", ""};
    for (int round = 0; round < 50; round++)
        for (size_t i = 0; i < 4; i++) {
            char *out = NULL;
            cr_assert_eq(rz_translit_apply(tr, inputs[i], &out, NULL), RZ_OK);
            const char *want[] = {"SHCH", "Oleksandr Klymenko", "Zghurskyi", ""};
            cr_assert_str_eq(out, want[i]);
            free(out);
        }
    rz_translit_close(tr);
}

/* Upper-cases the Cyrillic letters of a UTF-8 string in place (а-я, ѐ-џ, ґ). */
static void upcase_cyrillic(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        if ((p[0] == 0xD0 || p[0] == 0xD1 || p[0] == 0xD2) && p[1] != 0) {
            unsigned cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            if (cp >= 0x430 && cp <= 0x44F)
                cp -= 0x20;
            else if (cp >= 0x450 && cp <= 0x45F)
                cp -= 0x50;
            else if (cp == 0x491)
                cp = 0x490;
            p[0] = (unsigned char)(0xC0 | (cp >> 6));
            p[1] = (unsigned char)(0x80 | (cp & 0x3F));
            p += 2;
        } else {
            p++;
        }
    }
}

/* Whether a rendering has a lowercase letter (ASCII or one of the schemes' accented ones). */
static bool has_lowercase(const char *s)
{
    static const char *const accented[] = {"ë", "ĺ", "ź", "ń", "ś", "ć", "č", "š", "ž",
                                           "ŭ", "ŝ", "û", "â", "è", "ì", "ï", "ê", "é"};
    for (const char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            return true;
    for (size_t i = 0; i < sizeof accented / sizeof accented[0]; i++)
        if (strstr(s, accented[i]) != NULL)
            return true;
    return false;
}

Test(translit, names_in_capitals_come_out_in_capitals_under_every_scheme)
{
    static const char *const names[] = {
        "Олександр Клименко", "Згурський Юрій",        "Щербак Ярослава", "Мар'яна Ґудзь",
        "Васильев Ульяна",    "Подъячев Ёлкин",        "Юлія Їжакевич",   "Вераб’ёў Святлана",
        "Цветковский Андрей", "Єнакієве Хмельницький", "Шчара Чэрвень",   "Подтсосов Эдуард",
    };
    for (size_t i = 0; i < rz_translit_scheme_count(); i++)
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            char caps[128];
            snprintf(caps, sizeof caps, "%s", names[k]);
            upcase_cyrillic(caps);
            char *out = render(rz_translit_scheme_name(i), caps);
            cr_expect(!has_lowercase(out), "%s: %s -> %s", rz_translit_scheme_name(i), caps, out);
            free(out);
        }
}
