/* test_search.c: `rozshuk search` as an investigator uses it, and what it says to bad input. */
#include <criterion/criterion.h>

#include "rozshuk/names.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];

static void store_key(const char *kind, const char *key, void *user)
{
    rz_db *db = user;
    const char *p[2] = {kind, key};
    rz_error err;
    cr_assert_eq(rz_db_exec(db,
                            "INSERT INTO person_key (person_id, kind, key, key_version) "
                            "VALUES (1, $1, $2, 1) ON CONFLICT DO NOTHING",
                            2, p, NULL, &err),
                 RZ_OK, "%s", err.message);
}

/* Marks the stored record's names and keys as made by names engine key version `v`. */
static void set_key_version(rz_db *db, int v)
{
    char text[16];
    snprintf(text, sizeof text, "%d", v);
    const char *p[1] = {text};
    rz_error err;
    cr_assert_eq(rz_db_exec(db, "UPDATE person_name SET key_version = $1", 1, p, NULL, &err), RZ_OK,
                 "%s", err.message);
    cr_assert_eq(rz_db_exec(db, "UPDATE person_key SET key_version = $1", 1, p, NULL, &err), RZ_OK,
                 "%s", err.message);
}

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    const char *sql[] = {
        "INSERT INTO source (name) VALUES ('npu')",
        "INSERT INTO batch (source_id, kind, file_name, format) VALUES (1, 'missing', 'a.csv', "
        "'csv')",
        "INSERT INTO person (source_id, source_record_id, batch_id, kind, sex, birth_from, "
        "birth_to, birth_precision, raw, row_hash) VALUES (1, 'NPU-0000018', 1, 'missing', 'f', "
        "'1994-10-16', '1994-10-16', 'day', '{}', '0123456789abcdef')",
        "INSERT INTO person_name (person_id, written, surname, given, patronymic, key_version) "
        "VALUES (1, 'ВАСИЛЕНКО Оксана Миколаївна', 'ВАСИЛЕНКО', 'Оксана', 'Миколаївна', 1)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        cr_assert_eq(rz_db_exec(db, sql[i], 0, NULL, NULL, &err), RZ_OK, "%s", err.message);
    rz_name_ctx *ctx = NULL;
    rz_name *n = NULL;
    cr_assert_eq(rz_name_ctx_open(&ctx, &err), RZ_OK);
    cr_assert_eq(rz_name_from_parts(ctx, "ВАСИЛЕНКО", "Оксана", "Миколаївна", &n, &err), RZ_OK);
    rz_name_keys(n, store_key, db);
    rz_name_free(n);
    set_key_version(db, RZ_KEY_VERSION);
    rz_name_ctx_close(ctx);
    rz_db_close(db);
}

static void teardown(void)
{
    rzt_db_drop(conninfo);
}

TestSuite(cli_search, .init = setup, .fini = teardown, .timeout = 60);

Test(cli_search, json_has_source_id_score_probability_and_names)
{
    const char *args[] = {"search", "--db", conninfo,          "--json",           "--born",
                          "1994",   "--by", "Оксана Петренко", "Vasylenko Oksana", NULL};
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_eq(p.out[0], '[', "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"source\":\"npu\""), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"source_id\":\"NPU-0000018\""), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"score\":"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"probability\":"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"names\":[\"ВАСИЛЕНКО Оксана Миколаївна\"]"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "\"birth\":\"1994-10-16\""), "%s", p.out);
    rzt_proc_free(&p);
}

Test(cli_search, bad_input_gets_a_clear_usage_error_without_the_name)
{
    char *big = malloc(10241);
    cr_assert_not_null(big);
    memset(big, 'x', 10240);
    big[10240] = '\0';
    struct {
        const char *name, *born, *expect;
    } cases[] = {
        {"", NULL, "empty"},
        {big, NULL, "longer than"},
        {"Василенко \xc3\x28", NULL, "UTF-8"},
        {"Василенко Оксана", "31.02.1994", "not a calendar date"},
        {"Василенко Оксана", "2190", "outside"},
        {"Василенко Оксана", "вчора", "not a birth date"},
        /* a zero month or day is no date, not a coarser one (found by tests/fuzz) */
        {"Василенко Оксана", "1994-00", "no month 0"},
        {"Василенко Оксана", "1994-03-00", "not a calendar date"},
        {"Василенко Оксана", "00.03.1994", "not a calendar date"},
        {"Василенко Оксана", "00.1994", "no month 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[8] = {"search", "--db", conninfo};
        size_t n = 3;
        if (cases[i].born) {
            args[n++] = "--born";
            args[n++] = cases[i].born;
        }
        args[n++] = cases[i].name;
        args[n] = NULL;
        rzt_proc p;
        cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
        cr_assert_eq(p.exit_code, 2, "case %zu: exit %d, %s", i, p.exit_code, p.err);
        cr_assert_not_null(strstr(p.err, cases[i].expect), "case %zu: %s", i, p.err);
        cr_assert_null(strstr(p.err, "xxxxxxxx"), "the error quotes the name");
        cr_assert_str_eq(p.out, "");
        rzt_proc_free(&p);
    }
    free(big);
}

Test(cli_search, queries_file_gives_one_json_line_per_line_and_names_bad_lines)
{
    char path[256];
    cr_assert_eq(rzt_write_temp("name,born,sex\n"
                                "Vasylenko Oksana,1994,f\n"
                                "Василенко Оксана Николаевна,31.02.1994,f\n"
                                "Шевчук Марія,,x\n"
                                "Vasilenko Oksana,,\n",
                                path, sizeof path),
                 0);
    const char *args[] = {"search", "--db", conninfo, "--queries", path, "--timing", NULL};
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 1, "bad lines make the run fail: %s", p.err);
    size_t lines = 0;
    for (const char *s = p.out; *s; s++)
        lines += *s == '\n';
    cr_assert_eq(lines, 4, "%s", p.out);
    cr_assert_not_null(strstr(p.out, "{\"line\":2,\"ms\":"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "line 3, field born"), "%s", p.out);
    cr_assert_not_null(strstr(p.out, "line 4, field sex"), "%s", p.out);
    const char *last = strstr(p.out, "{\"line\":5");
    cr_assert_not_null(last, "%s", p.out);
    cr_assert_not_null(strstr(last, "NPU-0000018"), "%s", last);
    cr_assert_not_null(strstr(p.err, "2 queries run, 2 lines with errors"), "%s", p.err);
    rzt_proc_free(&p);
    remove(path);
}

Test(cli_search, records_with_keys_of_an_older_names_engine_are_reported)
{
    const char *args[] = {"search", "--db", conninfo, "--json", "Vasylenko Oksana", NULL};
    rzt_proc p;
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    cr_assert_null(strstr(p.err, "key"), "current keys: no warning: %s", p.err);
    rzt_proc_free(&p);

    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    set_key_version(db, RZ_KEY_VERSION - 1);
    rz_db_close(db);
    cr_assert_eq(rzt_run(args, NULL, NULL, &p), 0);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    char want[64];
    snprintf(want, sizeof want, "search keys of version %d", RZ_KEY_VERSION - 1);
    cr_assert_not_null(strstr(p.err, want), "%s", p.err);
    cr_assert_not_null(strstr(p.err, "run 'rozshuk db rekey'"), "%s", p.err);
    cr_assert_eq(p.out[0], '[', "the results still come: %s", p.out);
    rzt_proc_free(&p);
}
