/* test_names.c: `rozshuk name` and `rozshuk compare` as a user drives them. */
#include <criterion/criterion.h>

#include "rozshuk/names.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static rzt_proc run_in(const char *const *args, const char *input)
{
    rzt_proc p;
    cr_assert_eq(rzt_run(args, input, NULL, &p), 0, "cannot run $ROZSHUK_BIN");
    return p;
}

Test(cli_names, name_prints_parts_keys_and_canonical)
{
    const char *args[] = {"name", "КЛИМЕНКО", "Олександр", "Іванович", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "surname     КЛИМЕНКО"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "canonical oleksandr"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "base name ivan"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "language    uk"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "sur_skel     klimenko"), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_names, name_json_is_one_object)
{
    const char *args[] = {"name", "--json", "Klymenko, Oleksandr", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "\"surname\":{\"written\":\"Klymenko\""), "%s", p.out);
    char version[32];
    snprintf(version, sizeof version, "\"key_version\":%d,", RZ_KEY_VERSION);
    cr_assert_not_null(strstr(p.out, version), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "{\"kind\":\"given_canon\",\"key\":\"oleksandr\"}"), "%s",
                       p.out);
    cr_assert_eq(strchr(p.out, '\n'), p.out + strlen(p.out) - 1, "one line: %s", p.out);
    rzt_proc_free(&p);
}

Test(cli_names, name_errors_are_clear_with_exit_1_or_2)
{
    const char *digits[] = {"name", "12345", NULL};
    rzt_proc p = run_in(digits, NULL);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "no letters"), "%s", p.err);
    rzt_proc_free(&p);
    const char *bad[] = {"name", "\xff\xfe", NULL};
    p = run_in(bad, NULL);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "invalid UTF-8"), "%s", p.err);
    rzt_proc_free(&p);
    const char *none[] = {"name", NULL};
    p = run_in(none, NULL);
    cr_assert_eq(p.exit_code, 2);
    rzt_proc_free(&p);
    const char *help[] = {"compare", "--help", NULL};
    p = run_in(help, NULL);
    cr_assert_eq(p.exit_code, 0);
    cr_assert_not_null(strstr(p.out, "--pairs"), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_names, compare_json_has_score_level_and_parts)
{
    const char *args[] = {"compare", "--json", "Олександр Клименко", "KLYMENKO OLEKSANDR", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "\"level\":\"equivalent\""), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"score\":0.9"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"parts\":{\"surname\":{\"score\":"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"patronymic\":{\"score\":0.0000,\"level\":\"missing\""),
                       "%s", p.out);
    rzt_proc_free(&p);
    const char *far[] = {"compare", "Іван Балога", "Павло Балога", NULL};
    p = run_in(far, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "overall     far"), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_names, compare_pairs_keeps_going_past_bad_lines)
{
    const char *input = "Олександр Клименко\tAleksandr Klimenko\n"
                        "no tab here\n"
                        "Іван Балога\tПавло Балога\n"
                        "\xff\tІван\n"
                        "Тарас Шевченко\tTaras Shevchenko\n";
    const char *args[] = {"compare", "--pairs", "-", NULL};
    rzt_proc p = run_in(args, input);
    cr_assert_eq(p.exit_code, 1, "bad lines make the exit code 1");
    cr_assert_not_null(strstr(p.err, "2 of 5 lines"), "%s", p.err);
    char *lines[8] = {0};
    size_t n = 0;
    for (char *s = p.out, *nl; (nl = strchr(s, '\n')) && n < 8; s = nl + 1) {
        *nl = '\0';
        lines[n++] = s;
    }
    cr_assert_eq(n, 5, "one output line per input line");
    cr_assert_not_null(strstr(lines[0], "\"line\":1,"));
    cr_assert_not_null(strstr(lines[0], "\"level\":\"equivalent\""), "%s", lines[0]);
    cr_assert_not_null(strstr(lines[1], "\"line\":2,\"error\":"), "%s", lines[1]);
    cr_assert_not_null(strstr(lines[2], "\"level\":\"far\""), "%s", lines[2]);
    cr_assert_not_null(strstr(lines[3], "invalid UTF-8"), "%s", lines[3]);
    cr_assert_not_null(strstr(lines[4], "\"line\":5,"), "%s", lines[4]);
    cr_assert_not_null(strstr(lines[4], "\"level\":\"equivalent\""), "%s", lines[4]);
    rzt_proc_free(&p);
}

Test(cli_names, compare_pairs_reads_a_file_and_reports_a_missing_one)
{
    char path[256];
    cr_assert_eq(rzt_write_temp("Петрова Анна\tPetrova Hanna\n", path, sizeof path), 0);
    const char *args[] = {"compare", "--pairs", path, NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_not_null(strstr(p.out, "\"level\":\"equivalent\""), "%s", p.out);
    rzt_proc_free(&p);
    unlink(path);
    const char *missing[] = {"compare", "--pairs", "/nonexistent/pairs.tsv", NULL};
    p = run_in(missing, NULL);
    cr_assert_eq(p.exit_code, 1);
    cr_assert_not_null(strstr(p.err, "/nonexistent/pairs.tsv"), "%s", p.err);
    rzt_proc_free(&p);
}

Test(cli_names, name_shows_a_rank_and_an_other_surname_set_aside)
{
    const char *args[] = {"name", "ст. сержант КОВАЛЬ (дів. ШЕВЧУК) Марія Петрівна", NULL};
    rzt_proc p = run_in(args, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "rank        ст. сержант"), "%s", p.out);
    cr_expect_not_null(strstr(p.out, "surname     КОВАЛЬ (ШЕВЧУК)"), "%s", p.out);
    cr_expect_not_null(strstr(p.out, "other       ШЕВЧУК"), "%s", p.out);
    cr_expect_not_null(strstr(p.out, "sur_skel     shevchuk"), "%s", p.out);
    rzt_proc_free(&p);
    const char *cargs[] = {"compare", "Іваненко (Петренко) Ольга", "Петренко Ольга", NULL};
    p = run_in(cargs, NULL);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_expect_not_null(strstr(p.out, "agrees with the other surname"), "%s", p.out);
    rzt_proc_free(&p);
}
