/*
 * test_gen.c: the synthetic population generator (bench/gen): reproducibility, name
 * frequencies, the grammar of surnames and patronymics, and that each corruption operator
 * does what it says. The benchmarks' figures are only as good as this generator.
 */
#include <criterion/criterion.h>

#include "gen_pop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static gen_tables tables;

static void load_tables(void)
{
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(gen_tables_load(GEN_DATA_DIR, &tables, &err), RZ_OK, "%s", err.message);
}

static void free_tables(void)
{
    gen_tables_free(&tables);
}

static size_t find_row(const gen_table *t, const char *uk)
{
    for (size_t i = 0; i < t->rows; i++)
        if (strcmp(gen_table_cell(t, i, 0), uk) == 0)
            return i;
    cr_assert_fail("no row %s", uk);
    return 0;
}

/* Damerau-Levenshtein (optimal string alignment) distance in code points. */
static size_t edit_distance(const char *a, const char *b)
{
    uint32_t x[GEN_TEXT_MAX], y[GEN_TEXT_MAX];
    size_t n, m;
    cr_assert(gen_utf8_decode(a, x, GEN_TEXT_MAX, &n));
    cr_assert(gen_utf8_decode(b, y, GEN_TEXT_MAX, &m));
    static size_t d[64][64];
    cr_assert(n < 64 && m < 64);
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = x[i - 1] != y[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

Test(gen, same_seed_same_numbers_other_seed_others)
{
    gen_rng a, b, c;
    gen_rng_seed(&a, 42);
    gen_rng_seed(&b, 42);
    gen_rng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = gen_rng_next(&a);
        cr_assert_eq(x, gen_rng_next(&b));
        differ += x != gen_rng_next(&c);
    }
    cr_assert_gt(differ, 990);
    for (int i = 0; i < 1000; i++) {
        cr_assert_lt(gen_rng_below(&a, 7), 7u);
        double u = gen_rng_unit(&a);
        cr_assert(u >= 0 && u < 1);
    }
}

Test(gen, common_surnames_are_drawn_as_often_as_their_weight, .init = load_tables,
     .fini = free_tables)
{
    size_t melnyk = find_row(&tables.surnames, "Мельник");
    size_t shevchenko = find_row(&tables.surnames, "Шевченко");
    size_t zgurskyi = find_row(&tables.surnames, "Згурський");
    double total = tables.surnames.cumul[tables.surnames.rows - 1];
    double w_melnyk = 110 / total;
    gen_rng r;
    gen_rng_seed(&r, 7);
    size_t draws = 400000, n_melnyk = 0, n_shevchenko = 0, n_zgurskyi = 0;
    for (size_t i = 0; i < draws; i++) {
        size_t k = gen_table_pick(&tables.surnames, &r);
        n_melnyk += k == melnyk;
        n_shevchenko += k == shevchenko;
        n_zgurskyi += k == zgurskyi;
    }
    double f = (double)n_melnyk / (double)draws;
    cr_assert(f > w_melnyk * 0.9 && f < w_melnyk * 1.1, "Мельник drawn %.4f, weight %.4f", f,
              w_melnyk);
    cr_assert_gt(n_shevchenko, 50 * (n_zgurskyi + 1), "Шевченко %zu vs Згурський %zu", n_shevchenko,
                 n_zgurskyi);
    /* The Russian form is kept beside the Ukrainian one. */
    cr_assert_str_eq(gen_table_cell(&tables.surnames, find_row(&tables.surnames, "Олійник"), 1),
                     "Олейник");
}

Test(gen, feminine_surnames_follow_the_grammar)
{
    static const struct {
        const char *masc;
        bool russian;
        const char *fem;
    } cases[] = {
        {"Шевченко", false, "Шевченко"},
        {"Мельник", false, "Мельник"},
        {"Ковальський", false, "Ковальська"},
        {"Висоцький", false, "Висоцька"},
        {"Білий", false, "Біла"},
        {"Іванов", false, "Іванова"},
        {"Лебедєв", false, "Лебедєва"},
        {"Ільїн", false, "Ільїна"},
        {"Бородін", false, "Бородіна"},
        {"Ковалевский", true, "Ковалевская"},
        {"Высоцкий", true, "Высоцкая"},
        {"Белый", true, "Белая"},
        {"Толстой", true, "Толстая"},
        {"Кузнецов", true, "Кузнецова"},
        {"Ильин", true, "Ильина"},
        {"Бондаренко", true, "Бондаренко"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[GEN_TEXT_MAX];
        cr_assert(gen_surname_feminine(cases[i].masc, cases[i].russian, out, sizeof out));
        cr_assert_str_eq(out, cases[i].fem, "%s", cases[i].masc);
    }
}

Test(gen, children_take_the_fathers_name_as_patronymic, .init = load_tables, .fini = free_tables)
{
    gen_person p = {.id = 1, .male = false};
    p.surname = find_row(&tables.surnames, "Ковальчук");
    p.given = find_row(&tables.female, "Олена");
    p.father = find_row(&tables.male, "Микола");
    gen_names uk, ru;
    cr_assert(gen_person_names(&tables, &p, false, &uk));
    cr_assert(gen_person_names(&tables, &p, true, &ru));
    cr_assert_str_eq(uk.patronymic, "Миколаївна");
    cr_assert_str_eq(ru.given, "Елена");
    cr_assert_str_eq(ru.patronymic, "Николаевна");
    p.male = true;
    p.surname = find_row(&tables.surnames, "Яворський");
    p.given = find_row(&tables.male, "Олександр");
    p.father = find_row(&tables.male, "Юрій");
    cr_assert(gen_person_names(&tables, &p, true, &ru));
    cr_assert_str_eq(ru.surname, "Яворский");
    cr_assert_str_eq(ru.given, "Александр");
    cr_assert_str_eq(ru.patronymic, "Юрьевич");
}

Test(gen, families_share_surnames_and_siblings_share_patronymics, .init = load_tables,
     .fini = free_tables)
{
    gen_rng r;
    gen_rng_seed(&r, 3);
    uint64_t next = 1;
    size_t sibling_pairs = 0, parent_child = 0;
    uint64_t expected_id = 1;
    for (int f = 0; f < 2000; f++) {
        gen_person fam[4];
        size_t n;
        gen_family(&r, &tables, &next, fam, &n);
        cr_assert(n >= 1 && n <= 4);
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(fam[i].id, expected_id++);
            cr_assert_eq(fam[i].surname, fam[0].surname);
            cr_assert(fam[i].birth.y >= 1900 && fam[i].birth.y <= 2006);
            for (size_t j = 0; j < i; j++) {
                sibling_pairs += fam[i].father == fam[j].father;
                parent_child += fam[i].male && fam[i].given == fam[j].father &&
                                fam[i].birth.y + 15 <= fam[j].birth.y;
            }
        }
    }
    cr_assert_gt(sibling_pairs, 100, "siblings sharing a patronymic: %zu", sibling_pairs);
    cr_assert_gt(parent_child, 50, "fathers whose name is a child's patronymic: %zu", parent_child);
}

Test(gen, typo_is_one_edit_and_keeps_the_first_letter)
{
    static const char *const names[] = {"Олександр", "Коваленко", "Klymenko", "Ярослав", "Ivan"};
    gen_rng r;
    gen_rng_seed(&r, 11);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (int k = 0; k < 200; k++) {
            char s[GEN_TEXT_MAX];
            snprintf(s, sizeof s, "%s", names[i]);
            cr_assert(gen_typo(&r, s, sizeof s));
            cr_assert_eq(edit_distance(s, names[i]), 1, "%s -> %s", names[i], s);
            size_t first = (unsigned char)names[i][0] < 0x80 ? 1 : 2; /* bytes of letter 1 */
            cr_assert_eq(strncmp(s, names[i], first), 0, "%s -> %s", names[i], s);
        }
    char tiny[GEN_TEXT_MAX] = "Ян";
    cr_assert_not(gen_typo(&r, tiny, sizeof tiny));
    cr_assert_str_eq(tiny, "Ян");
}

Test(gen, ocr_confuses_look_alike_letters)
{
    gen_rng r;
    gen_rng_seed(&r, 5);
    char s[GEN_TEXT_MAX] = "Шишкін";
    cr_assert(gen_ocr(&r, s, sizeof s));
    cr_assert_str_neq(s, "Шишкін");
    cr_assert_leq(edit_distance(s, "Шишкін"), 2);
    char latin[GEN_TEXT_MAX] = "Shevchenko";
    cr_assert(gen_ocr(&r, latin, sizeof latin));
    cr_assert_str_neq(latin, "Shevchenko");
    char none[GEN_TEXT_MAX] = "Ю";
    cr_assert_not(gen_ocr(&r, none, sizeof none));
}

Test(gen, homoglyphs_put_latin_look_alikes_inside_cyrillic)
{
    gen_rng r;
    gen_rng_seed(&r, 9);
    for (int k = 0; k < 100; k++) {
        char s[GEN_TEXT_MAX] = "Олександра";
        cr_assert(gen_homoglyph(&r, s, sizeof s));
        cr_assert(gen_has_latin(s), "%s", s);
        cr_assert(gen_has_cyrillic(s), "%s", s);
        cr_assert_eq(edit_distance(s, "Олександра") >= 1, true);
        /* Only look-alikes changed: the letters that are not look-alikes stay in place. */
        cr_assert(strstr(s, "л") && strstr(s, "к") && strstr(s, "н") && strstr(s, "д"), "%s", s);
    }
    char latin[GEN_TEXT_MAX] = "Klymenko";
    cr_assert_not(gen_homoglyph(&r, latin, sizeof latin));
}

Test(gen, date_corruptions_do_what_they_say)
{
    gen_date d = {1985, 3, 12};
    gen_date s = d;
    cr_assert(gen_date_swap(&s));
    cr_assert(s.y == 1985 && s.m == 12 && s.d == 3);
    gen_date late = {1985, 3, 25};
    cr_assert_not(gen_date_swap(&late)); /* 25 cannot be a month */
    gen_date same = {1985, 4, 4};
    cr_assert_not(gen_date_swap(&same));

    gen_rng r;
    gen_rng_seed(&r, 1);
    char a[16], b[16];
    gen_date_format(&d, GEN_DATE_DMY_DOT, a, sizeof a);
    cr_assert_str_eq(a, "12.03.1985");
    for (int k = 0; k < 500; k++) {
        gen_date x = d;
        cr_assert(gen_date_digit(&r, &x));
        gen_date_format(&x, GEN_DATE_DMY_DOT, b, sizeof b);
        int diff = 0;
        for (size_t i = 0; i < strlen(a); i++)
            diff += a[i] != b[i];
        cr_assert_eq(diff, 1, "%s -> %s", a, b);
        cr_assert(x.m >= 1 && x.m <= 12 && x.d >= 1 && x.d <= 31, "%s", b);
    }
    gen_date y = d;
    gen_date_year_only(&y);
    gen_date_format(&y, GEN_DATE_ISO, b, sizeof b);
    cr_assert_str_eq(b, "1985");
    gen_date_missing(&y);
    gen_date_format(&y, GEN_DATE_ISO, b, sizeof b);
    cr_assert_str_eq(b, "");
    gen_date_format(&d, GEN_DATE_ISO, b, sizeof b);
    cr_assert_str_eq(b, "1985-03-12");
    gen_date_format(&d, GEN_DATE_DMY_SLASH, b, sizeof b);
    cr_assert_str_eq(b, "12/03/1985");
}

Test(gen, csv_fields_are_quoted_when_needed)
{
    char buf[128];
    size_t len = 0;
    cr_assert(gen_csv_field(buf, sizeof buf, &len, "NPU-1", true));
    cr_assert(gen_csv_field(buf, sizeof buf, &len, "Нова Каховка, Херсонська", false));
    cr_assert(gen_csv_field(buf, sizeof buf, &len, "a \"b\"", false));
    cr_assert_str_eq(buf, "NPU-1,\"Нова Каховка, Херсонська\",\"a \"\"b\"\"\"");
}

static gen_person known_person(void)
{
    gen_person p = {.id = 7, .male = true};
    p.surname = find_row(&tables.surnames, "Шевченко");
    p.given = find_row(&tables.male, "Олександр");
    p.father = find_row(&tables.male, "Іван");
    p.birth = (gen_date){1985, 3, 12};
    p.birth_place = p.last_seen_place = find_row(&tables.places, "Маріуполь");
    return p;
}

static const gen_source *source(const char *name)
{
    for (size_t i = 0; i < gen_source_count; i++)
        if (strcmp(gen_sources[i].name, name) == 0)
            return &gen_sources[i];
    cr_assert_fail("no source %s", name);
    return NULL;
}

Test(gen, upper_case_covers_cyrillic_and_latin_letters_with_marks)
{
    char out[GEN_TEXT_MAX];
    cr_assert(gen_upper("ґалаґан єва їжак шевчук", out, sizeof out));
    cr_assert_str_eq(out, "ҐАЛАҐАН ЄВА ЇЖАК ШЕВЧУК");
    cr_assert(gen_upper("Ševčuk Łukasz Żółć", out, sizeof out));
    cr_assert_str_eq(out, "ŠEVČUK ŁUKASZ ŻÓŁĆ");
}

Test(gen, latin_renderings_use_the_projects_standards)
{
    gen_romanizer *g;
    rz_error err;
    cr_assert_eq(gen_romanizer_open(false, &g, &err), RZ_OK);
    cr_assert_geq(gen_romanizer_count(g, false), 2);
    cr_assert_geq(gen_romanizer_count(g, true), 2);
    bool kmu = false, icao = false;
    for (size_t i = 0; i < gen_romanizer_count(g, false); i++) {
        char out[GEN_TEXT_MAX];
        cr_assert_eq(gen_romanizer_apply(g, false, i, "Олександр", out, sizeof out, &err), RZ_OK);
        cr_assert_not(gen_has_cyrillic(out), "%s", out);
        if (strcmp(gen_romanizer_name(g, false, i), "uk-kmu-2010") == 0) {
            kmu = true;
            cr_assert_str_eq(out, "Oleksandr");
        }
    }
    for (size_t i = 0; i < gen_romanizer_count(g, true); i++) {
        char out[GEN_TEXT_MAX];
        cr_assert_eq(gen_romanizer_apply(g, true, i, "Щербаков", out, sizeof out, &err), RZ_OK);
        if (strcmp(gen_romanizer_name(g, true, i), "ru-icao-9303") == 0) {
            icao = true;
            cr_assert_str_eq(out, "Shcherbakov");
        }
    }
    cr_assert(kmu && icao);
    gen_romanizer_close(g);
}

Test(gen, clean_records_are_written_as_each_source_writes, .init = load_tables, .fini = free_tables)
{
    gen_model m;
    gen_model_defaults(&m);
    for (size_t i = 0; i < GEN__RATE_COUNT; i++)
        m.rate[i] = 0;
    rz_error err;
    cr_assert_eq(gen_romanizer_open(true, &m.romanizer, &err), RZ_OK);
    gen_rng r;
    gen_rng_seed(&r, 1);
    gen_person p = known_person();
    char line[1024], header[256];
    cr_assert_eq(gen_render(&r, &m, &tables, source("npu"), &p, "NPU-1", line, sizeof line, &err),
                 RZ_OK);
    cr_assert_str_eq(line, "NPU-1,ШЕВЧЕНКО Олександр Іванович,ч,12.03.1985,Маріуполь");
    gen_source_header(source("npu"), header, sizeof header);
    cr_assert_str_eq(header, "id,full_name,sex,birth_date,last_seen_place");
    cr_assert_eq(
        gen_render(&r, &m, &tables, source("hospital"), &p, "H-1", line, sizeof line, &err), RZ_OK);
    cr_assert_str_eq(line, "H-1,Шевченко Александр Иванович,м,12.03.1985,Мариуполь");
    cr_assert_eq(
        gen_render(&r, &m, &tables, source("volunteers"), &p, "V-1", line, sizeof line, &err),
        RZ_OK);
    cr_assert_str_eq(line, "V-1,Шевченко,Олександр,Іванович,ч,12/03/1985,Маріуполь");
    gen_source_header(source("volunteers"), header, sizeof header);
    cr_assert_str_eq(header, "id,surname,given_name,patronymic,sex,birth_date,place");
    /* Latin: no patronymic, ISO dates; the Ukrainian or the Russian form, romanized. */
    cr_assert_eq(
        gen_render(&r, &m, &tables, source("prisoners"), &p, "PW-1", line, sizeof line, &err),
        RZ_OK);
    cr_assert(strcmp(line, "PW-1,SHEVCHENKO,Oleksandr,M,1985-03-12,Mariupol") == 0 ||
                  strcmp(line, "PW-1,SHEVCHENKO,Aleksandr,M,1985-03-12,Mariupol") == 0,
              "%s", line);
    gen_romanizer_close(m.romanizer);
}

Test(gen, corruption_rates_show_in_the_records, .init = load_tables, .fini = free_tables)
{
    gen_model m;
    gen_model_defaults(&m);
    for (size_t i = 0; i < GEN__RATE_COUNT; i++)
        m.rate[i] = 0;
    m.rate[GEN_RATE_russian_form] = 1;
    m.rate[GEN_RATE_swap] = 1;
    m.rate[GEN_RATE_no_patronymic] = 1;
    m.rate[GEN_RATE_date_year] = 1;
    m.rate[GEN_RATE_sex_missing] = 1;
    m.rate[GEN_RATE_place_missing] = 1;
    rz_error err;
    cr_assert_eq(gen_romanizer_open(true, &m.romanizer, &err), RZ_OK);
    gen_rng r;
    gen_rng_seed(&r, 1);
    gen_person p = known_person();
    char line[1024];
    cr_assert_eq(gen_render(&r, &m, &tables, source("npu"), &p, "NPU-1", line, sizeof line, &err),
                 RZ_OK);
    cr_assert_str_eq(line, "NPU-1,Александр ШЕВЧЕНКО,,1985,");
    m.rate[GEN_RATE_russian_form] = 0;
    m.rate[GEN_RATE_date_year] = 0;
    m.rate[GEN_RATE_date_missing] = 1;
    cr_assert_eq(
        gen_render(&r, &m, &tables, source("volunteers"), &p, "V-1", line, sizeof line, &err),
        RZ_OK);
    cr_assert_str_eq(line, "V-1,Олександр,Шевченко,,,,");
    gen_romanizer_close(m.romanizer);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    cr_assert(s);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void run_gen(const char *dir, const char *seed)
{
    /* posix_spawn, not fork: a forked criterion worker must not assert before exec. */
    char *const argv[] = {"gen",    "--out",      (char *)dir, "--records", "3000",
                          "--seed", (char *)seed, "--queries", "20",        NULL};
    posix_spawn_file_actions_t fa;
    cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
    cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0), 0);
    pid_t pid;
    int rc = posix_spawn(&pid, GEN_BIN, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s", GEN_BIN);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(gen, the_program_is_reproducible_and_its_truth_covers_every_record)
{
    char a[] = "/tmp/rz-gen-a-XXXXXX", b[] = "/tmp/rz-gen-b-XXXXXX", c[] = "/tmp/rz-gen-c-XXXXXX";
    cr_assert(mkdtemp(a) && mkdtemp(b) && mkdtemp(c));
    run_gen(a, "5");
    run_gen(b, "5");
    run_gen(c, "6");
    static const char *const files[] = {"npu.csv",      "volunteers.csv", "prisoners.csv",
                                        "hospital.csv", "truth.csv",      "queries.csv"};
    size_t records = 0;
    bool other_seed_differs = false;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[256], pb[256], pc[256];
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        snprintf(pc, sizeof pc, "%s/%s", c, files[i]);
        char *sa = slurp(pa), *sb = slurp(pb), *sc = slurp(pc);
        cr_assert_str_eq(sa, sb, "%s differs between two runs with the same seed", files[i]);
        other_seed_differs |= strcmp(sa, sc) != 0;
        if (i < 4)
            records += count_lines(sa) - 1;
        else if (i == 4)
            cr_assert_eq(count_lines(sa) - 1, 3000);
        else
            cr_assert_eq(count_lines(sa) - 1, 20);
        free(sa);
        free(sb);
        free(sc);
        unlink(pa);
        unlink(pb);
        unlink(pc);
    }
    cr_assert(other_seed_differs);
    cr_assert_eq(records, 3000);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", a, b, c);
    cr_assert_eq(system(cmd), 0);
}

/* Runs bench/eval.py with the arguments and returns its standard output. */
static char *run_eval(char *const *args)
{
    char out_path[] = "/tmp/rz-eval-out-XXXXXX";
    int fd = mkstemp(out_path);
    cr_assert(fd >= 0);
    close(fd);
    char script[1024];
    snprintf(script, sizeof script, "%s/bench/eval.py", getenv("ROZSHUK_SOURCE_ROOT"));
    char *argv[32] = {"python3", script};
    size_t n = 2;
    for (; args[n - 2] && n < 31; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
    cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_TRUNC, 0), 0);
    pid_t pid;
    cr_assert_eq(posix_spawnp(&pid, "python3", &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "eval.py failed");
    char *text = slurp(out_path);
    unlink(out_path);
    return text;
}

static char *temp_file(const char *text)
{
    static char paths[4][64];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 64, "/tmp/rz-eval-in-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* Person 1 is a1, b1, c1; person 2 is a2, b2; person 3 is a3 alone. */
static const char truth_csv[] = "source,record_id,person_id\n"
                                "a,1,1\nb,1,1\nc,1,1\na,2,2\nb,2,2\na,3,3\n";
static const char candidates_csv[] = "source_a,source_id_a,source_b,source_id_b,probability\n"
                                     "a,1,b,1,0.9\n"
                                     "b,1,a,1,0.95\n" /* the same pair again, reversed */
                                     "b,1,c,1,0.4\n"
                                     "a,2,b,2,0.8\n"
                                     "a,1,a,3,0.7\n";

Test(gen, eval_counts_pairs_once_and_scores_precision_recall_f1)
{
    char *truth = temp_file(truth_csv), *cand = temp_file(candidates_csv);
    char *const dedupe[] = {"quality", "--truth", truth, "--candidates", cand, "--json", NULL};
    char *out = run_eval(dedupe);
    /* 4 true pairs (3 of person 1, 1 of person 2); at 0.5: a1-b1, a2-b2 true, a1-a3 false. */
    cr_assert(strstr(out, "\"true_pairs\": 4"), "%s", out);
    cr_assert(strstr(out, "\"candidate_pairs\": 4"), "%s", out);
    cr_assert(strstr(out, "\"tp\": 2, \"fp\": 1, \"fn\": 2"), "%s", out);
    cr_assert(strstr(out, "\"recall\": 0.5,"), "%s", out);
    free(out);
    char *const link[] = {"quality", "--truth", truth, "--candidates", cand, "--link",
                          "a",       "--to",    "b",   "--json",       NULL};
    out = run_eval(link);
    /* Linking a to b: 2 true pairs (a1-b1, a2-b2), both found, nothing else in scope. */
    cr_assert(strstr(out, "\"true_pairs\": 2"), "%s", out);
    cr_assert(strstr(out, "\"tp\": 2, \"fp\": 0, \"fn\": 0"), "%s", out);
    cr_assert(strstr(out, "\"f1\": 1.0"), "%s", out);
    free(out);
    char *const blocking[] = {"blocking", "--truth", truth, "--candidates", cand, "--json", NULL};
    out = run_eval(blocking);
    /* 4 distinct pairs generated of 15; 3 of the 4 true pairs among them. */
    cr_assert(strstr(out, "\"pairs_completeness\": 0.75"), "%s", out);
    cr_assert(strstr(out, "\"reduction_ratio\": 0.7333"), "%s", out);
    free(out);
    unlink(truth);
    unlink(cand);
}
