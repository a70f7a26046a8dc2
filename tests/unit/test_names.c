/* test_names.c: parsing, skeleton keys, the given-name dictionary, gendered surnames, keys
 * and comparison, with real Ukrainian, Russian and Belarusian names and real renderings. */
#include <criterion/criterion.h>

#include "rozshuk/names.h"

#include <stdio.h>
#include <string.h>

static rz_name_ctx *ctx;

static void setup(void)
{
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_name_ctx_open(&ctx, &err), RZ_OK, "%s", err.message);
}

static void teardown(void)
{
    rz_name_ctx_close(ctx);
}

TestSuite(names, .init = setup, .fini = teardown);

static rz_name *parse(const char *s)
{
    rz_name *n = NULL;
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_name_parse(ctx, s, &n, &err), RZ_OK, "%s: %s", s, err.message);
    return n;
}

static void expect_parts(const char *text, const char *sur, const char *given, const char *patr)
{
    rz_name *n = parse(text);
    const char *want[3] = {sur, given, patr};
    for (int p = 0; p < 3; p++) {
        const char *got = rz_name_written(n, (rz_name_part)p);
        if (want[p] == NULL)
            cr_assert_null(got, "%s: %s is '%s'", text, rz_name_part_label((rz_name_part)p), got);
        else
            cr_assert(got && strcmp(got, want[p]) == 0, "%s: %s is '%s', want '%s'", text,
                      rz_name_part_label((rz_name_part)p), got ? got : "(none)", want[p]);
    }
    rz_name_free(n);
}

Test(names, parses_full_names_in_either_order)
{
    expect_parts("КЛИМЕНКО Олександр Іванович", "КЛИМЕНКО", "Олександр", "Іванович");
    expect_parts("Клименко Олександр Іванович", "Клименко", "Олександр", "Іванович");
    expect_parts("Олександр Іванович Клименко", "Клименко", "Олександр", "Іванович");
    expect_parts("Klymenko, Oleksandr", "Klymenko", "Oleksandr", NULL);
    expect_parts("Oleksandr Klymenko", "Klymenko", "Oleksandr", NULL);
    expect_parts("KLYMENKO OLEKSANDR", "KLYMENKO", "OLEKSANDR", NULL);
    expect_parts("Oleksandr KLYMENKO", "KLYMENKO", "Oleksandr", NULL);
    expect_parts("Балога Іван", "Балога", "Іван", NULL);
    expect_parts("Іван Балога", "Балога", "Іван", NULL);
    expect_parts("Сергей Петрович Иванов", "Иванов", "Сергей", "Петрович");
    expect_parts("Shevchenko Taras Hryhorovych", "Shevchenko", "Taras", "Hryhorovych");
    expect_parts("Петрова Анна Сергеевна", "Петрова", "Анна", "Сергеевна");
    expect_parts("Клименко О. І.", "Клименко", "О", "І");
    expect_parts("Борисюк-Барабаш Мар'яна", "Борисюк-Барабаш", "Мар'яна", NULL);
}

Test(names, recognises_patronymics_and_their_base_name)
{
    const char *cases[][2] = {
        {"Клименко Олександр Іванович", "ivan"},  {"Клименко Ольга Іванівна", "ivan"},
        {"Клименко Ольга Ивановна", "ivan"},      {"Klymenko Olha Ivanivna", "ivan"},
        {"Клименко Олег Олексійович", "oleksii"}, {"Клименко Олег Алексеевич", "oleksii"},
        {"Клименко Олег Миколайович", "mykola"},  {"Клименко Олег Николаевич", "mykola"},
        {"Клименко Олег Петрович", "petro"},      {"Klimenko Oleg Aleksandrovich", "oleksandr"},
        {"Клименко Ганна Сергіївна", "serhii"},   {"Клименко Анна Сергеевна", "serhii"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rz_name *n = parse(cases[i][0]);
        const char *got = rz_name_patronymic_canonical(n);
        cr_assert(got && strcmp(got, cases[i][1]) == 0, "%s: base %s", cases[i][0],
                  got ? got : "(none)");
        rz_name_free(n);
    }
}

static void expect_canonical(const char *given, const char *canon)
{
    rz_name *n = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, NULL, given, NULL, &n, NULL), RZ_OK);
    const char *got = rz_name_given_canonical(n);
    cr_assert(got && strcmp(got, canon) == 0, "%s: canonical %s, want %s", given,
              got ? got : "(none)", canon);
    rz_name_free(n);
}

Test(names, canonical_given_name_across_languages_renderings_and_diminutives)
{
    const char *oleksandr[] = {"Олександр", "Александр", "Аляксандр", "Oleksandr", "Aleksandr",
                               "Alexander", "Olexandr",  "Саша",      "Сашко"};
    for (size_t i = 0; i < sizeof oleksandr / sizeof oleksandr[0]; i++)
        expect_canonical(oleksandr[i], "oleksandr");
    expect_canonical("Ганна", "hanna");
    expect_canonical("Анна", "hanna");
    expect_canonical("Hanna", "hanna");
    expect_canonical("Олена", "olena");
    expect_canonical("Елена", "olena");
    expect_canonical("Yelena", "olena");
    expect_canonical("Юрій", "yurii");
    expect_canonical("Yuriy", "yurii");
    expect_canonical("Jurij", "yurii");
    expect_canonical("Григорій", "hryhorii");
    expect_canonical("Grigoriy", "hryhorii");
    expect_canonical("Вова", "volodymyr");
    expect_canonical("Уладзімір", "volodymyr");
    rz_name *n = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, NULL, "Згурський", NULL, &n, NULL), RZ_OK);
    cr_assert_null(rz_name_given_canonical(n), "a surname is not a given name");
    rz_name_free(n);
}

static void expect_same_skeleton(const char *a, const char *b)
{
    rz_name *x = NULL, *y = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, a, NULL, NULL, &x, NULL), RZ_OK);
    cr_assert_eq(rz_name_from_parts(ctx, b, NULL, NULL, &y, NULL), RZ_OK);
    rz_name_comparison c;
    rz_name_compare(x, y, &c);
    cr_assert_geq(c.parts[RZ_PART_SURNAME].level, RZ_LEVEL_EQUIVALENT, "%s (%s) vs %s (%s): %s", a,
                  rz_name_skeleton(x, RZ_PART_SURNAME), b, rz_name_skeleton(y, RZ_PART_SURNAME),
                  rz_level_name(c.parts[RZ_PART_SURNAME].level));
    rz_name_free(x);
    rz_name_free(y);
}

Test(names, skeleton_folds_the_transliteration_standards)
{
    /* Ukrainian national 2010, BGN/PCGN, Russian ICAO/GOST, German, Polish, French, Czech */
    const char *shevchenko[] = {"Шевченко",    "Shevchenko", "Schewtschenko", "Szewczenko",
                                "Chevtchenko", "Ševčenko",   "Sevcsenko"};
    for (size_t i = 1; i < sizeof shevchenko / sizeof shevchenko[0]; i++)
        expect_same_skeleton(shevchenko[0], shevchenko[i]);
    const char *shchur[] = {"Щур", "Shchur", "Szczur", "Schtschur", "Ščur"};
    for (size_t i = 1; i < sizeof shchur / sizeof shchur[0]; i++)
        expect_same_skeleton(shchur[0], shchur[i]);
    expect_same_skeleton("Цибулько", "Tsybulko");
    expect_same_skeleton("Цибулько", "Cybulko");
    expect_same_skeleton("Цибулько", "Zybulko");
    expect_same_skeleton("Жук", "Zhuk");
    expect_same_skeleton("Жук", "Żuk");
    expect_same_skeleton("Хоменко", "Khomenko");
    expect_same_skeleton("Хоменко", "Chomenko");
    expect_same_skeleton("Юрченко", "Iurchenko");
    expect_same_skeleton("Юрченко", "Yurchenko");
    expect_same_skeleton("Юрченко", "Jurczenko");
    expect_same_skeleton("Єрмоленко", "Yermolenko");
    expect_same_skeleton("Єрмоленко", "Ermolenko");
    expect_same_skeleton("Згурський", "Zghurskyi");
    expect_same_skeleton("Згурський", "Zgurskiy");
    expect_same_skeleton("Ковальов", "Kowalow");
    expect_same_skeleton("Гончаренко", "Honcharenko");
    expect_same_skeleton("Гончаренко", "Gontcharenko");
    expect_same_skeleton("Ілляшенко", "Illiashenko");
    expect_same_skeleton("Ілляшенко", "Ilyashenko");
    expect_same_skeleton("Дзюба", "Dziuba");
    expect_same_skeleton("Дзюба", "Dzyuba");
    expect_same_skeleton("Маковецький", "Makovetskyi");
    expect_same_skeleton("Маковецький", "Makowiecki");
}

Test(names, skeleton_keeps_real_differences)
{
    const char *pairs[][2] = {{"Шевченко", "Сенченко"}, {"Жук", "Зук"},       {"Чорний", "Цорний"},
                              {"Гончар", "Кончар"},     {"Балога", "Балуга"}, {"Марія", "Мара"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        rz_name *x = NULL, *y = NULL;
        cr_assert_eq(rz_name_from_parts(ctx, pairs[i][0], NULL, NULL, &x, NULL), RZ_OK);
        cr_assert_eq(rz_name_from_parts(ctx, pairs[i][1], NULL, NULL, &y, NULL), RZ_OK);
        cr_assert_str_neq(rz_name_skeleton(x, RZ_PART_SURNAME),
                          rz_name_skeleton(y, RZ_PART_SURNAME), "%s = %s", pairs[i][0],
                          pairs[i][1]);
        rz_name_free(x);
        rz_name_free(y);
    }
}

Test(names, gendered_surnames_fold_together)
{
    const char *groups[][4] = {
        {"Петров", "Петрова", "Petrova", "Petrow"},
        {"Левицький", "Левицька", "Левицкая", "Levytska"},
        {"Пушкін", "Пушкіна", "Pushkina", "Пушкин"},
        {"Лебедєв", "Лебедева", "Lebedeva", "Lebedev"},
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        rz_name *first = NULL;
        cr_assert_eq(rz_name_from_parts(ctx, groups[g][0], NULL, NULL, &first, NULL), RZ_OK);
        for (size_t i = 1; i < 4; i++) {
            rz_name *n = NULL;
            cr_assert_eq(rz_name_from_parts(ctx, groups[g][i], NULL, NULL, &n, NULL), RZ_OK);
            cr_assert_str_eq(rz_name_surname_folded(n), rz_name_surname_folded(first), "%s vs %s",
                             groups[g][i], groups[g][0]);
            rz_name_free(n);
        }
        rz_name_free(first);
    }
    rz_name *k = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, "Клименко", NULL, NULL, &k, NULL), RZ_OK);
    cr_assert_str_eq(rz_name_surname_folded(k), "klimenko");
    rz_name_free(k);
}

Test(names, sex_hint_from_grammar)
{
    const char *cases[][2] = {{"Клименко Олександр Іванович", "m"},
                              {"Клименко Ольга Іванівна", "f"},
                              {"Петрова Анна", "f"},
                              {"Olha Levytska", "f"},
                              {"Іван Балога", "m"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rz_name *n = parse(cases[i][0]);
        cr_assert_eq(rz_name_sex_hint(n), cases[i][1][0], "%s", cases[i][0]);
        rz_name_free(n);
    }
    rz_name *n = parse("Клименко");
    cr_assert_eq(rz_name_sex_hint(n), 0);
    rz_name_free(n);
}

struct key_list {
    char text[4096];
    size_t len;
};

static void collect(const char *kind, const char *key, void *user)
{
    struct key_list *kl = user;
    int w = snprintf(kl->text + kl->len, sizeof kl->text - kl->len, "%s=%s;", kind, key);
    if (w > 0 && (size_t)w < sizeof kl->text - kl->len)
        kl->len += (size_t)w;
}

static void keys_of(const char *text, struct key_list *kl)
{
    rz_name *n = parse(text);
    memset(kl, 0, sizeof *kl);
    rz_name_keys(n, collect, kl);
    rz_name_free(n);
}

Test(names, keys_agree_across_scripts_and_are_deterministic)
{
    struct key_list a, b, c, again;
    keys_of("Олександр Клименко", &a);
    keys_of("KLYMENKO OLEKSANDR", &b);
    keys_of("Aleksandr Klimenko", &c);
    keys_of("Олександр Клименко", &again);
    cr_assert_str_eq(a.text, again.text);
    cr_assert_not_null(strstr(a.text, "sur_skel=klimenko;"), "%s", a.text);
    cr_assert_not_null(strstr(a.text, "sur_dm=586650;"), "%s", a.text);
    cr_assert_not_null(strstr(a.text, "given_canon=oleksandr;"), "%s", a.text);
    cr_assert_not_null(strstr(b.text, "sur_skel=klimenko;"), "%s", b.text);
    cr_assert_not_null(strstr(b.text, "given_canon=oleksandr;"), "%s", b.text);
    cr_assert_not_null(strstr(c.text, "given_canon=oleksandr;"), "%s", c.text);
    struct key_list f;
    keys_of("Петрова Анна Сергеевна", &f);
    cr_assert_not_null(strstr(f.text, "sur_fold=petrov;"), "%s", f.text);
    cr_assert_not_null(strstr(f.text, "patr_canon=serhii;"), "%s", f.text);
    cr_assert_geq(RZ_KEY_VERSION, 2); /* 2: ISO 9, GOST, German and French readings */
}

static rz_name_comparison compare(const char *a, const char *b)
{
    rz_name *x = parse(a), *y = parse(b);
    rz_name_comparison c;
    rz_name_compare(x, y, &c);
    rz_name_free(x);
    rz_name_free(y);
    return c;
}

Test(names, acceptance_spellings_of_one_person_agree_in_every_order)
{
    const char *names[] = {"Олександр Клименко", "Александр Клименко", "Oleksandr Klymenko",
                           "Aleksandr Klimenko", "Olexandr Klimenko",  "KLYMENKO OLEKSANDR",
                           "Ołeksandr Kłymenko"};
    size_t n = sizeof names / sizeof names[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j)
                continue;
            rz_name_comparison c = compare(names[i], names[j]);
            cr_assert(c.level == RZ_LEVEL_EQUIVALENT || c.level == RZ_LEVEL_CLOSE ||
                          c.level == RZ_LEVEL_EXACT,
                      "%s vs %s: %s", names[i], names[j], rz_level_name(c.level));
            cr_assert_geq(c.score, 0.9);
        }
}

Test(names, acceptance_different_people_are_told_apart)
{
    rz_name_comparison c = compare("Іван Балога", "Павло Балога");
    cr_assert_eq(c.level, RZ_LEVEL_FAR);
    cr_assert_eq(c.parts[RZ_PART_SURNAME].level, RZ_LEVEL_EXACT);
    cr_assert_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_FAR);
    c = compare("Олександр Клименко", "Олександра Клименко");
    cr_assert_neq(c.level, RZ_LEVEL_EXACT);
    cr_assert_lt(c.level, RZ_LEVEL_EQUIVALENT);
    c = compare("Юрій Коваленко", "Юлій Коваленко"); /* two real names, not a typo */
    cr_assert_eq(c.level, RZ_LEVEL_FAR);
    c = compare("Тарас Шевченко", "Тарас Шевчук");
    cr_assert_eq(c.level, RZ_LEVEL_FAR);
    c = compare("Яна Дорофєєва", "Anna Dorofeyeva"); /* the glide of я is written everywhere */
    cr_assert_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_FAR);
}

Test(names, comparison_levels_per_part)
{
    rz_name_comparison c = compare("Клименко Олександр Іванович", "Klymenko Oleksandr");
    cr_assert_eq(c.parts[RZ_PART_PATRONYMIC].level, RZ_LEVEL_MISSING);
    cr_assert_eq(c.level, RZ_LEVEL_EQUIVALENT);
    c = compare("Клименко Олександр", "Климнеко Олександр"); /* transposed letters */
    cr_assert_eq(c.parts[RZ_PART_SURNAME].level, RZ_LEVEL_CLOSE);
    cr_assert_eq(c.level, RZ_LEVEL_CLOSE);
    c = compare("Клименко Олександр Іванович", "Клименко Олександр Петрович");
    cr_assert_eq(c.parts[RZ_PART_PATRONYMIC].level, RZ_LEVEL_FAR);
    cr_assert_eq(c.level, RZ_LEVEL_FAR);
    c = compare("Клименко Олександр Іванович", "Клименко Саша Иванович");
    cr_assert_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_EQUIVALENT);
    cr_assert_eq(c.parts[RZ_PART_PATRONYMIC].level, RZ_LEVEL_EQUIVALENT);
    c = compare("Петров Іван", "Петрова Ганна");
    cr_assert_eq(c.parts[RZ_PART_SURNAME].level, RZ_LEVEL_EQUIVALENT);
    cr_assert_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_FAR);
    c = compare("Клименко О. І.", "Клименко Олександр Іванович");
    cr_assert_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_CLOSE);
    cr_assert_eq(c.parts[RZ_PART_PATRONYMIC].level, RZ_LEVEL_CLOSE);
}

Test(names, comparison_survives_swapped_fields)
{
    rz_name *x = NULL, *y = NULL;
    /* a register that put the given name in the surname column */
    cr_assert_eq(rz_name_from_parts(ctx, "Олександр", "Клименко", NULL, &x, NULL), RZ_OK);
    cr_assert_eq(rz_name_from_parts(ctx, "Klymenko", "Oleksandr", NULL, &y, NULL), RZ_OK);
    rz_name_comparison c;
    rz_name_compare(x, y, &c);
    cr_assert(c.swapped);
    cr_assert_geq(c.level, RZ_LEVEL_CLOSE, "%s", rz_level_name(c.level));
    rz_name_compare(x, NULL, &c);
    cr_assert_eq(c.level, RZ_LEVEL_MISSING);
    rz_name_free(x);
    rz_name_free(y);
}

Test(names, labels_have_names)
{
    cr_assert_str_eq(rz_level_name(RZ_LEVEL_EQUIVALENT), "equivalent");
    cr_assert_str_eq(rz_script_name(RZ_SCRIPT_CYRILLIC), "cyrillic");
    cr_assert_str_eq(rz_lang_name(RZ_LANG_BE), "be");
    cr_assert_str_eq(rz_name_part_label(RZ_PART_PATRONYMIC), "patronymic");
    cr_assert_str_eq(rz_level_name((rz_level)99), "unknown");
}

static rz_level surname_level(const char *a, const char *b)
{
    rz_name *x = NULL, *y = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, a, NULL, NULL, &x, NULL), RZ_OK);
    cr_assert_eq(rz_name_from_parts(ctx, b, NULL, NULL, &y, NULL), RZ_OK);
    rz_name_comparison c;
    rz_name_compare(x, y, &c);
    rz_name_free(x);
    rz_name_free(y);
    return c.parts[RZ_PART_SURNAME].level;
}

Test(names, typing_errors_follow_the_keyboard)
{
    /* о and л are neighbours on ЙЦУКЕН, y and u on QWERTY */
    cr_assert_eq(surname_level("Коваленко", "Коваленкл"), RZ_LEVEL_CLOSE);
    cr_assert_eq(surname_level("Kovalenko", "Kovalenki"), RZ_LEVEL_CLOSE);
    cr_assert_eq(surname_level("Kupchynska", "Kuphcynska"), RZ_LEVEL_CLOSE); /* swapped */
    cr_assert_eq(surname_level("Гліб", "Глб"), RZ_LEVEL_CLOSE);              /* left out */
    /* е and о are far apart: Трепак and Тропак are two surnames, not a typo */
    cr_assert_eq(surname_level("Трепак", "Тропак"), RZ_LEVEL_FAR);
    cr_assert_eq(surname_level("Мисенко", "Масенко"), RZ_LEVEL_FAR);
}

Test(names, ukrainian_and_russian_vowels_of_one_surname_are_close)
{
    cr_assert_eq(surname_level("Павлів", "Павлов"), RZ_LEVEL_CLOSE);
    cr_assert_eq(surname_level("Білошицький", "Белошицкий"), RZ_LEVEL_CLOSE);
    cr_assert_eq(surname_level("Ковальов", "Kovalev"), RZ_LEVEL_CLOSE);
}

Test(names, iso9_gost_and_bgn_renderings_are_equivalent)
{
    cr_assert_eq(surname_level("Худякова", "Hudâkova"), RZ_LEVEL_EQUIVALENT);    /* ISO 9 */
    cr_assert_eq(surname_level("Грицаєнко", "Griczaenko"), RZ_LEVEL_EQUIVALENT); /* GOST B */
    cr_assert_eq(surname_level("Остап'юк", "Ostap”iuk"), RZ_LEVEL_EQUIVALENT);   /* BGN 1965 */
    cr_assert_eq(surname_level("Безсонов", "Bezsonov"), RZ_LEVEL_EQUIVALENT);
    cr_assert_eq(surname_level("Ротшильд", "Rotshyld"), RZ_LEVEL_EQUIVALENT);
}

Test(names, belarusian_and_hungarian_spellings_compare)
{
    rz_name_comparison c = compare("Аляксандр Лукашэнка", "Aliaksandr Lukashenka");
    cr_assert_eq(c.level, RZ_LEVEL_EQUIVALENT, "%s", rz_level_name(c.level));
    c = compare("Уладзімір Караткевіч", "Uladzimir Karatkievič"); /* Belarusian national */
    cr_assert_eq(c.level, RZ_LEVEL_EQUIVALENT, "%s", rz_level_name(c.level));
    c = compare("Шевченко Тарас", "Sevcsenko Tarasz"); /* Hungarian s, cs, sz */
    cr_assert_eq(c.level, RZ_LEVEL_EQUIVALENT, "%s", rz_level_name(c.level));
}

Test(names, iso9_without_diacritics_is_equivalent)
{
    /* ISO 9 (and Czech-style) š č ž ŝ, often stripped in registers abroad */
    static const char *const same[][3] = {
        {"Шевченко", "Sevcenko", "Ševčenko"},
        {"Жуков", "Zukov", "Žukov"},
        {"Щербак", "Scerbak", "Ščerbak"},
        {"Шостак", "Sostak", "Šostak"}, /* ш and с in one name */
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (a != b)
                    cr_expect_eq(surname_level(same[i][a], same[i][b]), RZ_LEVEL_EQUIVALENT,
                                 "%s / %s", same[i][a], same[i][b]);
    rz_name_comparison c = compare("Тарас Шевченко", "SEVCENKO Taras");
    cr_expect_eq(c.level, RZ_LEVEL_EQUIVALENT, "%s", rz_level_name(c.level));
    /* spellings that tell ш from с keep the difference: Сабо is not Шабо */
    cr_expect_eq(surname_level("Сабо", "Shabo"), RZ_LEVEL_FAR);
    cr_expect_eq(surname_level("Сабо", "Шабо"), RZ_LEVEL_FAR);
    cr_expect_eq(surname_level("Жук", "Zhuk"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("Зуб", "Zhub"), RZ_LEVEL_FAR);
    /* the plain reading reaches the blocking keys: Scerbak meets Щербак by its DM code */
    struct key_list plain, cyr;
    keys_of("Scerbak", &plain);
    keys_of("Щербак", &cyr);
    cr_expect_not_null(strstr(cyr.text, "sur_dm=497500;"), "%s", cyr.text);
    cr_expect_not_null(strstr(plain.text, "sur_dm=497500;"), "%s", plain.text);
}

Test(names, vowel_correspondences_follow_the_grammar)
{
    /* і for о only in a closed syllable, і for е (old ѣ) only with a written і */
    cr_expect_eq(surname_level("Федір", "Фёдор"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Підгорський", "Подгорский"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Кисіль", "Kisel"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Білецька", "Белецкая"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Хима", "Khoma"), RZ_LEVEL_FAR);        /* open syllable */
    cr_expect_eq(surname_level("Аристова", "Arestova"), RZ_LEVEL_FAR); /* и, not і */
    /* о for а only at the start of a word (Олександров/Александров) */
    cr_expect_eq(surname_level("Олександров", "Aleksandrov"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Лазаренко", "Lazorenko"), RZ_LEVEL_FAR);
    /* о after a soft or hushing consonant for Russian ё written е, also when neither name
     * shows its language by a letter (both read as plain Cyrillic) */
    cr_expect_eq(surname_level("Ковальов", "Ковалев"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Горбачов", "Горбачев"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Нефьодова", "Nefedova"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Нестерова", "Nestorova"), RZ_LEVEL_FAR); /* no soft consonant */
    cr_expect_eq(surname_level("Несторов", "Нестеров"), RZ_LEVEL_FAR);
    /* и ы і and е є э are one sound in the skeleton: equivalent whatever the languages */
    cr_expect_eq(surname_level("Рибак", "Рыбак"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("Кисіль", "Кисиль"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("Єременко", "Еременко"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("Эрдман", "Ердман"), RZ_LEVEL_EQUIVALENT);
}

Test(names, a_sound_on_one_side_only_is_a_consonant_or_a_glide)
{
    /* between Ukrainian, Russian and their renderings: a consonant, the glide of я ю є, or
     * о/е before the i of й */
    cr_expect_eq(surname_level("Кривий", "Krivoi"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Олійник", "Олейник"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Кислиця", "Kislitsa"), RZ_LEVEL_CLOSE);
    cr_expect_eq(surname_level("Безсмертна", "Besmertna"), RZ_LEVEL_CLOSE);
    /* another vowel makes another name */
    cr_expect_eq(surname_level("Беліков", "Beliakov"), RZ_LEVEL_FAR);
    cr_expect_eq(surname_level("Лоренц", "Lorenco"), RZ_LEVEL_FAR);
    /* a typing error in the Latin writing still counts */
    cr_expect_eq(surname_level("Клименко", "Klymneko"), RZ_LEVEL_CLOSE);
}

Test(names, a_digit_for_a_letter_compares_and_keys_as_the_letter)
{
    /* OCR: 0 for О, 1 for І; the whole word compares, not the part before the digit */
    cr_expect_eq(surname_level("K0VALENKO", "Коваленко"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("3АЙЧЕНКО", "Зайченко"), RZ_LEVEL_EXACT);
    cr_expect_eq(surname_level("Мельн1к", "Melnyk"), RZ_LEVEL_EQUIVALENT);
    cr_expect_eq(surname_level("ВІН1ЧЕНКО", "Вініченко"), RZ_LEVEL_EXACT);
    rz_name_comparison c = compare("Б0гдан Мельник", "Bohdan Melnyk");
    cr_expect_eq(c.parts[RZ_PART_GIVEN].level, RZ_LEVEL_EQUIVALENT, "%s",
                 rz_level_name(c.parts[RZ_PART_GIVEN].level));
    /* blocking and search keys follow: the same keys as the name without the digit */
    struct key_list a, b;
    keys_of("К0ВАЛЕНК0 Б0гдан", &a);
    keys_of("Коваленко Богдан", &b);
    cr_expect_str_eq(a.text, b.text);
}

typedef struct level_case {
    const char *a, *b;
    rz_level level;
} level_case;

static void expect_surname_levels(const level_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(surname_level(cases[i].a, cases[i].b), cases[i].level, "%s / %s: %s",
                     cases[i].a, cases[i].b, rz_level_name(surname_level(cases[i].a, cases[i].b)));
}

Test(names, a_letter_of_a_similar_shape_is_an_ocr_error)
{
    const level_case cases[] = {
        /* OCR of printed lists: н read as и, з as э, e as c */
        {"ЗАХАРЧЕИКО", "Захарченко", RZ_LEVEL_CLOSE},
        {"МАЭУР", "Мазур", RZ_LEVEL_CLOSE},
        {"Kovalcnko", "Kovalenko", RZ_LEVEL_CLOSE},
        /* consonants of one shape tell real surnames apart */
        {"Абель", "Авель", RZ_LEVEL_FAR},
        {"Білінська", "Вілінська", RZ_LEVEL_FAR},
        /* Р read as Ь: a ь after a vowel is no spelling, it is the Р */
        {"БОНДАЬ", "Бондар", RZ_LEVEL_CLOSE},
        {"ГОНЧАЬЕНКО", "Гончаренко", RZ_LEVEL_CLOSE},
        /* after a consonant ь is a spelling, and р/ь tell real surnames apart */
        {"Коваль", "Ковар", RZ_LEVEL_FAR},
        {"Гуль", "Гур", RZ_LEVEL_FAR},
    };
    expect_surname_levels(cases, sizeof cases / sizeof cases[0]);
}

Test(names, a_doubled_letter_and_a_slip_is_a_typing_error)
{
    const level_case cases[] = {
        /* a key struck twice and two letters swapped */
        {"Boddnar", "BONDAR", RZ_LEVEL_CLOSE},
        {"Ткаченнко", "Ткачекно", RZ_LEVEL_CLOSE},
        /* a doubled letter and a letter left out is any letter for any other */
        {"Bonnar", "Bondar", RZ_LEVEL_FAR},
        /* nor a neighbouring key: real surnames, each written as it is */
        {"Баллак", "Бабак", RZ_LEVEL_FAR},
        {"Роллан", "Нолан", RZ_LEVEL_FAR},
        /* the first letter is seen: Улисс and Луис are two names */
        {"Улисс", "Луис", RZ_LEVEL_FAR},
        /* and different surnames stay apart however the letters are doubled */
        {"Бондар", "Бондаренко", RZ_LEVEL_FAR},
        {"Ганна", "Гнат", RZ_LEVEL_FAR},
    };
    expect_surname_levels(cases, sizeof cases / sizeof cases[0]);
}

Test(names, a_slip_in_one_writing_is_seen_across_scripts)
{
    const level_case cases[] = {
        /* the Cyrillic record has a typing or OCR error, the other is a transliteration */
        {"ВОВЕ", "Vovk", RZ_LEVEL_CLOSE},       /* е for к: neighbours on ЙЦУКЕН */
        {"ВАГАНРВ", "Vaganov", RZ_LEVEL_CLOSE}, /* р for о */
        {"ЗАХАРЧЕИКО", "Zakharchenko", RZ_LEVEL_CLOSE},
        {"LEVCNHUK", "Левенгук", RZ_LEVEL_CLOSE}, /* c for e */
        /* a vowel for a vowel is another name, also next to it on the keyboard */
        {"Ахметов", "Akhmatov", RZ_LEVEL_FAR},
        /* Buiko's i beside a vowel is й, not the і next to ч */
        {"Бучко", "Buiko", RZ_LEVEL_FAR},
    };
    expect_surname_levels(cases, sizeof cases / sizeof cases[0]);
}

Test(names, a_typing_error_in_another_form_of_the_given_name_is_close)
{
    const level_case cases[] = {
        /* a letter left out of the Russian form, compared with the Ukrainian one */
        {"Олександр Клименко", "Aleksndr Klimenko", RZ_LEVEL_CLOSE},
        {"Ірина Корнацька", "Irna Kornatska", RZ_LEVEL_CLOSE},
        {"Роман Ковальчук", "Riman Kovalchuk", RZ_LEVEL_CLOSE}, /* o for i */
        /* two errors, or two names of the dictionary, stay apart */
        {"Олександр Клименко", "Aleksnd Klimenko", RZ_LEVEL_FAR},
        {"Юрій Іванов", "Юлій Іванов", RZ_LEVEL_FAR},
    };
    /* blocking meets them on the canonical name too */
    struct key_list k;
    keys_of("Aleksndr Klimenko", &k);
    cr_expect_not_null(strstr(k.text, "given_canon=oleksandr;"), "%s", k.text);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rz_name_comparison c = compare(cases[i].a, cases[i].b);
        cr_expect_eq(c.parts[RZ_PART_GIVEN].level, cases[i].level, "%s / %s: %s", cases[i].a,
                     cases[i].b, rz_level_name(c.parts[RZ_PART_GIVEN].level));
    }
}

static void expect_other_surname(const rz_name *n, const char *text, const char *want)
{
    const char *got = rz_name_other_surname(n);
    if (want == NULL)
        cr_expect_null(got, "%s: other surname '%s'", text, got);
    else
        cr_expect(got && strcmp(got, want) == 0, "%s: other surname '%s', want '%s'", text,
                  got ? got : "(none)", want);
}

Test(names, a_bracketed_surname_is_the_persons_other_surname)
{
    const char *cases[][5] = {
        /* text, surname as written (the other kept in brackets), given, patronymic, other */
        {"Іваненко (Петренко) Ольга", "Іваненко (Петренко)", "Ольга", NULL, "Петренко"},
        {"Іваненко (дів. Петренко) Ольга Іванівна", "Іваненко (Петренко)", "Ольга", "Іванівна",
         "Петренко"},
        {"Иваненко (урожд. Петренко) Ольга", "Иваненко (Петренко)", "Ольга", NULL, "Петренко"},
        {"Ivanenko (nee Petrenko) Olha", "Ivanenko (Petrenko)", "Olha", NULL, "Petrenko"},
        {"Olha Ivanenko (née Petrenko)", "Ivanenko (Petrenko)", "Olha", NULL, "Petrenko"},
        {"Іваненко (Петренко), Ольга", "Іваненко (Петренко)", "Ольга", NULL, "Петренко"},
        {"КОВАЛЬ (ШЕВЧУК) Марія Петрівна", "КОВАЛЬ (ШЕВЧУК)", "Марія", "Петрівна", "ШЕВЧУК"},
        {"Баулин (Андреев) Аркадий", "Баулин (Андреев)", "Аркадий", NULL, "Андреев"},
        /* a given name in brackets is no other surname: it stays where it was read before */
        {"Клименко Олександр (Сашко)", "Клименко", "Олександр", "Сашко", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_parts(cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
        rz_name *n = parse(cases[i][0]);
        expect_other_surname(n, cases[i][0], cases[i][4]);
        rz_name_free(n);
    }
    /* a surname column written so, and the stored parts read back, keep the other surname */
    rz_name *n = NULL, *back = NULL;
    cr_assert_eq(rz_name_from_parts(ctx, "Іваненко (дів. Петренко)", "Ольга", NULL, &n, NULL),
                 RZ_OK);
    cr_expect_str_eq(rz_name_written(n, RZ_PART_SURNAME), "Іваненко (Петренко)");
    expect_other_surname(n, "surname field", "Петренко");
    cr_assert_eq(
        rz_name_from_parts(ctx, rz_name_written(n, RZ_PART_SURNAME), "Ольга", NULL, &back, NULL),
        RZ_OK);
    expect_other_surname(back, "read back", "Петренко");
    cr_expect_str_eq(rz_name_clean(back, RZ_PART_SURNAME), "іваненко");
    rz_name_free(n);
    rz_name_free(back);
}

Test(names, agreement_with_either_surname_is_agreement)
{
    const char *same[][2] = {
        {"Іваненко (Петренко) Ольга", "Петренко Ольга"},
        {"Іваненко (дів. Петренко) Ольга Іванівна", "ПЕТРЕНКО Ольга Іванівна"},
        {"Иваненко (урожд. Петренко) Ольга", "Petrenko Olha"},
        {"Ivanenko (nee Petrenko) Olha", "Петренко Ольга"},
        {"Петренко Ольга", "Іваненко (дів. Петренко) Ольга"},
        {"Іваненко (Петренко) Ольга", "Сидоренко (Петренко) Ольга"}, /* two marriages */
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        rz_name_comparison c = compare(same[i][0], same[i][1]);
        const rz_part_comparison *s = &c.parts[RZ_PART_SURNAME];
        cr_expect_eq(s->level, RZ_LEVEL_EQUIVALENT, "%s / %s: %s", same[i][0], same[i][1],
                     rz_level_name(s->level));
        cr_expect(s->reason && strstr(s->reason, "other surname"), "%s / %s: %s", same[i][0],
                  same[i][1], s->reason);
        cr_expect_geq(c.level, RZ_LEVEL_EQUIVALENT, "%s / %s", same[i][0], same[i][1]);
    }
    /* the surname itself still agrees as before */
    cr_expect_eq(compare("Іваненко (Петренко) Ольга", "Іваненко Ольга").level, RZ_LEVEL_EXACT);
    /* neither surname: different people */
    cr_expect_eq(compare("Іваненко (Петренко) Ольга", "Сидоренко Ольга").parts[0].level,
                 RZ_LEVEL_FAR);
    cr_expect_eq(compare("Іваненко (Петренко) Ольга", "Петрук Ольга").parts[0].level, RZ_LEVEL_FAR);
    /* the keys cover both surnames, so blocking and search meet the record under either */
    struct key_list k;
    keys_of("Іваненко (дів. Петренко) Ольга", &k);
    cr_expect_not_null(strstr(k.text, "sur_fold=ivanenko;"), "%s", k.text);
    cr_expect_not_null(strstr(k.text, "sur_fold=petrenko;"), "%s", k.text);
    cr_expect_not_null(strstr(k.text, "sur_dm=739650;"), "%s", k.text);
    cr_expect_null(strstr(k.text, "given_skel=petrenko;"), "%s", k.text);
}

static void expect_title(const char *text, const char *title)
{
    rz_name *n = parse(text);
    const char *got = rz_name_title(n);
    if (title == NULL)
        cr_expect_null(got, "%s: rank '%s'", text, got);
    else
        cr_expect(got && strcmp(got, title) == 0, "%s: rank '%s', want '%s'", text,
                  got ? got : "(none)", title);
    rz_name_free(n);
}

Test(names, a_rank_before_the_name_is_set_aside)
{
    const char *cases[][5] = {
        {"солдат Шевченко Тарас", "солдат", "Шевченко", "Тарас", NULL},
        {"ст. сержант КЛИМЕНКО Олександр Іванович", "ст. сержант", "КЛИМЕНКО", "Олександр",
         "Іванович"},
        {"мол. сержант Бондар Петро", "мол. сержант", "Бондар", "Петро", NULL},
        {"рядовой Иванов Сергей Петрович", "рядовой", "Иванов", "Сергей", "Петрович"},
        {"Рядовий ТКАЧУК Василь", "Рядовий", "ТКАЧУК", "Василь", NULL},
        {"капитан Кравченко Николай", "капитан", "Кравченко", "Николай", NULL},
        {"ст. лейтенант Мельник О. І.", "ст. лейтенант", "Мельник", "О", "І"},
        {"підполковник Бойко Андрій Миколайович", "підполковник", "Бойко", "Андрій", "Миколайович"},
        {"Sgt. Taras Shevchenko", "Sgt.", "Shevchenko", "Taras", NULL},
        {"Pvt Oleksandr Klymenko", "Pvt", "Klymenko", "Oleksandr", NULL},
        /* a surname the dictionary could read as a form of Андрій */
        {"капітан Андрєєв Роман", "капітан", "Андрєєв", "Роман", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_parts(cases[i][0], cases[i][2], cases[i][3], cases[i][4]);
        expect_title(cases[i][0], cases[i][1]);
    }
    cr_expect_eq(compare("солдат Шевченко Тарас", "Шевченко Тарас").level, RZ_LEVEL_EXACT);
    cr_expect_eq(compare("матрос Коваленко Іван", "Kovalenko Ivan").level, RZ_LEVEL_EQUIVALENT);
    struct key_list a, b;
    keys_of("сержант Шевченко Тарас", &a);
    keys_of("Шевченко Тарас", &b);
    cr_expect_str_eq(a.text, b.text);
}

Test(names, a_surname_that_is_a_rank_word_is_kept_when_it_is_the_only_surname)
{
    /* what follows the rank word may not be a surname (given name, patronymic, initials):
     * the word is the surname */
    expect_parts("Майор Іван Петрович", "Майор", "Іван", "Петрович");
    expect_title("Майор Іван Петрович", NULL);
    expect_parts("МАЙОР І. П.", "МАЙОР", "І", "П");
    expect_parts("Капітан Олена", "Капітан", "Олена", NULL);
    expect_parts("MAJOR Ivan", "MAJOR", "Ivan", NULL);
    /* a rank and a surname that is the same word */
    expect_parts("майор Майор Іван", "Майор", "Іван", NULL);
    expect_title("майор Майор Іван", "майор");
    /* only whole words, only at the start */
    expect_parts("Майоренко Іван", "Майоренко", "Іван", NULL);
    expect_title("Майоренко Іван", NULL);
    expect_parts("Іван Майор", "Майор", "Іван", NULL);
    expect_title("Іван Майор", NULL);
    cr_expect_eq(compare("Майор Іван Петрович", "Майор Іван").level, RZ_LEVEL_EXACT);
}

Test(names, one_part_of_a_double_surname_is_a_weaker_agreement)
{
    rz_name_comparison c = compare("Petrenko-Ivanenko Olha", "Ольга Петренко");
    cr_expect_eq(c.parts[RZ_PART_SURNAME].level, RZ_LEVEL_CLOSE);
    cr_expect_str_eq(c.parts[RZ_PART_SURNAME].reason, "one part of a double surname");
    const level_case cases[] = {
        {"Петренко-Іваненко", "Петренко", RZ_LEVEL_CLOSE},
        {"Петренко-Іваненко", "Іваненко", RZ_LEVEL_CLOSE},
        {"Petrenko-Ivanenko", "Іваненко", RZ_LEVEL_CLOSE},
        {"Шевченко-Бондар", "Bondar", RZ_LEVEL_CLOSE},
        {"Косач-Квітка", "Квитка", RZ_LEVEL_CLOSE},
        {"Петренко-Іванова", "Іванов", RZ_LEVEL_CLOSE}, /* her husband's surname, his ending */
        /* the whole double surname stays stronger */
        {"Петренко-Іваненко", "Petrenko-Ivanenko", RZ_LEVEL_EQUIVALENT},
        /* not a part: a longer surname that starts like one */
        {"Шевченко-Бондар", "Бондаренко", RZ_LEVEL_FAR},
        {"Петренко-Іваненко", "Сидоренко", RZ_LEVEL_FAR},
        /* two double surnames that share one part: two different families */
        {"Петренко-Іваненко", "Петренко-Сидоренко", RZ_LEVEL_FAR},
        {"Шевченко-Бондар", "Бондар-Шевчук", RZ_LEVEL_FAR},
    };
    expect_surname_levels(cases, sizeof cases / sizeof cases[0]);
    struct key_list k;
    keys_of("Петренко-Іваненко Ольга", &k);
    cr_expect_not_null(strstr(k.text, "sur_fold=petrenko;"), "%s", k.text);
    cr_expect_not_null(strstr(k.text, "sur_fold=ivanenko;"), "%s", k.text);
}
