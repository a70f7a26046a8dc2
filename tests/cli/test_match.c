/*
 * test_match.c: `rozshuk match` and `rozshuk candidates` end to end on data-samples: the true
 * pairs documented in data-samples/README.md come out as candidates, the documented tricky
 * non-matches (namesakes, sisters, husband and wife) do not come out above the threshold; and
 * an identifier of kind "other" (a mapped `other_id` column) blocks and weighs a pair whose
 * names are written in the other order.
 */
#include <criterion/criterion.h>

#include "support.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
}

static void teardown(void)
{
    rzt_db_drop(conninfo);
}

TestSuite(cli_match, .init = setup, .fini = teardown, .timeout = 300);

static void run_ok(const char *const *args, rzt_proc *p)
{
    cr_assert_eq(rzt_run(args, NULL, NULL, p), 0, "cannot run $ROZSHUK_BIN");
    cr_assert_eq(p->exit_code, 0, "rozshuk %s: %s", args[0], p->err);
}

static void load(const char *source, const char *kind, const char *file, const char *mapping)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    char path[1024], map[1024];
    snprintf(path, sizeof path, "%s/data-samples/%s", root ? root : ".", file);
    snprintf(map, sizeof map, "%s/data-samples/%s", root ? root : ".", mapping ? mapping : "");
    const char *args[12] = {"load", "--db", conninfo, "--source", source, "--kind", kind};
    size_t n = 7;
    if (mapping) {
        args[n++] = "--mapping";
        args[n++] = map;
    }
    args[n++] = path;
    args[n] = NULL;
    rzt_proc p;
    run_ok(args, &p);
    rzt_proc_free(&p);
}

/* Loads a file of list records with a mapping (both paths as given). */
static void load_list(const char *source, const char *mapping, const char *file)
{
    const char *args[] = {"load", "--db",      conninfo, "--source", source, "--kind",
                          "list", "--mapping", mapping,  file,       NULL};
    rzt_proc p;
    run_ok(args, &p);
    rzt_proc_free(&p);
}

/* Runs `rozshuk match ARGS --json` then `rozshuk candidates --format csv`; the CSV in *csv. */
static void match_and_list(const char *mode, const char *selection, const char *to, char **csv)
{
    const char *margs[] = {"match", "--db", conninfo, "--json", mode, selection, to ? "--to" : NULL,
                           to,      NULL};
    rzt_proc p;
    run_ok(margs, &p);
    const char *j = strstr(p.out, "\"job\":");
    cr_assert_not_null(j, "%s", p.out);
    char job[24];
    snprintf(job, sizeof job, "%ld", strtol(j + 6, NULL, 10));
    rzt_proc_free(&p);
    const char *cargs[] = {"candidates", "--db", conninfo, "--job", job, "--format", "csv", NULL};
    run_ok(cargs, &p);
    *csv = p.out;
    p.out = NULL;
    rzt_proc_free(&p);
}

/*
 * The probability of the candidate row holding both texts (names as written or record ids),
 * or -1 when no row has both. Columns: rank, source_a, id_a, name_a, source_b, id_b, name_b,
 * probability, ...
 */
static double pair_probability(const char *csv, const char *x, const char *y)
{
    const char *line = csv;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[4096];
        if (len >= sizeof buf)
            len = sizeof buf - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (strstr(buf, x) && strstr(buf, y)) {
            const char *f = buf;
            for (int i = 0; i < 7 && f; i++) {
                f = strchr(f, ',');
                f = f ? f + 1 : NULL;
            }
            cr_assert_not_null(f, "short candidate row: %s", buf);
            return strtod(f, NULL);
        }
        line = end ? end + 1 : NULL;
    }
    return -1.0;
}

static void load_samples(void)
{
    load("npu-register", "missing", "missing_register_uk.csv", NULL);
    load("icrc-prisoners", "list", "prisoners_latin.csv", "prisoners_latin.mapping.json");
    load("hospital-dnipro", "list", "hospital_ru.tsv", NULL);
    load("sme-kyiv", "remains", "remains_sme.csv", "remains_sme.mapping.json");
    load("shelters", "living", "living_unidentified.jsonl", NULL);
    load("volunteers", "missing", "messy_volunteers.csv", NULL);
}

/* The threshold at which bench/quality counts a candidate as a proposed match. */
#define THRESHOLD 0.5

/* Each pair at or above the threshold (`above`), or below it (or not a candidate at all). */
static void expect_pairs(const char *csv, const char *const (*pairs)[2], size_t n, bool above)
{
    for (size_t i = 0; i < n; i++) {
        double p = pair_probability(csv, pairs[i][0], pairs[i][1]);
        if (above)
            cr_expect_geq(p, THRESHOLD, "%s ~ %s: probability %g", pairs[i][0], pairs[i][1], p);
        else
            cr_expect_lt(p, THRESHOLD, "%s / %s: probability %g", pairs[i][0], pairs[i][1], p);
    }
}

/* The true pairs across scripts and standards come out above the threshold; namesakes,
 * sisters, husband and wife stay below it. */
Test(cli_match, samples_give_the_documented_pairs_and_not_the_tricky_non_matches)
{
    load_samples();
    char *csv = NULL;
    match_and_list("--dedupe", "all", NULL, &csv);
    /* data-samples/README.md, "Known true matches between files": records named by id, or by
     * the name as written where the file has no ids. */
    static const char *const TRUE_PAIRS[][2] = {
        {"НП-2022-00117", "KLYMENKO Oleksandr"},
        {"KLYMENKO Oleksandr", "KLIMENKO Aleksandr"}, /* a duplicate inside the prisoner list */
        {"НП-2022-00117", "Клименко Александр Иванович"},
        {"НП-2022-00342", "Kovalenko Mykola"},
        {"НП-2022-00518", "Schewtschenko Taras"},
        {"НП-2022-00731", "Бондаренко Ирина Васильевна"},
        {"НП-2022-00732", "ЗТ-2022-1202"},
        {"НП-2022-00804", "ЗТ-2022-0412"},
        {"НП-2022-00805", "Ткаченко Наталья Александровна"},
        {"НП-2022-00911", "Melnyk Viktor"},
        {"НП-2022-00911", "Мельник Виктор"},
        {"НП-2022-01024", "Кравчук Юлия Игоревна"},
        {"НП-2022-01201", "Levytskyi Dmytro"},
        {"НП-2022-01315", "Савченко Людмила Анатольевна"},
        {"НП-2022-01402", "Honcharenko Pavlo"},
        {"НП-2022-01402", "В-001"},
        {"НП-2022-01409", "Zinczenko Artem"},
        {"НП-2022-01409", "В-014"},
        {"НП-2022-01566", "Петренко Анна Ивановна"}, /* Ганна = Анна */
        {"НП-2023-00021", "ЗТ-2023-0117"},
        {"НП-2023-00021", "В-016"},
        {"НП-2023-00088", "В-002"},
    };
    expect_pairs(csv, TRUE_PAIRS, sizeof TRUE_PAIRS / sizeof TRUE_PAIRS[0], true);
    /* Ševčenko folded to ASCII ("Sevcenko") loses the letters that tell š from s: proposed for
     * review, below the threshold. */
    cr_expect_gt(pair_probability(csv, "НП-2022-00519", "Sevcenko Taras"), 0.0);
    static const char *const NON_MATCHES[][2] = {
        /* the same full name, born 1990 and 1967 */
        {"НП-2022-00518", "НП-2022-00519"},
        {"НП-2023-00088", "Rudenko Yevhenii"},
        {"НП-2022-00804", "Bondarenko Andrii"},
        /* sisters, same surname and patronymic */
        {"НП-2022-00731", "НП-2022-00732"},
        {"НП-2022-00731", "ЗТ-2022-1202"},
        {"Бондаренко Ирина Васильевна", "Бондаренко Олег Васильевич"},
        /* husband and wife, missing the same day, born 30.06 of 1988 and 1990 */
        {"НП-2022-00804", "НП-2022-00805"},
        {"ЗТ-2022-0412", "Ткаченко Наталья Александровна"},
        {"НП-2022-00804", "Tkachenko Andriy"},
    };
    expect_pairs(csv, NON_MATCHES, sizeof NON_MATCHES / sizeof NON_MATCHES[0], false);
    free(csv);
}

Test(cli_match, an_other_identifier_links_records_with_the_names_swapped)
{
    char a[256], b[256], map[256];
    cr_assert_eq(rzt_write_temp("id,surname,given_name,birth_date,ssn\n"
                                "A-1,Клименко,Олександр,12.03.1985,530-4218\n"
                                "A-2,Коваленко,Микола,03.07.1979,771-0034\n",
                                a, sizeof a),
                 0);
    /* names in the wrong columns and the birth date mistyped: no name or date key is shared */
    cr_assert_eq(rzt_write_temp("id,surname,given_name,birth_date,ssn\n"
                                "B-1,Oleksandr,Klymenko,21.03.1958,5304218\n",
                                b, sizeof b),
                 0);
    cr_assert_eq(rzt_write_temp("{\"format\": \"csv\", \"columns\": {\"id\": \"id\", \"surname\": "
                                "\"surname\", \"given_name\": \"given_name\", \"birth_date\": "
                                "\"birth_date\", \"ssn\": \"other_id\"}}",
                                map, sizeof map),
                 0);
    load_list("register", map, a);
    load_list("hospital", map, b);
    char *csv = NULL;
    match_and_list("--link", "source=register", "source=hospital", &csv);
    cr_assert_gt(pair_probability(csv, "A-1", "B-1"), 0.0, "%s", csv);
    cr_assert_not_null(strstr(csv, "identifier same"), "%s", csv);
    cr_assert_lt(pair_probability(csv, "A-2", "B-1"), 0.0, "%s", csv);
    free(csv);
}

Test(cli_match, a_rank_and_a_maiden_surname_in_a_full_name_column_do_not_hide_the_person)
{
    char a[256], b[256], ma[256], mb[256];
    cr_assert_eq(rzt_write_temp("id,name,born\n"
                                "A-1,Іваненко (дів. Петренко) Ольга Іванівна,12.03.1985\n"
                                "A-2,солдат ШЕВЧЕНКО Тарас Григорович,09.03.1990\n"
                                "A-3,Сидоренко (Петренко) Ольга Іванівна,12.03.1985\n",
                                a, sizeof a),
                 0);
    cr_assert_eq(rzt_write_temp("id,surname,given_name,born\n"
                                "B-1,Petrenko,Olha,12.03.1985\n"
                                "B-2,Шевченко,Тарас,09.03.1990\n",
                                b, sizeof b),
                 0);
    cr_assert_eq(rzt_write_temp("{\"format\": \"csv\", \"columns\": {\"id\": \"id\", \"name\": "
                                "\"full_name\", \"born\": \"birth_date\"}}",
                                ma, sizeof ma),
                 0);
    cr_assert_eq(rzt_write_temp("{\"format\": \"csv\", \"columns\": {\"id\": \"id\", \"surname\": "
                                "\"surname\", \"given_name\": \"given_name\", \"born\": "
                                "\"birth_date\"}}",
                                mb, sizeof mb),
                 0);
    load_list("army-list", ma, a);
    load_list("hospital", mb, b);
    char *csv = NULL;
    match_and_list("--link", "source=army-list", "source=hospital", &csv);
    cr_expect_gt(pair_probability(csv, "A-1", "B-1"), 0.5, "%s", csv);
    cr_expect_gt(pair_probability(csv, "A-2", "B-2"), 0.5, "%s", csv);
    free(csv);
    /* search reads the stored surname column back with the maiden name in it */
    const char *sargs[] = {"search", "--db", conninfo,        "--json",
                           "--born", "1985", "Petrenko Olha", NULL};
    rzt_proc p;
    run_ok(sargs, &p);
    cr_expect_not_null(strstr(p.out, "\"source_id\":\"A-1\""), "%s", p.out);
    cr_expect_not_null(strstr(p.out, "\"source_id\":\"A-3\""), "%s", p.out);
    rzt_proc_free(&p);
}
