/* test_translit.c: `rozshuk translit` as a user drives it: renderings, stdin, list, errors. */
#include <criterion/criterion.h>

#include "support.h"

#include <string.h>

static rzt_proc run_in(const char *const *args, const char *input)
{
    rzt_proc p;
    cr_assert_eq(rzt_run(args, input, NULL, &p), 0, "cannot run $ROZSHUK_BIN");
    return p;
}

Test(cli_translit, renders_each_text_on_its_own_line)
{
    const char *args[] = {"translit",           "--scheme",       "uk-kmu-2010",
                          "Олександр Клименко", "ЗГУРСЬКИЙ Юрій", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_str_eq(p.out, "Oleksandr Klymenko\nZGHURSKYI Yurii\n");
    rzt_proc_free(&p);

    const char *icao[] = {"translit", "-s", "ru-icao-9303", "Александр Клименко", NULL};
    p = run_in(icao, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_str_eq(p.out, "Aleksandr Klimenko\n");
    rzt_proc_free(&p);
}

Test(cli_translit, reads_lines_from_stdin_and_reports_a_bad_line)
{
    const char *args[] = {"translit", "--scheme", "uk-kmu-2010", "-", NULL};
    rzt_proc p = run_in(args, "Юлія Щербак\nМар\xE2\x80\x99яна\n");
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_str_eq(p.out, "Yuliia Shcherbak\nMariana\n");
    rzt_proc_free(&p);

    /* line 2 is not UTF-8: an error naming line and byte, an empty output line, the rest */
    p = run_in(args, "Ярослав\nКлим\xFF\nҐудзь\n");
    cr_assert_eq(p.exit_code, 1);
    cr_assert_str_eq(p.out, "Yaroslav\n\nGudz\n");
    cr_assert_not_null(strstr(p.err, "line 2: invalid UTF-8 at byte 9"), "%s", p.err);
    rzt_proc_free(&p);
}

Test(cli_translit, lists_the_schemes)
{
    const char *args[] = {"translit", "--list", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "uk-kmu-2010"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "ru-icao-9303       ru "), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "be-bgn-pcgn        be "), "%s", p.out);
    size_t lines = 0;
    for (const char *c = p.out; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 13);
    rzt_proc_free(&p);
}

Test(cli_translit, errors_and_exit_codes)
{
    const char *unknown[] = {"translit", "--scheme", "uk-kmu-2011", "Іван", NULL};
    rzt_proc p = run_in(unknown, NULL);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "unknown transliteration scheme 'uk-kmu-2011'"), "%s", p.err);
    rzt_proc_free(&p);

    const char *noscheme[] = {"translit", "Іван", NULL};
    p = run_in(noscheme, NULL);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "--scheme"), "%s", p.err);
    rzt_proc_free(&p);

    const char *notext[] = {"translit", "--scheme", "uk-kmu-2010", NULL};
    p = run_in(notext, NULL);
    cr_assert_eq(p.exit_code, 2);
    rzt_proc_free(&p);

    const char *badopt[] = {"translit", "--bogus", NULL};
    p = run_in(badopt, NULL);
    cr_assert_eq(p.exit_code, 2);
    cr_assert_not_null(strstr(p.err, "--bogus"), "%s", p.err);
    rzt_proc_free(&p);

    const char *badutf[] = {"translit", "--scheme", "uk-kmu-2010", "Іван", "\xC0\xAF", NULL};
    p = run_in(badutf, NULL);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_str_eq(p.out, "Ivan\n\n"); /* an empty line for the failed text */
    cr_assert_not_null(strstr(p.err, "argument 2: invalid UTF-8 at byte 1"), "%s", p.err);
    rzt_proc_free(&p);

    const char *help[] = {"translit", "--help", NULL};
    p = run_in(help, NULL);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "usage: rozshuk translit"), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_translit, json_gives_one_object_per_text_and_per_failure)
{
    const char *args[] = {"translit", "--json", "--scheme", "uk-kmu-2010", "Мар'яна", "\xFF", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_str_eq(p.out, "{\"scheme\":\"uk-kmu-2010\",\"text\":\"Мар'яна\",\"latin\":"
                            "\"Mariana\"}\n"
                            "{\"scheme\":\"uk-kmu-2010\",\"where\":\"argument 2\",\"error\":"
                            "\"invalid UTF-8 at byte 1 (0xFF)\"}\n");
    rzt_proc_free(&p);

    const char *list[] = {"translit", "--list", "--json", NULL};
    p = run_in(list, NULL);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "{\"name\":\"ru-icao-9303\",\"lang\":\"ru\",\"title\":"), "%s",
                       p.out);
    rzt_proc_free(&p);
}
