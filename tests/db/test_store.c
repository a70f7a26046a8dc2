/*
 * test_store.c: the database handle's statement batches (rz_db_batch): several statements in
 * one round trip, as search sends its model, lookup and key-version statements.
 */
#include <criterion/criterion.h>

#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[256];
static rz_db *db;

static void setup(void)
{
    cr_assert_eq(rzt_db_create(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_db_exec(db, "CREATE TABLE public.missing (surname text, given text)", 0, NULL,
                            NULL, &err),
                 RZ_OK, "%s", err.message);
}

static void teardown(void)
{
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

static long count(const char *sql)
{
    return rzt_count(db, sql);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

static const char INSERT_SQL[] = "INSERT INTO public.missing VALUES ($1, $2)";
static const char FIND_SQL[] = "SELECT given FROM public.missing WHERE surname = $1 ORDER BY given";

Test(store, a_batch_returns_each_statements_result_in_order_and_prepares_once)
{
    const char *klymenko[2] = {"Клименко", "Олександр"};
    const char *shevchuk[2] = {"Шевчук", "Марія"};
    const char *find[1] = {"Клименко"};
    rz_result *first = NULL, *found = NULL;
    rz_db_stmt stmts[4] = {
        {NULL, "SELECT 'Левицька'::text", 0, NULL, &first},
        {"test_insert", INSERT_SQL, 2, klymenko, NULL},
        {"test_insert", INSERT_SQL, 2, shevchuk, NULL},
        {"test_find", FIND_SQL, 1, find, &found},
    };
    rz_error err;
    cr_assert_eq(rz_db_batch(db, stmts, 4, &err), RZ_OK, "%s", err.message);
    cr_assert_str_eq(rz_result_value(first, 0, 0), "Левицька");
    cr_assert_eq(rz_result_rows(found), 1);
    cr_assert_str_eq(rz_result_value(found, 0, 0), "Олександр");
    rz_result_free(first);
    rz_result_free(found);

    /* again: the named statements are run, not prepared a second time (that would fail) */
    const char *again[2] = {"Клименко", "Оксана"};
    rz_db_stmt more[2] = {{"test_insert", INSERT_SQL, 2, again, NULL},
                          {"test_find", FIND_SQL, 1, find, &found}};
    cr_assert_eq(rz_db_batch(db, more, 2, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_result_rows(found), 2);
    cr_assert_str_eq(rz_result_value(found, 0, 0), "Оксана"); /* к before л */
    cr_assert_str_eq(rz_result_value(found, 1, 0), "Олександр");
    rz_result_free(found);
    cr_assert_eq(count("SELECT count(*) FROM pg_prepared_statements"), 2);
}

Test(store, an_error_aborts_the_whole_batch_and_keeps_no_result)
{
    const char *klymenko[2] = {"Клименко", "Олександр"};
    const char *bad[1] = {"not a number"};
    rz_result *before = NULL, *after = NULL;
    rz_db_stmt stmts[4] = {
        {"test_insert", INSERT_SQL, 2, klymenko, NULL},
        {NULL, "SELECT count(*) FROM public.missing", 0, NULL, &before},
        {NULL, "SELECT $1::int", 1, bad, NULL},
        {NULL, "SELECT 1", 0, NULL, &after},
    };
    rz_error err;
    cr_assert_eq(rz_db_batch(db, stmts, 4, &err), RZ_EDB);
    cr_assert_str_eq(err.sqlstate, "22P02", "invalid text representation, got %s", err.sqlstate);
    cr_assert_null(before);
    cr_assert_null(after);
    /* one transaction: the insert before the error is gone; the connection goes on */
    cr_assert_eq(count("SELECT count(*) FROM public.missing"), 0);
    rz_db_stmt retry[1] = {{"test_insert", INSERT_SQL, 2, klymenko, NULL}};
    cr_assert_eq(rz_db_batch(db, retry, 1, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(count("SELECT count(*) FROM public.missing"), 1);
}

Test(store, a_statement_that_does_not_prepare_is_not_remembered)
{
    const char *klymenko[2] = {"Клименко", "Олександр"};
    rz_db_stmt bad[1] = {
        {"test_insert", "INSERT INTO public.nowhere VALUES ($1, $2)", 2, klymenko, NULL}};
    rz_error err;
    cr_assert_eq(rz_db_batch(db, bad, 1, &err), RZ_EDB);
    cr_assert_str_eq(err.sqlstate, "42P01", "undefined table, got %s", err.sqlstate);
    rz_db_stmt good[1] = {{"test_insert", INSERT_SQL, 2, klymenko, NULL}};
    cr_assert_eq(rz_db_batch(db, good, 1, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(count("SELECT count(*) FROM public.missing"), 1);
}
