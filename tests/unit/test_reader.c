/*
 * test_reader.c: the streaming readers of engine/load/ on malformed input: bad quoting, wrong
 * column counts, huge fields and lines, invalid JSON, blank lines, a byte-order mark. They
 * must report each bad row with its line and go on with the next, never crash.
 */
#include <criterion/criterion.h>

#include "reader.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct got {
    uint64_t line;
    size_t n;
    char first[64];
    bool error;
    char why[128];
};

static size_t read_all(const char *text, size_t len, rz_load_format f, char delim, struct got *out,
                       size_t max)
{
    char path[256];
    cr_assert_eq(rzt_write_temp("", path, sizeof path), 0);
    FILE *fp = fopen(path, "wb");
    fwrite(text, 1, len, fp);
    fclose(fp);
    rz__reader *r = NULL;
    rz_error err;
    cr_assert_eq(rz__reader_open(path, f, delim, &r, &err), RZ_OK, "%s", err.message);
    size_t n = 0;
    rz__row *row;
    rz_status st;
    while ((st = rz__reader_next(r, &row, &err)) == RZ_OK) {
        cr_assert_lt(n, max, "more rows than expected");
        out[n].line = row->line;
        out[n].n = row->n;
        out[n].error = row->error != NULL;
        snprintf(out[n].why, sizeof out[n].why, "%s", row->error ? row->error : "");
        snprintf(out[n].first, sizeof out[n].first, "%s", row->n ? row->values[0] : "");
        n++;
    }
    cr_assert_eq(st, RZ_ENOTFOUND, "%s", err.message);
    rz__reader_close(r);
    unlink(path);
    return n;
}

Test(reader, csv_bad_quoting_is_one_bad_row_and_reading_goes_on)
{
    const char *csv = "id,surname\n"
                      "1,\"Клименко\"\n"
                      "2,\"Коваленко\"ко\n"
                      "3,Шев\"ченко\n"
                      "4,\"Бондаренко, \"\"Ірина\"\"\"\n";
    struct got g[8];
    size_t n = read_all(csv, strlen(csv), RZ_FORMAT_CSV, ',', g, 8);
    cr_assert_eq(n, 5);
    cr_expect_eq(g[1].line, 2);
    cr_expect_not(g[1].error);
    cr_expect(g[2].error && strstr(g[2].why, "malformed quoting"), "line 3: %s", g[2].why);
    cr_expect_eq(g[2].line, 3);
    cr_expect(g[3].error, "a quote inside an unquoted field");
    cr_expect_eq(g[4].line, 5);
    cr_expect_not(g[4].error, "doubled quotes inside quotes are fine: %s", g[4].why);
}

Test(reader, csv_quoted_newlines_keep_the_starting_line_and_blank_lines_are_skipped)
{
    const char *csv = "\xEF\xBB\xBFid;place\r\n"
                      "\r\n"
                      "1;\"Харків,\nвул. Сумська\"\r\n"
                      "\n"
                      "2;Ізюм\r\n"
                      "3;Буча"; /* no newline at the end */
    struct got g[8];
    size_t n = read_all(csv, strlen(csv), RZ_FORMAT_CSV, 0, g, 8);
    cr_assert_eq(n, 4);
    cr_expect_str_eq(g[0].first, "id", "the byte-order mark is dropped");
    cr_expect_eq(g[0].n, 2, "the delimiter ';' is found in the header");
    cr_expect_eq(g[1].line, 3);
    cr_expect_eq(g[2].line, 6);
    cr_expect_eq(g[3].line, 7);
    cr_expect_str_eq(g[3].first, "3");
}

Test(reader, csv_unclosed_quote_runs_to_the_end_and_says_so)
{
    const char *csv = "id,surname\n1,\"Клименко\n2,Коваленко\n";
    struct got g[4];
    size_t n = read_all(csv, strlen(csv), RZ_FORMAT_CSV, ',', g, 4);
    cr_assert_eq(n, 2);
    cr_expect(g[1].error && strstr(g[1].why, "unclosed quote"), "%s", g[1].why);
    cr_expect_eq(g[1].line, 2);
}

Test(reader, a_line_over_the_cap_is_rejected_in_bounded_memory)
{
    size_t big = RZ_LOAD_ROW_MAX + 100;
    char *text = malloc(big + 64);
    cr_assert_not_null(text);
    size_t off = (size_t)sprintf(text, "id\n1\n");
    memset(text + off, 'x', big);
    off += big;
    off += (size_t)sprintf(text + off, "\n3\n");
    struct got g[4];
    size_t n = read_all(text, off, RZ_FORMAT_CSV, ',', g, 4);
    free(text);
    cr_assert_eq(n, 4);
    cr_expect(g[2].error && strstr(g[2].why, "longer than"), "%s", g[2].why);
    cr_expect_eq(g[3].line, 4);
    cr_expect_str_eq(g[3].first, "3");
}

Test(reader, tsv_splits_on_tabs_without_quoting)
{
    const char *tsv = "ФИО\tПол\n\"Клименко\" Александр\tм\r\nКоваленко\t\t\n";
    struct got g[4];
    size_t n = read_all(tsv, strlen(tsv), RZ_FORMAT_TSV, 0, g, 4);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(g[1].first, "\"Клименко\" Александр");
    cr_expect_eq(g[1].n, 2);
    cr_expect_eq(g[2].n, 3, "the wrong count is the loader's to reject");
}

Test(reader, jsonl_bad_lines_are_reported_and_types_are_marked)
{
    const char *jl = "{\"id\": \"1\", \"surname\": \"Клименко\", \"age\": 35}\n"
                     "{\"id\": \"2\", \"surname\": [\"Коваленко\"]}\n"
                     "{\"id\": \"3\", \"surname\": \"Шевченко\"\n"
                     "[1, 2]\n"
                     "{\"id\": \"5\", \"id\": \"6\"}\n"
                     "\n"
                     "{\"id\": null}\n";
    char path[256];
    cr_assert_eq(rzt_write_temp(jl, path, sizeof path), 0);
    rz__reader *r = NULL;
    rz_error err;
    cr_assert_eq(rz__reader_open(path, RZ_FORMAT_JSONL, 0, &r, &err), RZ_OK);
    rz__row *row;
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect_null(row->error);
    cr_expect_eq(row->n, 3);
    cr_expect_str_eq(row->names[2], "age");
    cr_expect_str_eq(row->values[2], "35");
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect_eq(row->compound[1], 1, "a list is marked, for the loader to reject if mapped");
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect(row->error && strstr(row->error, "not valid JSON"), "%s", row->error);
    cr_expect_eq(row->line, 3);
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect(row->error && strstr(row->error, "not an object"));
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect_not_null(row->error, "duplicate keys are refused");
    cr_assert_eq(rz__reader_next(r, &row, &err), RZ_OK);
    cr_expect_eq(row->line, 7);
    cr_expect_str_eq(row->values[0], "");
    cr_expect_eq(rz__reader_next(r, &row, &err), RZ_ENOTFOUND);
    rz__reader_close(r);
    unlink(path);
}

Test(reader, a_missing_file_is_an_io_error_naming_it)
{
    rz__reader *r = NULL;
    rz_error err;
    cr_expect_eq(rz__reader_open("/nonexistent/rozshuk.csv", RZ_FORMAT_CSV, 0, &r, &err), RZ_EIO);
    cr_expect_not_null(strstr(err.message, "/nonexistent/rozshuk.csv"));
    cr_expect_null(r);
}
