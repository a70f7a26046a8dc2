/*
 * test_rekey.c: `rozshuk db rekey` as a DBA uses it after an upgrade: records whose names
 * carry keys of an older names engine get the keys a fresh load makes, search finds them
 * again and stops warning, and a second run has nothing to do.
 */
#include <criterion/criterion.h>

#include "rozshuk/names.h"
#include "rozshuk/store.h"
#include "support.h"

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

TestSuite(cli_rekey, .init = setup, .fini = teardown, .timeout = 120);

static void exec_ok(rz_db *db, const char *sql)
{
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, NULL, &err), RZ_OK, "%s: %s", sql, err.message);
}

/* The first value of `sql` as a new string ("" for NULL). */
static char *text_of(rz_db *db, const char *sql)
{
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, &res, &err), RZ_OK, "%s: %s", sql, err.message);
    const char *v = rz_result_value(res, 0, 0);
    char *s = strdup(v ? v : "");
    rz_result_free(res);
    return s;
}

/* Everything the names engine derived for the stored records, as text. */
static const char *const DERIVED[] = {
    "SELECT string_agg(concat_ws('|', person_id, role, written, surname, given, patronymic,"
    " script, lang, surname_key, given_key, patronymic_key, given_canonical, key_version),"
    " E'\\n' ORDER BY id) FROM rozshuk.person_name",
    "SELECT string_agg(concat_ws('|', person_id, kind, key, key_version), E'\\n'"
    " ORDER BY person_id, kind, key) FROM rozshuk.person_key",
    "SELECT string_agg(concat_ws('|', person_id, key, kinds, gkey, gkinds, gfirst, birth_from),"
    " E'\\n' ORDER BY person_id, key, gkey) FROM rozshuk.search_name",
    "SELECT string_agg(concat_ws('|', kind, del, key), E'\\n' ORDER BY kind, del, key)"
    " FROM rozshuk.name_neighbour",
};
#define NDERIVED   (sizeof DERIVED / sizeof DERIVED[0])
#define RZ_STR_(x) #x
#define RZ_STR(x)  RZ_STR_(x)

static void search_for(const char *name, const char *record, bool stale)
{
    const char *args[] = {"search", "--db", conninfo, "--json", name, NULL};
    rzt_proc p = rzt_run_ok(args);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    if (stale) {
        cr_expect_not_null(strstr(p.err, "run 'rozshuk db rekey'"), "%s", p.err);
        cr_expect_null(strstr(p.out, record), "%s: its keys are gone: %s", name, p.out);
    } else {
        cr_expect_eq(p.err[0], '\0', "no warning: %s", p.err);
        cr_expect_not_null(strstr(p.out, record), "%s found: %s", name, p.out);
    }
    rzt_proc_free(&p);
}

/* Loads one file with the default mapping and opens the database. */
static rz_db *load_and_open(const char *source, const char *kind, const char *file)
{
    const char *load[] = {"load", "--source", source, "--kind", kind, "--db", conninfo, file, NULL};
    rzt_proc p = rzt_run_ok(load);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    return db;
}

Test(cli_rekey, old_keys_are_remade_as_a_fresh_load_makes_them)
{
    char parts[256], full[256];
    cr_assert_eq(rzt_write_temp("id,surname,given_name,patronymic,birth_date\n"
                                "В-1,Шевченко,Тарас,Григорович,09.03.1984\n"
                                "В-2,Kovalenko,Oleksandr,,1990\n"
                                "В-3,Левицька,Оксана,Іванівна,14.10.1979\n",
                                parts, sizeof parts),
                 0);
    cr_assert_eq(rzt_write_temp("id,full_name,birth_date\n"
                                "Н-1,КЛИМЕНКО Олександр Іванович,12.03.1985\n"
                                "Н-2,Ткаченко Андрій Сергійович,1987\n",
                                full, sizeof full),
                 0);
    const char *load1[] = {"load", "--source", "volunteers", "--kind", "missing",
                           "--db", conninfo,   parts,        NULL};
    const char *load2[] = {"load", "--source", "npu", "--kind", "missing",
                           "--db", conninfo,   full,  NULL};
    rzt_proc p = rzt_run_ok(load1);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    p = rzt_run_ok(load2);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);

    rz_db *db = NULL;
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    char *fresh[NDERIVED];
    for (size_t i = 0; i < NDERIVED; i++)
        fresh[i] = text_of(db, DERIVED[i]);
    cr_assert_neq(fresh[1][0], '\0', "the loads made keys");
    search_for("Шевченко Тарас", "\"source_id\":\"В-1\"", false);

    /* what an older engine left: an older version, other keys, some keys missing */
    exec_ok(db, "DELETE FROM rozshuk.name_neighbour n USING rozshuk.person_key k,"
                " rozshuk.person p WHERE n.key = k.key AND k.person_id = p.id"
                " AND p.source_record_id IN ('В-1', 'Н-1', 'В-2')");
    exec_ok(db, "UPDATE rozshuk.person_name SET key_version = 6, surname_key = 'shevchenko',"
                " given_canonical = NULL WHERE person_id IN (SELECT id FROM rozshuk.person"
                " WHERE source_record_id IN ('В-1', 'Н-1'))");
    exec_ok(db, "UPDATE rozshuk.person_name SET key_version = 5 WHERE person_id IN (SELECT id"
                " FROM rozshuk.person WHERE source_record_id = 'В-2')");
    exec_ok(db, "DELETE FROM rozshuk.person_key WHERE person_id IN (SELECT id FROM"
                " rozshuk.person WHERE source_record_id IN ('В-1', 'Н-1'))");
    exec_ok(db, "UPDATE rozshuk.person_key SET key = key || 'q', key_version = 5 WHERE person_id"
                " IN (SELECT id FROM rozshuk.person WHERE source_record_id = 'В-2')");
    search_for("Шевченко Тарас", "\"source_id\":\"В-1\"", true);
    search_for("КЛИМЕНКО Олександр", "\"source_id\":\"Н-1\"", true);

    const char *rekey[] = {"db", "rekey", "--db", conninfo, NULL};
    p = rzt_run_ok(rekey);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    char want[128];
    snprintf(want, sizeof want, "rekeyed 3 name(s) of 3 record(s) to key version %d",
             RZ_KEY_VERSION);
    cr_expect_not_null(strstr(p.out, want), "%s", p.out);
    rzt_proc_free(&p);

    for (size_t i = 0; i < NDERIVED; i++) {
        char *now = text_of(db, DERIVED[i]);
        cr_expect_str_eq(now, fresh[i], "%s differs from a fresh load's", DERIVED[i]);
        free(now);
        free(fresh[i]);
    }
    cr_expect_eq(rzt_count(db, "SELECT min(key_version) FROM rozshuk.person_name"), RZ_KEY_VERSION);
    search_for("Шевченко Тарас", "\"source_id\":\"В-1\"", false);
    search_for("КЛИМЕНКО Олександр", "\"source_id\":\"Н-1\"", false);
    search_for("Kovalenko Oleksandr", "\"source_id\":\"В-2\"", false);

    /* nothing left to do */
    const char *again[] = {"db", "rekey", "--db", conninfo, "--json", NULL};
    p = rzt_run_ok(again);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    snprintf(want, sizeof want, "{\"names\":0,\"records\":0,\"unkeyed\":0,\"key_version\":%d}\n",
             RZ_KEY_VERSION);
    cr_expect_str_eq(p.out, want);
    rzt_proc_free(&p);
    char *audit = text_of(db, "SELECT string_agg(object_id || ' ' || (detail->>'names'), ','"
                              " ORDER BY id) FROM rozshuk.audit WHERE action = 'db.rekey'");
    snprintf(want, sizeof want, "%d 3,%d 0", RZ_KEY_VERSION, RZ_KEY_VERSION);
    cr_expect_str_eq(audit, want);
    free(audit);
    rz_db_close(db);
}

Test(cli_rekey, a_name_that_is_no_name_now_keeps_no_keys_and_is_not_rekeyed_again)
{
    char parts[256];
    cr_assert_eq(rzt_write_temp("id,surname,given_name,patronymic,birth_date\n"
                                "В-1,Шевченко,Тарас,Григорович,09.03.1984\n",
                                parts, sizeof parts),
                 0);
    rz_db *db = load_and_open("volunteers", "missing", parts);
    long keys = rzt_count(db, "SELECT count(*) FROM rozshuk.person_key");
    /* an older engine read a number written as another name as a name */
    exec_ok(db, "INSERT INTO rozshuk.person_name (person_id, role, written, surname, surname_key,"
                " key_version) SELECT id, 'alias', '4471', '4471', '4471', 6 FROM rozshuk.person");
    exec_ok(db, "UPDATE rozshuk.person_name SET key_version = 6");
    const char *rekey[] = {"db", "rekey", "--db", conninfo, "--json", NULL};
    rzt_proc p = rzt_run_ok(rekey);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    char want[128];
    snprintf(want, sizeof want, "{\"names\":2,\"records\":1,\"unkeyed\":1,\"key_version\":%d}\n",
             RZ_KEY_VERSION);
    cr_expect_str_eq(p.out, want);
    rzt_proc_free(&p);
    cr_expect_eq(rzt_count(db,
                           "SELECT count(*) FROM rozshuk.person_name WHERE role = 'alias'"
                           " AND surname_key IS NULL AND key_version = " RZ_STR(RZ_KEY_VERSION)),
                 1);
    cr_expect_eq(rzt_count(db, "SELECT count(*) FROM rozshuk.person_key"), keys,
                 "the primary name's keys, none of the number");
    search_for("Шевченко Тарас", "\"source_id\":\"В-1\"", false);
    p = rzt_run_ok(rekey);
    snprintf(want, sizeof want, "{\"names\":0,\"records\":0,\"unkeyed\":0,\"key_version\":%d}\n",
             RZ_KEY_VERSION);
    cr_expect_str_eq(p.out, want);
    rzt_proc_free(&p);
    rz_db_close(db);
}

Test(cli_rekey, a_rank_an_older_engine_read_as_the_surname_is_set_aside)
{
    char full[256];
    cr_assert_eq(rzt_write_temp("id,full_name,birth_date\n"
                                "Р-1,солдат ШЕВЧЕНКО Тарас Григорович,09.03.1990\n"
                                "Р-2,Іваненко (дів. Петренко) Ольга,12.03.1985\n",
                                full, sizeof full),
                 0);
    rz_db *db = load_and_open("army", "list", full);
    /* as key version 7 stored them: the rank as the surname, the maiden name as the given
     * name, and no keys for either */
    exec_ok(db, "UPDATE rozshuk.person_name SET surname = 'солдат', given = 'ШЕВЧЕНКО',"
                " patronymic = 'Тарас' WHERE written LIKE 'солдат%'");
    exec_ok(db, "UPDATE rozshuk.person_name SET surname = 'Іваненко', given = 'Петренко',"
                " patronymic = 'Ольга' WHERE written LIKE 'Іваненко%'");
    exec_ok(db, "UPDATE rozshuk.person_name SET key_version = " RZ_STR(RZ_KEY_VERSION) " - 1");
    exec_ok(db, "DELETE FROM rozshuk.person_key");
    const char *rekey[] = {"db", "rekey", "--db", conninfo, NULL};
    rzt_proc p = rzt_run_ok(rekey);
    cr_assert_eq(p.exit_code, 0, "%s", p.err);
    rzt_proc_free(&p);
    char *names = text_of(db, "SELECT string_agg(concat_ws('|', surname, given, patronymic),"
                              " ',' ORDER BY id) FROM rozshuk.person_name");
    cr_expect_str_eq(names, "ШЕВЧЕНКО|Тарас|Григорович,Іваненко (Петренко)|Ольга");
    free(names);
    search_for("Шевченко Тарас", "\"source_id\":\"Р-1\"", false);
    search_for("Петренко Ольга", "\"source_id\":\"Р-2\"", false);
    rz_db_close(db);
}

Test(cli_rekey, usage_errors)
{
    const char *extra[] = {"db", "rekey", "now", NULL};
    rzt_proc p = rzt_run_ok(extra);
    cr_expect_eq(p.exit_code, 2, "%s", p.err);
    cr_expect_not_null(strstr(p.err, "unexpected argument 'now'"), "%s", p.err);
    rzt_proc_free(&p);
    const char *help[] = {"db", "--help", NULL};
    p = rzt_run_ok(help);
    cr_expect_eq(p.exit_code, 0);
    cr_expect_not_null(strstr(p.out, "rozshuk db rekey   [--db CONNINFO] [--json]"), "%s", p.out);
    rzt_proc_free(&p);
}
