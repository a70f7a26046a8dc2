/*
 * test_search.c: rz_search_run against a small register written the way agencies write it:
 * Ukrainian and Russian Cyrillic, passport Latin, capitals, swapped order, with namesakes.
 * Records are stored with their keys from the names engine, as `rozshuk load` stores them.
 */
#include <criterion/criterion.h>

#include "rozshuk/audit.h"
#include "rozshuk/names.h"
#include "rozshuk/search.h"
#include "rozshuk/store.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char conninfo[256];
static rz_db *db;
static rz_name_ctx *ctx;

typedef struct seed {
    const char *source, *id, *kind, *surname, *given, *patronymic, *sex, *from, *to, *prec;
} seed;

/* The same man in four sources, a namesake born elsewhere, and people with close names. */
static const seed REGISTER[] = {
    {"npu", "NPU-1", "missing", "Клименко", "Олександр", "Іванович", "m", "1985-03-12",
     "1985-03-12", "day"},
    {"prisoners", "PW-7", "list", "KLYMENKO", "Oleksandr", NULL, "m", "1985-01-01", "1985-12-31",
     "year"},
    {"hospital", "H-3", "living", "Клименко", "Александр", "Иванович", "m", NULL, NULL, NULL},
    {"npu", "NPU-2", "missing", "Клименко", "Олександр", "Петрович", "m", "1962-07-01",
     "1962-07-01", "day"},
    {"npu", "NPU-3", "missing", "Клименко", "Оксана", "Іванівна", "f", "1990-05-05", "1990-05-05",
     "day"},
    {"npu", "NPU-4", "missing", "Кравченко", "Олександр", "Іванович", "m", "1985-03-12",
     "1985-03-12", "day"},
    {"volunteers", "V-9", "missing", "Шевчук", "Марія", "Степанівна", "f", "1979-11-30",
     "1979-11-30", "day"},
    {"npu", "NPU-5", "remains", "Левицька", "Ганна", NULL, "f", "1970-01-01", "1979-12-31",
     "decade"},
    /* registered with a typing error in the surname (н read as и), and one typed right */
    {"npu", "NPU-6", "missing", "ПІСКУИОВ", "Віктор", "Іванович", "m", "1985-02-20", "1985-02-20",
     "day"},
    {"npu", "NPU-7", "missing", "Гуренко", "Ольга", "Іллівна", "f", "1972-03-12", "1972-03-12",
     "day"},
    /* a prisoner list with surname and given name in each other's columns, and a namesake */
    {"prisoners", "PW-8", "list", "Mykyta", "PRYKHODKO", NULL, "m", "2005-04-09", "2005-04-09",
     "day"},
    {"npu", "NPU-8", "missing", "Приходько", "Юлія", "Максимівна", "f", "2005-05-13", "2005-05-13",
     "day"},
};

static void exec_ok(const char *sql, int n, const char *const *p)
{
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, n, p, NULL, &err), RZ_OK, "%s: %s", sql, err.message);
}

typedef struct key_ctx {
    const char *person;
} key_ctx;

static void store_key(const char *kind, const char *key, void *user)
{
    key_ctx *k = user;
    const char *p[3] = {k->person, kind, key};
    exec_ok("INSERT INTO person_key (person_id, kind, key, key_version) "
            "VALUES ($1, $2, $3, 1) ON CONFLICT DO NOTHING",
            3, p);
}

/* The keys of a name as two PostgreSQL array literals (kinds, keys), to insert in one
 * statement as the loader does. */
typedef struct key_list {
    char kinds[4096], keys[4096];
    size_t lk, lv;
} key_list;

static void array_append(char *buf, size_t *len, const char *v)
{
    size_t n = strlen(v);
    cr_assert_lt(*len + n + 4, 4096);
    if (*len > 1)
        buf[(*len)++] = ',';
    buf[(*len)++] = '"';
    memcpy(buf + *len, v, n);
    *len += n;
    buf[(*len)++] = '"';
    buf[*len] = '\0';
}

static void list_key(const char *kind, const char *key, void *user)
{
    key_list *kl = user;
    if (kl->lk == 0)
        kl->lk = kl->lv = 1;
    array_append(kl->kinds, &kl->lk, kind);
    array_append(kl->keys, &kl->lv, key);
}

static void close_arrays(key_list *kl)
{
    if (kl->lk == 0)
        kl->lk = kl->lv = 1;
    kl->kinds[kl->lk++] = '}';
    kl->kinds[kl->lk] = '\0';
    kl->keys[kl->lv++] = '}';
    kl->keys[kl->lv] = '\0';
}

/* A record and its name, without keys. */
static void store_record(const seed *s, const char *id)
{
    const char *src[1] = {s->source};
    exec_ok("INSERT INTO source (name) VALUES ($1) ON CONFLICT DO NOTHING", 1, src);
    const char *p[8] = {s->source, s->id, s->kind, s->sex, s->from, s->to, s->prec, id};
    exec_ok("INSERT INTO person (id, source_id, source_record_id, batch_id, kind, sex, "
            "birth_from, birth_to, birth_precision, raw, row_hash) OVERRIDING SYSTEM VALUE "
            "SELECT $8::bigint, s.id, $2, 1, $3, $4, $5::date, $6::date, $7, '{}', "
            "'0123456789abcdef' FROM source s WHERE s.name = $1",
            8, p);
    char written[300];
    snprintf(written, sizeof written, "%s %s%s%s", s->surname, s->given, s->patronymic ? " " : "",
             s->patronymic ? s->patronymic : "");
    const char *n[5] = {id, written, s->surname, s->given, s->patronymic};
    exec_ok("INSERT INTO person_name (person_id, written, surname, given, patronymic, "
            "key_version) VALUES ($1, $2, $3, $4, $5, 1)",
            5, n);
}

/* The keys of a name for a stored record: in one statement, as the loader writes them, or one
 * statement each. */
static void store_keys(const char *id, const char *surname, const char *given,
                       const char *patronymic, bool at_once)
{
    rz_name *name = NULL;
    rz_error err;
    cr_assert_eq(rz_name_from_parts(ctx, surname, given, patronymic, &name, &err), RZ_OK);
    key_list kl = {.kinds = "{", .keys = "{"};
    key_ctx k = {id};
    if (at_once)
        rz_name_keys(name, list_key, &kl);
    else
        rz_name_keys(name, store_key, &k);
    rz_name_free(name);
    if (!at_once)
        return;
    close_arrays(&kl);
    const char *p[3] = {id, kl.kinds, kl.keys};
    exec_ok("INSERT INTO person_key (person_id, kind, key, key_version) "
            "SELECT DISTINCT $1::bigint, k, v, 1 FROM unnest($2::text[], $3::text[]) u(k, v)",
            3, p);
}

static void store_as(const seed *s, long person_id, bool keys_at_once)
{
    char id[32];
    snprintf(id, sizeof id, "%ld", person_id);
    store_record(s, id);
    store_keys(id, s->surname, s->given, s->patronymic, keys_at_once);
}

/* A record with its keys inserted one statement each. */
static void store(const seed *s, long person_id)
{
    store_as(s, person_id, false);
}

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_name_ctx_open(&ctx, &err), RZ_OK, "%s", err.message);
    exec_ok("INSERT INTO source (name) VALUES ('npu')", 0, NULL);
    exec_ok("INSERT INTO batch (source_id, kind, file_name, format) "
            "VALUES (1, 'missing', 'seed.csv', 'csv')",
            0, NULL);
    for (size_t i = 0; i < sizeof REGISTER / sizeof REGISTER[0]; i++)
        store(&REGISTER[i], (long)i + 1);
}

static void teardown(void)
{
    rz_name_ctx_close(ctx);
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

static rz_search_result *search(const rz_search_query *q)
{
    rz_search_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_search_run(db, ctx, q, &res, &err), RZ_OK, "%s", err.message);
    return res;
}

/* Rank (1-based) of a source record in the results, 0 when absent. */
static size_t rank_of(const rz_search_result *res, const char *source_id)
{
    for (size_t i = 0; i < res->count; i++)
        if (strcmp(res->hits[i].source_record_id, source_id) == 0)
            return i + 1;
    return 0;
}

/* A query's birth date given as a year. */
static void born_in(rz_search_query *q, int year)
{
    q->birth.from = rz_days_from_ymd(year, 1, 1);
    q->birth.to = rz_days_from_ymd(year, 12, 31);
    q->birth.precision = RZ_PREC_YEAR;
}

/* A query for `name`, born in `year` (0: no birth date), the other options as defaults. */
static rz_search_query query(const char *name, int year)
{
    rz_search_query q;
    rz_search_query_defaults(&q);
    q.name = name;
    if (year)
        born_in(&q, year);
    return q;
}

TestSuite(search, .init = setup, .fini = teardown, .timeout = 60);

Test(search, passport_latin_finds_the_man_in_every_script_above_the_others)
{
    rz_search_query q = query("Oleksandr Klymenko", 0);
    q.birth.from = q.birth.to = rz_days_from_ymd(1985, 3, 12);
    q.birth.precision = RZ_PREC_DAY;
    rz_search_result *res = search(&q);
    size_t npu = rank_of(res, "NPU-1"), pw = rank_of(res, "PW-7"), h = rank_of(res, "H-3");
    cr_assert(npu >= 1 && npu <= 3, "NPU-1 at %zu", npu);
    cr_assert(pw >= 1 && pw <= 3, "PW-7 at %zu", pw);
    cr_assert(h >= 1 && h <= 3, "H-3 (Russian spelling, no birth date) at %zu", h);
    /* the namesake born in 1962 and the woman rank below all three */
    size_t namesake = rank_of(res, "NPU-2"), oksana = rank_of(res, "NPU-3");
    cr_assert(namesake == 0 || namesake > 3);
    cr_assert(oksana == 0 || oksana > 3);
    cr_assert_gt(res->hits[0].probability, 0.5, "p=%f", res->hits[0].probability);
    cr_assert_not_null(strstr(res->hits[0].reason, "surname"), "%s", res->hits[0].reason);
    /* Шевчук has nothing in common: not even compared */
    cr_assert_eq(rank_of(res, "V-9"), 0);
    rz_search_result_free(res);
}

Test(search, birth_year_puts_the_right_namesake_first)
{
    rz_search_query q = query("КЛИМЕНКО Александр", 1962);
    rz_search_result *res = search(&q);
    cr_assert_gt(res->count, 0);
    cr_assert_str_eq(res->hits[0].source_record_id, "NPU-2");
    cr_assert_str_eq(res->hits[0].birth, "1962-07-01");
    cr_assert_not_null(strstr(res->hits[0].names, "Клименко Олександр Петрович"));
    size_t other = rank_of(res, "NPU-1");
    cr_assert_gt(other, 1);
    cr_assert_lt(res->hits[other - 1].score, res->hits[0].score);
    rz_search_result_free(res);
}

Test(search, swapped_order_and_russian_form_still_match)
{
    rz_search_query q = query("Александр Иванович Клименко", 0);
    rz_search_result *res = search(&q);
    size_t h = rank_of(res, "H-3");
    cr_assert(h >= 1 && h <= 3, "H-3 at %zu", h);
    rz_search_result_free(res);
}

Test(search, a_guessed_word_order_is_also_read_the_other_way)
{
    /* "Oksyna" (Oksana, one letter wrong) is no known given name and ends like a woman's
     * surname, so the names engine reads "Klymenko Oksyna" as given name Klymenko */
    rz_search_query q = query("Klymenko Oksyna", 1990);
    rz_search_result *res = search(&q);
    cr_assert_gt(res->count, 0);
    cr_assert_str_eq(res->hits[0].source_record_id, "NPU-3", "first: %s",
                     res->hits[0].source_record_id);
    cr_assert_not_null(strstr(res->hits[0].reason, "other order"), "%s", res->hits[0].reason);
    cr_assert_not_null(strstr(res->hits[0].reason, "surname: same surname"), "%s",
                       res->hits[0].reason);
    rz_search_result_free(res);
}

Test(search, a_record_with_surname_and_given_name_in_each_others_columns_is_read_both_ways)
{
    rz_search_query q = query("Никита Приходько", 2005);
    rz_search_result *res = search(&q);
    cr_assert_eq(rank_of(res, "PW-8"), 1, "PW-8 at %zu", rank_of(res, "PW-8"));
    cr_assert_gt(rank_of(res, "NPU-8"), 1);
    cr_assert_not_null(strstr(res->hits[0].reason, "given name: same given name"), "%s",
                       res->hits[0].reason);
    rz_search_result_free(res);
}

Test(search, kind_and_source_filters_and_limit)
{
    rz_search_query q = query("Клименко", 0);
    q.kind = "list";
    rz_search_result *res = search(&q);
    cr_assert_eq(res->count, 1);
    cr_assert_str_eq(res->hits[0].source, "prisoners");
    rz_search_result_free(res);

    rz_search_query_defaults(&q);
    q.name = "Клименко";
    q.source = "npu";
    q.limit = 2;
    res = search(&q);
    cr_assert_eq(res->count, 2);
    for (size_t i = 0; i < res->count; i++)
        cr_assert_str_eq(res->hits[i].source, "npu");
    rz_search_result_free(res);
}

Test(search, feminine_surname_form_finds_the_record)
{
    rz_search_query q = query("Levytska Hanna", 0);
    rz_search_result *res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-5"), 1);
    rz_search_result_free(res);
}

struct audit_seen {
    size_t n;
    char detail[1024];
    char actor[128];
};

static void seen_audit(const rz_audit_entry *e, void *user)
{
    struct audit_seen *s = user;
    s->n++;
    snprintf(s->detail, sizeof s->detail, "%s", e->detail ? e->detail : "");
    snprintf(s->actor, sizeof s->actor, "%s", e->actor ? e->actor : "");
}

Test(search, every_search_writes_one_audit_row_with_query_and_ids)
{
    rz_search_query q = query("Клименко Оксана", 0);
    q.actor = "Оксана Петренко";
    rz_search_result *res = search(&q);
    cr_assert_gt(res->count, 0);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)res->hits[0].person_id);
    rz_search_result_free(res);
    struct audit_seen s = {0};
    rz_error err;
    rz_audit_filter f;
    rz_audit_filter_defaults(&f);
    f.action = "search";
    cr_assert_eq(rz_audit_list(db, &f, seen_audit, &s, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.actor, "Оксана Петренко");
    char ids[48];
    snprintf(ids, sizeof ids, "\"person_ids\": [%s,", id);
    cr_assert_not_null(strstr(s.detail, ids), "%s", s.detail);
    cr_assert_str_eq(id, "5", "Оксана Клименко is record 5");
    cr_assert_not_null(strstr(s.detail, "\"name\""), "%s", s.detail);
}

Test(search, bad_queries_are_refused_before_the_database)
{
    rz_search_query q;
    rz_search_query_defaults(&q);
    rz_error err;
    rz_search_result *res = NULL;
    q.name = "";
    cr_assert_eq(rz_search_run(db, ctx, &q, &res, &err), RZ_EEMPTY);
    q.name = "Клименко \xd0";
    cr_assert_eq(rz_search_run(db, ctx, &q, &res, &err), RZ_EUTF8);
    char *big = malloc(10241);
    cr_assert_not_null(big);
    memset(big, 'a', 10240);
    big[10240] = '\0';
    q.name = big;
    cr_assert_eq(rz_search_run(db, ctx, &q, &res, &err), RZ_ETOOLONG);
    cr_assert_null(strstr(err.message, "aaaa"), "the message quotes the name: %s", err.message);
    free(big);
    q.name = "Клименко";
    q.limit = 1000;
    cr_assert_eq(rz_search_run(db, ctx, &q, &res, &err), RZ_EINVAL);
    cr_assert_null(res);
    /* nothing was searched, so nothing was audited */
    struct audit_seen s = {0};
    cr_assert_eq(rz_audit_list(db, NULL, seen_audit, &s, &err), RZ_OK);
    cr_assert_eq(s.n, 0);
}

Test(search, a_surname_one_typing_error_away_is_found_either_way)
{
    rz_search_query q;
    rz_search_query_defaults(&q);
    q.name = "Піскунов Віктор"; /* right here, wrong in the register */
    rz_search_result *res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-6"), 1, "ПІСКУИОВ is Піскунов with one letter misread");
    rz_search_result_free(res);
    q.name = "Гурено Ольга Іллівна"; /* wrong here (к left out), right in the register */
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 1);
    rz_search_result_free(res);
    q.name = "Гуренко Ольга";
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 1, "and the exact spelling still finds it");
    rz_search_result_free(res);
}

/*
 * Search reads its own index (search_name, sql/0014 and 0015), derived from the keys and the
 * record: it must follow every change the loader and undo make, or a changed record would be found
 * under its old birth date, kind or name, and a deleted one found at all.
 */
Test(search, the_index_follows_changed_renamed_and_deleted_records)
{
    rz_search_query q = query("Гуренко Ольга", 0);
    q.kind = "remains";
    rz_search_result *res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 0, "NPU-7 is a missing person, not remains");
    rz_search_result_free(res);
    /* the record now says remains, born 1972 as a year */
    exec_ok("UPDATE person SET kind = 'remains', birth_from = '1972-01-01', "
            "birth_to = '1972-12-31', birth_precision = 'year' WHERE source_record_id = 'NPU-7'",
            0, NULL);
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 1, "found as remains once the record says so");
    cr_assert_str_eq(res->hits[0].birth, "1972");
    rz_search_result_free(res);

    /* renamed as the loader does it: old name and keys deleted, new ones inserted, the keys
     * in one statement */
    exec_ok("DELETE FROM person_key WHERE person_id = 10", 0, NULL);
    exec_ok("UPDATE person_name SET written = 'Шевчук Ольга', surname = 'Шевчук', "
            "patronymic = NULL WHERE person_id = 10",
            0, NULL);
    q.kind = NULL;
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 0, "no keys, not found");
    rz_search_result_free(res);
    store_keys("10", "Шевчук", "Ольга", NULL, true);
    q.name = "Шевчук Ольга";
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-7"), 1, "found under the new name");
    cr_assert_str_eq(res->hits[0].birth, "1972", "with the record's birth date");
    rz_search_result_free(res);

    /* deleted records are not found */
    q.name = "Шевчук Марія";
    res = search(&q);
    cr_assert_eq(rank_of(res, "V-9"), 1);
    rz_search_result_free(res);
    exec_ok("DELETE FROM person WHERE source_record_id = 'V-9'", 0, NULL);
    res = search(&q);
    cr_assert_eq(rank_of(res, "V-9"), 0, "a deleted record is not found");
    rz_search_result_free(res);
}

/*
 * 155 men named Бойко Олександр, none a Семенович, stored before the one who is. A query with
 * his patronymic and no birth date says which one it means: the model weighs an agreeing
 * patronymic about as much as a given name, and the lookup must read and rank it before it
 * cuts to the records compared (sql/0021), or he is kept or dropped by his record id. With an
 * initial for the given name (no key at all) only the patronymic finds him among the others.
 */
Test(search, the_patronymic_picks_the_man_among_more_namesakes_than_are_compared)
{
    static const char *const PATRONYMICS[] = {
        "Іванович",   "Петрович",   "Миколайович", "Васильович",   "Олегович",
        "Сергійович", "Андрійович", "Павлович",    "Григорович",   "Михайлович",
        "Юрійович",   "Богданович", "Тарасович",   "Степанович",   "Вікторович",
        "Романович",  "Дмитрович",  "Ігорович",    "Анатолійович", "Федорович"};
    size_t npatr = sizeof PATRONYMICS / sizeof PATRONYMICS[0];
    for (long i = 0; i < 155; i++) {
        char rid[32], day[16];
        snprintf(rid, sizeof rid, "BO-%ld", i);
        snprintf(day, sizeof day, "%ld-%02ld-%02ld", 1950 + i % 50, 1 + i % 12, 1 + i % 28);
        seed s = {"npu", rid, "missing", "Бойко", "Олександр", PATRONYMICS[(size_t)i % npatr],
                  "m",   day, day,       "day"};
        store_as(&s, 1000 + i, true);
    }
    seed him = {"npu",       "BO-S", "missing",    "Бойко",      "Олександр",
                "Семенович", "m",    "1971-08-24", "1971-08-24", "day"};
    store_as(&him, 2000, true);

    const char *const QUERIES[] = {"Бойко Олександр Семенович", "Boiko Oleksandr Semenovych",
                                   "Бойко Александр Семенович", "Бойко О. Семенович"};
    for (size_t i = 0; i < sizeof QUERIES / sizeof QUERIES[0]; i++) {
        rz_search_query q = query(QUERIES[i], 0);
        rz_search_result *res = search(&q);
        cr_expect_eq(rank_of(res, "BO-S"), 1, "%s: ranked %zu of %zu compared", QUERIES[i],
                     rank_of(res, "BO-S"), res->candidates);
        rz_search_result_free(res);
    }
    /* every record compared can be listed, so that one never read is told from one ranked low */
    rz_search_query q = query("Бойко Олександр", 0);
    q.limit = RZ_SEARCH_CANDIDATES;
    rz_search_result *res = search(&q);
    cr_expect_eq(res->candidates, RZ_SEARCH_CANDIDATES, "156 namesakes, the most compared");
    cr_expect_eq(res->count, res->candidates);
    rz_search_result_free(res);
}

/*
 * A capital I inside a Latin word is a small l printed in a sans-serif font (the same glyph):
 * "MaIiarchuk" has no key in common with Малярчук read as typed, but is him read with an l.
 */
Test(search, a_capital_i_inside_a_latin_word_is_also_read_as_a_small_l)
{
    seed him = {"npu",      "NPU-M", "missing",    "МАЛЯРЧУК",   "Віктор",
                "Петрович", "m",     "1984-05-14", "1984-05-14", "day"};
    seed other = {"npu",      "NPU-N", "missing",    "Марчук",     "Віктор",
                  "Іванович", "m",     "1961-02-03", "1961-02-03", "day"};
    store_as(&him, 100, true);
    store_as(&other, 101, true);
    rz_search_query q = query("Viktor MaIiarchuk", 1984);
    rz_search_result *res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-M"), 1, "ranked %zu", rank_of(res, "NPU-M"));
    cr_expect_not_null(strstr(res->hits[0].reason, "capital I as a small l"), "%s",
                       res->hits[0].reason);
    rz_search_result_free(res);
    /* a word in capitals is read as typed: its I is an I */
    q = query("ILLIA MARCHUK", 1961);
    res = search(&q);
    cr_assert_eq(rank_of(res, "NPU-N"), 1);
    cr_expect_null(strstr(res->hits[0].reason, "capital I"), "%s", res->hits[0].reason);
    rz_search_result_free(res);
}
