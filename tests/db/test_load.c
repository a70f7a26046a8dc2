/*
 * test_load.c: loading batches into a fresh database: the documented counts of every sample in
 * data-samples/, idempotent reloads, updates with history, exact undo, rejects with line and
 * reason, identifiers corroborating the record.
 */
#include <criterion/criterion.h>

#include "rozshuk/load.h"
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
static rz_name_ctx *names;

static void setup(void)
{
    cr_assert_eq(rzt_db_create_migrated(conninfo, sizeof conninfo), 0,
                 "cannot create a test database: is the private PostgreSQL running?");
    rz_error err;
    cr_assert_eq(rz_db_open(conninfo, &db, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_name_ctx_open(&names, &err), RZ_OK, "%s", err.message);
}

static void teardown(void)
{
    rz_name_ctx_close(names);
    rz_db_close(db);
    rzt_db_drop(conninfo);
}

TestSuite(load, .init = setup, .fini = teardown, .timeout = 120);

static const char *sample(const char *name, char *buf, size_t cap)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    snprintf(buf, cap, "%s/data-samples/%s", root ? root : ".", name);
    return buf;
}

static rz_load_result load(const char *path, const char *source, rz_kind kind,
                           const char *mapping_file)
{
    rz_load_opts o;
    rz_load_opts_defaults(&o);
    o.source = source;
    o.kind = kind;
    rz_mapping *m = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (mapping_file) {
        char mp[1024];
        cr_assert_eq(rz_mapping_load(sample(mapping_file, mp, sizeof mp), &m, &err), RZ_OK, "%s",
                     err.message);
    }
    o.mapping = m;
    rz_load_result r;
    cr_assert_eq(rz_load_file(db, names, path, &o, &r, &err), RZ_OK, "%s: %s", path, err.message);
    rz_mapping_free(m);
    cr_assert_eq(r.read, r.loaded + r.rejected + r.duplicates, "%s: counts do not add up", path);
    return r;
}

static long count(const char *sql)
{
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_db_exec(db, sql, 0, NULL, &res, &err), RZ_OK, "%s: %s", sql, err.message);
    long n = strtol(rz_result_value(res, 0, 0), NULL, 10);
    rz_result_free(res);
    return n;
}

/* A fingerprint of everything a batch can change, to compare table contents exactly. */
static char *snapshot(void)
{
    static const char *const tables[] = {"person", "person_name", "person_key", "identifier",
                                         "person_history"};
    size_t cap = 1024;
    char *out = calloc(1, cap);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY "
                 "t::text)), '-') FROM rozshuk.%s t",
                 tables[i]);
        rz_result *res = NULL;
        rz_error err;
        cr_assert_eq(rz_db_exec(db, sql, 0, NULL, &res, &err), RZ_OK, "%s", err.message);
        strncat(out, tables[i], cap - strlen(out) - 1);
        strncat(out, "=", cap - strlen(out) - 1);
        strncat(out, rz_result_value(res, 0, 0), cap - strlen(out) - 1);
        strncat(out, " ", cap - strlen(out) - 1);
        rz_result_free(res);
    }
    return out;
}

struct sample_counts {
    const char *file, *source;
    rz_kind kind;
    const char *mapping;
    uint64_t read, loaded, rejected, duplicates;
};

/* The counts documented in data-samples/README.md. */
static const struct sample_counts SAMPLES[] = {
    {"missing_register_uk.csv", "npu-register", RZ_KIND_MISSING, NULL, 18, 18, 0, 0},
    {"prisoners_latin.csv", "icrc-prisoners", RZ_KIND_LIST, "prisoners_latin.mapping.json", 13, 13,
     0, 0},
    {"hospital_ru.tsv", "hospital-dnipro", RZ_KIND_LIST, NULL, 10, 10, 0, 0},
    {"remains_sme.csv", "sme-kyiv", RZ_KIND_REMAINS, "remains_sme.mapping.json", 6, 6, 0, 0},
    {"living_unidentified.jsonl", "shelters", RZ_KIND_LIVING, NULL, 3, 3, 0, 0},
    {"messy_volunteers.csv", "volunteers", RZ_KIND_MISSING, NULL, 18, 11, 6, 1},
};

Test(load, every_sample_loads_with_its_documented_counts)
{
    uint64_t loaded = 0;
    for (size_t i = 0; i < sizeof SAMPLES / sizeof SAMPLES[0]; i++) {
        const struct sample_counts *s = &SAMPLES[i];
        char path[1024];
        rz_load_result r = load(sample(s->file, path, sizeof path), s->source, s->kind, s->mapping);
        cr_expect_eq(r.read, s->read, "%s read %llu", s->file, (unsigned long long)r.read);
        cr_expect_eq(r.loaded, s->loaded, "%s loaded %llu", s->file, (unsigned long long)r.loaded);
        cr_expect_eq(r.rejected, s->rejected, "%s rejected %llu", s->file,
                     (unsigned long long)r.rejected);
        cr_expect_eq(r.duplicates, s->duplicates, "%s duplicates %llu", s->file,
                     (unsigned long long)r.duplicates);
        loaded += r.loaded;
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM rozshuk.person WHERE batch_id = %lld",
                 (long long)r.batch_id);
        cr_expect_eq(count(sql), (long)r.loaded, "%s: records in the database", s->file);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM rozshuk.batch_reject WHERE batch_id = %lld",
                 (long long)r.batch_id);
        cr_expect_eq(count(sql), (long)r.rejected, "%s: rejects in the database", s->file);
    }
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), (long)loaded);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch WHERE state = 'loaded' AND "
                       "rows_read = rows_loaded + rows_rejected + rows_duplicate"),
                 (long)(sizeof SAMPLES / sizeof SAMPLES[0]));
    /* every named record got its names and keys */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person p WHERE p.kind IN ('missing', "
                       "'list') AND NOT EXISTS (SELECT 1 FROM rozshuk.person_name n WHERE "
                       "n.person_id = p.id AND n.role = 'primary')"),
                 0);
    cr_expect_gt(count("SELECT count(DISTINCT person_id) FROM rozshuk.person_key"), 40);
    /* the remains with documents on them carry the name as a 'document' name */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person_name WHERE role = 'document'"), 3);
}

Test(load, messy_file_rejects_each_bad_row_with_line_field_and_reason)
{
    char path[1024];
    rz_load_result r = load(sample("messy_volunteers.csv", path, sizeof path), "volunteers",
                            RZ_KIND_MISSING, NULL);
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_batch_rejects(db, r.batch_id, &res, &err), RZ_OK, "%s", err.message);
    struct {
        const char *line, *field, *says;
    } expect[] = {
        {"4", NULL, "malformed quoting"},
        {"5", NULL, "has 6 fields, the header has 10"},
        {"6", "id", "invalid UTF-8"},
        {"10", NULL, "no name"},
        {"14", "id", "appears already on line 12"},
        {"16", "last_seen_place", "longer than 65536 bytes"},
    };
    size_t n = sizeof expect / sizeof expect[0];
    cr_assert_eq(rz_result_rows(res), n);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(rz_result_value(res, i, 0), expect[i].line);
        const char *field = rz_result_value(res, i, 1);
        if (expect[i].field)
            cr_expect(field && strcmp(field, expect[i].field) == 0, "line %s field %s",
                      expect[i].line, field ? field : "(none)");
        const char *reason = rz_result_value(res, i, 2);
        cr_expect_not_null(strstr(reason, expect[i].says), "line %s: %s", expect[i].line, reason);
        cr_expect_not_null(rz_result_value(res, i, 3), "line %s keeps its raw text",
                           expect[i].line);
    }
    rz_result_free(res);
    /* the quoted field over two lines loaded whole; the checksum failure is noted, not lost */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = 'В-014' "
                       "AND raw->>'last_seen_place' LIKE 'Лисичанськ,%вул. Сосюри, 5'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.identifier WHERE value = '2862322134' AND "
                       "NOT valid"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = 'В-010' "
                       "AND load_notes LIKE '%fails its checksum%'"),
                 1);
    /* an unknown column is kept in the raw row */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE raw->>'Телефон родичів' = "
                       "'+380 67 000 0002'"),
                 1);
}

Test(load, an_unreadable_optional_value_loads_the_row_without_it_and_warns)
{
    char path[1024];
    rz_load_result r = load(sample("messy_volunteers.csv", path, sizeof path), "volunteers",
                            RZ_KIND_MISSING, NULL);
    cr_expect_eq(r.warnings, 5);
    cr_expect_eq(r.read, r.loaded + r.rejected + r.duplicates, "warnings are not rows");
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_batch_warnings(db, r.batch_id, &res, &err), RZ_OK, "%s", err.message);
    struct {
        const char *line, *field, *says, *value;
    } expect[] = {
        {"7", "birth_date", "in the future", "12.03.2090"},
        {"8", "sex", "not a sex", "так"},
        {"9", "rnokpp", "9 digits", "286232213"},
        {"15", "birth_date", "after last seen", "2023"},
        {"19", "birth_date", "not a calendar date", "31.02.1990"},
    };
    size_t n = sizeof expect / sizeof expect[0];
    cr_assert_eq(rz_result_rows(res), n);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(rz_result_value(res, i, 0), expect[i].line);
        cr_expect_str_eq(rz_result_value(res, i, 1), expect[i].field);
        const char *reason = rz_result_value(res, i, 2);
        cr_expect_not_null(strstr(reason, expect[i].says), "line %s: %s", expect[i].line, reason);
        cr_expect_str_eq(rz_result_value(res, i, 3), expect[i].value);
    }
    rz_result_free(res);
    /* Лисенко Оксана (born "12.03.2090") is stored with her name and sex, without a birth date,
     * and the record says why */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person p JOIN rozshuk.person_name n ON "
                       "n.person_id = p.id WHERE p.source_record_id = 'В-006' AND n.surname = "
                       "'Лисенко' AND n.given = 'Оксана' AND p.sex = 'f' AND p.birth_from IS "
                       "NULL AND p.load_notes LIKE '%in the future%'"),
                 1);
    /* Гнатюк Степан ("31.02.1990") has his keys, so search and matching find him */
    cr_expect_gt(count("SELECT count(*) FROM rozshuk.person_key k JOIN rozshuk.person p ON "
                       "p.id = k.person_id WHERE p.source_record_id = 'В-015'"),
                 3);
    /* Марченко Богдан (sex "так") keeps his birth year; Кушнір Роман (9-digit RNOKPP) has no
     * identifier row */
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = 'В-007' "
                       "AND sex IS NULL AND birth_from = '1989-01-01'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.identifier i JOIN rozshuk.person p ON "
                       "p.id = i.person_id WHERE p.source_record_id = 'В-008'"),
                 0);
    cr_expect_eq(count("SELECT warnings FROM rozshuk.batch WHERE id = (SELECT max(id) FROM "
                       "rozshuk.batch)"),
                 5);
    /* a reload keeps no warnings: its rows are duplicates, nothing of them is stored */
    rz_load_result again = load(path, "volunteers", RZ_KIND_MISSING, NULL);
    cr_expect_eq(again.duplicates, 12);
    cr_expect_eq(again.warnings, 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch_warning"), 5);
}

/* Loads a file again and expects the tables exactly as they were. */
static rz_load_result reload_changes_nothing(const char *path, const char *source, rz_kind kind)
{
    char *before = snapshot();
    rz_load_result r = load(path, source, kind, NULL);
    char *after = snapshot();
    cr_expect_str_eq(after, before, "%s loaded again", path);
    free(before);
    free(after);
    return r;
}

Test(load, loading_the_same_file_twice_adds_nothing)
{
    char path[1024];
    sample("missing_register_uk.csv", path, sizeof path);
    load(path, "npu-register", RZ_KIND_MISSING, NULL);
    rz_load_result r = reload_changes_nothing(path, "npu-register", RZ_KIND_MISSING);
    cr_expect_eq(r.loaded, 0);
    cr_expect_eq(r.duplicates, 18);
}

/* The value of a named column of a one-row result. */
static const char *column(const rz_result *res, const char *name)
{
    for (size_t c = 0; c < rz_result_cols(res); c++)
        if (strcmp(rz_result_colname(res, c), name) == 0)
            return rz_result_value(res, 0, c);
    cr_assert_fail("no column %s", name);
    return NULL;
}

Test(load, the_file_sha256_is_recorded_and_tells_a_reload_of_the_identical_file)
{
    char path[1024], cmd[1200], expect[65] = "";
    sample("missing_register_uk.csv", path, sizeof path);
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%64s", expect), 1);
    pclose(p);

    rz_load_result first = load(path, "npu-register", RZ_KIND_MISSING, NULL);
    cr_expect_str_eq(first.file_sha256, expect, "coreutils sha256sum agrees");
    cr_expect_eq(first.same_file_batch, 0);
    rz_load_result again = load(path, "npu-register", RZ_KIND_MISSING, NULL);
    cr_expect_eq(again.same_file_batch, first.batch_id);
    rz_load_result other = load(path, "other-register", RZ_KIND_MISSING, NULL);
    cr_expect_eq(other.same_file_batch, 0, "another source's batch is not a re-load");

    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_batch_show(db, again.batch_id, &res, &err), RZ_OK, "%s", err.message);
    cr_expect_str_eq(column(res, "sha256"), expect);
    rz_result_free(res);
}

/* Names and keys must point at a stored person (checked per statement, not by a foreign key);
 * deleting a person takes its names and keys along. */
Test(load, names_and_keys_stay_linked_to_their_person)
{
    char path[1024];
    load(sample("missing_register_uk.csv", path, sizeof path), "npu-register", RZ_KIND_MISSING,
         NULL);
    rz_error err;
    rz_error_clear(&err);
    cr_expect_eq(
        rz_db_exec(db,
                   "INSERT INTO rozshuk.person_key (person_id, kind, key, key_version)"
                   " SELECT max(id) + 1000, 'sur_skel', 'kovalenko', 1 FROM rozshuk.person",
                   0, NULL, NULL, &err),
        RZ_EDB);
    cr_expect_str_eq(err.sqlstate, "23503");
    cr_expect_eq(rz_db_exec(db,
                            "INSERT INTO rozshuk.person_name (person_id, written, key_version)"
                            " SELECT max(id) + 1000, 'Коваленко Микола', 1 FROM rozshuk.person",
                            0, NULL, NULL, &err),
                 RZ_EDB);
    long id = count("SELECT min(id) FROM rozshuk.person");
    cr_assert_gt(count("SELECT count(*) FROM rozshuk.person_key WHERE person_id ="
                       " (SELECT min(id) FROM rozshuk.person)"),
                 0);
    cr_assert_eq(
        rz_db_exec(db, "DELETE FROM rozshuk.person WHERE id = (SELECT min(id) FROM rozshuk.person)",
                   0, NULL, NULL, &err),
        RZ_OK, "%s", err.message);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM rozshuk.person_key WHERE person_id = %ld)"
             " + (SELECT count(*) FROM rozshuk.person_name WHERE person_id = %ld)",
             id, id);
    cr_expect_eq(count(sql), 0);
}

/* A record points at an existing source and existing batches (checked per statement, not by
 * foreign keys), and a source or batch that records point at cannot be deleted. */
Test(load, a_record_keeps_its_source_and_batch)
{
    char path[1024];
    rz_load_result r = load(sample("missing_register_uk.csv", path, sizeof path), "npu-register",
                            RZ_KIND_MISSING, NULL);
    rz_error err;
    rz_error_clear(&err);
    cr_expect_eq(rz_db_exec(db,
                            "INSERT INTO rozshuk.person (source_id, source_record_id, batch_id,"
                            " created_batch_id, kind, raw, row_hash)"
                            " SELECT source_id, 'npu-0000001', batch_id + 1000, batch_id, kind,"
                            " raw, row_hash FROM rozshuk.person LIMIT 1",
                            0, NULL, NULL, &err),
                 RZ_EDB);
    cr_expect_str_eq(err.sqlstate, "23503");
    cr_expect_eq(rz_db_exec(db,
                            "UPDATE rozshuk.person SET source_id = source_id + 1000"
                            " WHERE id = (SELECT min(id) FROM rozshuk.person)",
                            0, NULL, NULL, &err),
                 RZ_EDB);
    cr_expect_str_eq(err.sqlstate, "23503");

    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r.batch_id);
    const char *p[1] = {id};
    cr_expect_eq(rz_db_exec(db, "DELETE FROM rozshuk.batch WHERE id = $1", 1, p, NULL, &err),
                 RZ_EDB);
    cr_expect_str_eq(err.sqlstate, "23503");
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch"), 1, "the batch stays");

    /* a source that only records point at (its batches are another source's) */
    cr_assert_eq(rz_db_exec_script(db,
                                   "INSERT INTO rozshuk.source (name) VALUES ('red-cross');"
                                   "UPDATE rozshuk.person SET source_id ="
                                   " (SELECT id FROM rozshuk.source WHERE name = 'red-cross')"
                                   " WHERE id = (SELECT min(id) FROM rozshuk.person)",
                                   &err),
                 RZ_OK, "%s", err.message);
    cr_expect_eq(
        rz_db_exec(db, "DELETE FROM rozshuk.source WHERE name = 'red-cross'", 0, NULL, NULL, &err),
        RZ_EDB);
    cr_expect_str_eq(err.sqlstate, "23503");

    /* a batch and a source that no record points at can go */
    cr_expect_eq(rz_db_exec_script(db,
                                   "INSERT INTO rozshuk.source (name) VALUES ('hospital-12');"
                                   "INSERT INTO rozshuk.batch (source_id, kind, file_name, format)"
                                   " SELECT id, 'list', 'empty.csv', 'csv' FROM rozshuk.source"
                                   " WHERE name = 'hospital-12';"
                                   "DELETE FROM rozshuk.batch WHERE file_name = 'empty.csv';"
                                   "DELETE FROM rozshuk.source WHERE name = 'hospital-12'",
                                   &err),
                 RZ_OK, "%s", err.message);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

Test(load, changed_row_updates_the_record_and_undo_restores_exactly)
{
    char path[1024];
    char *empty = snapshot();
    load(sample("missing_register_uk.csv", path, sizeof path), "npu-register", RZ_KIND_MISSING,
         NULL);
    load(sample("hospital_ru.tsv", path, sizeof path), "hospital-dnipro", RZ_KIND_LIST, NULL);
    char *loaded = snapshot();

    /* the register corrects a birth date and adds one person */
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    int fd = mkstemps(tmp, 4);
    cr_assert_geq(fd, 0);
    close(fd);
    write_file(tmp, "№ справи;ПІБ;Стать;Дата народження;Дата зникнення\n"
                    "НП-2022-00342;Коваленко Микола Петрович;ч;03.07.1978;16.03.2022\n"
                    "НП-2022-00519;Шевченко Тарас Миколайович;ч;14.11.1967;12.06.2022\n"
                    "НП-2023-00100;Гнатюк Остап Романович;ч;02.03.2000;01.03.2023\n");
    rz_load_result r = load(tmp, "npu-register", RZ_KIND_MISSING, NULL);
    cr_expect_eq(r.updated, 2, "both rows differ from what was loaded (fewer columns)");
    cr_expect_eq(r.inserted, 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = "
                       "'НП-2022-00342' AND birth_from = '1978-07-03'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person_history"), 2);

    rz_undo_result u;
    rz_error err;
    cr_assert_eq(rz_batch_undo(db, r.batch_id, false, &u, &err), RZ_OK, "%s", err.message);
    cr_expect_eq(u.deleted, 1);
    cr_expect_eq(u.restored, 2);
    char *undone = snapshot();
    cr_expect_str_eq(undone, loaded, "undo must restore the exact previous contents");
    cr_expect_eq(rz_batch_undo(db, r.batch_id, false, &u, &err), RZ_EINVAL, "undone twice");

    /* undo the two first batches: back to empty */
    cr_assert_eq(rz_batch_undo(db, 2, false, &u, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_batch_undo(db, 1, false, &u, &err), RZ_OK, "%s", err.message);
    char *none = snapshot();
    cr_expect_str_eq(none, empty);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch WHERE state = 'undone'"), 3);
    cr_expect_eq(rz_batch_undo(db, 99, false, &u, &err), RZ_ENOTFOUND);
    free(empty);
    free(loaded);
    free(undone);
    free(none);
    unlink(tmp);
}

/* Rows are settled in chunks of 10,000: a record id repeated in a later chunk is still told
 * apart from a new one (same content: a duplicate; other content: a conflict naming the first
 * line), and reloading the file adds nothing. */
static const char *const surnames[] = {"Коваленко", "Шевченко", "Бондаренко", "Ткаченко",
                                       "Кравченко", "Олійник",  "Мельник",    "Поліщук"};
static const char *const given[] = {"Олександр", "Андрій", "Сергій", "Микола", "Іван",
                                    "Дмитро",    "Петро",  "Тарас",  "Василь"};

/* Opens a new CSV file at `tmp` (a mkstemps template ending in .csv) with `n` records R00001... */
static FILE *people_file(char *tmp, int n)
{
    int fd = mkstemps(tmp, 4);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs("id,surname,given_name,birth_date\n", f);
    for (int i = 1; i <= n; i++)
        fprintf(f, "R%05d,%s,%s,%02d.%02d.%d\n", i, surnames[i % 8], given[i % 9], 1 + i % 28,
                1 + i % 12, 1940 + i % 60);
    return f;
}

Test(load, a_record_id_repeated_in_a_later_chunk_is_a_duplicate_or_a_conflict)
{
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    FILE *f = people_file(tmp, 10050);
    /* line 10052 repeats line 2 exactly; line 10053 gives line 3's id another birth date */
    fprintf(f, "R%05d,%s,%s,%02d.%02d.%d\n", 1, surnames[1], given[1], 2, 2, 1941);
    fprintf(f, "R%05d,%s,%s,%02d.%02d.%d\n", 2, surnames[2], given[2], 3, 3, 1999);
    fclose(f);
    rz_load_result r = load(tmp, "npu-register", RZ_KIND_MISSING, NULL);
    cr_expect_eq(r.read, 10052);
    cr_expect_eq(r.inserted, 10050);
    cr_expect_eq(r.duplicates, 1);
    cr_expect_eq(r.rejected, 1);
    rz_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_batch_rejects(db, r.batch_id, &res, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(rz_result_rows(res), 1);
    cr_expect_str_eq(rz_result_value(res, 0, 0), "10053");
    cr_expect_not_null(strstr(rz_result_value(res, 0, 2), "appears already on line 3"), "%s",
                       rz_result_value(res, 0, 2));
    rz_result_free(res);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = 'R00002'"
                       " AND birth_from = '1942-03-03'"),
                 1, "the first line's content stays");
    cr_expect_eq(count("SELECT count(DISTINCT person_id) FROM rozshuk.person_key"), 10050);

    rz_load_result again = reload_changes_nothing(tmp, "npu-register", RZ_KIND_MISSING);
    cr_expect_eq(again.loaded, 0);
    cr_expect_eq(again.duplicates, 10051);
    cr_expect_eq(again.rejected, 1);
    unlink(tmp);
}

/* The server settles a chunk while the loader reads the next one: an error there still fails
 * the load with the server's message and leaves nothing of the batch. */
Test(load, a_server_error_while_the_next_chunk_is_read_stores_nothing)
{
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    fclose(people_file(tmp, 10050));
    rz_error err;
    rz_error_clear(&err);
    cr_assert_eq(rz_db_exec_script(db,
                                   "CREATE FUNCTION public.refuse_r00005() RETURNS trigger"
                                   " LANGUAGE plpgsql AS $$ BEGIN"
                                   " RAISE EXCEPTION 'record R00005 refused by a test trigger';"
                                   " END $$;"
                                   "CREATE TRIGGER refuse_r00005 BEFORE INSERT ON rozshuk.person"
                                   " FOR EACH ROW WHEN (NEW.source_record_id = 'R00005')"
                                   " EXECUTE FUNCTION public.refuse_r00005()",
                                   &err),
                 RZ_OK, "%s", err.message);
    rz_load_opts o;
    rz_load_opts_defaults(&o);
    o.source = "npu-register";
    rz_load_result r;
    cr_expect_eq(rz_load_file(db, names, tmp, &o, &r, &err), RZ_EDB);
    cr_expect_not_null(strstr(err.message, "R00005 refused"), "%s", err.message);
    cr_expect_eq(r.batch_id, 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person_key"), 0);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.search_name"), 0);
    unlink(tmp);
}

Test(load, undo_refuses_when_a_later_batch_changed_its_records_unless_forced)
{
    char path[1024];
    rz_load_result first = load(sample("missing_register_uk.csv", path, sizeof path),
                                "npu-register", RZ_KIND_MISSING, NULL);
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    int fd = mkstemps(tmp, 4);
    close(fd);
    write_file(tmp, "№ справи;ПІБ;Дата народження\n"
                    "НП-2022-00342;Коваленко Микола Петрович;1978\n");
    rz_load_result second = load(tmp, "npu-register", RZ_KIND_MISSING, NULL);
    cr_assert_eq(second.updated, 1);
    rz_undo_result u;
    rz_error err;
    rz_error_clear(&err);
    cr_expect_eq(rz_batch_undo(db, first.batch_id, false, &u, &err), RZ_ECONFLICT);
    cr_expect_not_null(strstr(err.message, "later"), "%s", err.message);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 18, "refusal changes nothing");
    cr_assert_eq(rz_batch_undo(db, first.batch_id, true, &u, &err), RZ_OK, "%s", err.message);
    cr_expect_eq(u.deleted, 18);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person"), 0);
    unlink(tmp);
}

Test(load, rnokpp_fills_a_missing_birth_date_and_notes_a_disagreement)
{
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    int fd = mkstemps(tmp, 4);
    close(fd);
    /* 3111712374: born 1985-03-12, a man; 3386745729: born 1992-09-21, a woman */
    write_file(tmp, "id,full_name,sex,birth_date,rnokpp\n"
                    "1,Клименко Олександр Іванович,,,3111712374\n"
                    "2,Бондаренко Ірина Василівна,ж,1993,3386745729\n");
    rz_load_result r = load(tmp, "test-ids", RZ_KIND_MISSING, NULL);
    cr_assert_eq(r.loaded, 2);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = '1' AND "
                       "birth_from = '1985-03-12' AND birth_precision = 'day' AND sex = 'm' "
                       "AND load_notes LIKE '%taken from the rnokpp%'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.person WHERE source_record_id = '2' AND "
                       "birth_from = '1993-01-01' AND load_notes LIKE '%rnokpp gives birth date "
                       "1992-09-21%'"),
                 1);
    unlink(tmp);
}

Test(load, a_file_without_known_headers_is_refused_whole_with_advice)
{
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    int fd = mkstemps(tmp, 4);
    close(fd);
    write_file(tmp, "Колонка А,Колонка Б\nx,y\n");
    rz_load_opts o;
    rz_load_opts_defaults(&o);
    o.source = "nowhere";
    rz_load_result r;
    rz_error err;
    cr_expect_eq(rz_load_file(db, names, tmp, &o, &r, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "--mapping"), "%s", err.message);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch"), 0, "nothing half-made");
    o.source = "Bad Name!";
    cr_expect_eq(rz_load_file(db, names, tmp, &o, &r, &err), RZ_EINVAL);
    unlink(tmp);
}

Test(load, a_row_without_a_name_is_rejected_even_with_good_dates)
{
    char tmp[256];
    cr_assert_eq(rzt_write_temp("id,surname,given_name,birth_date,sex\n"
                                "A-1,,,12.03.1985,ч\n"
                                "A-2,Ковальчук,Ярослав,32.13.1985,ч\n",
                                tmp, sizeof tmp),
                 0);
    rz_load_result r = load(tmp, "npu-register", RZ_KIND_MISSING, NULL);
    cr_expect_eq(r.read, 2);
    cr_expect_eq(r.rejected, 1);
    cr_expect_eq(r.loaded, 1);
    cr_expect_eq(r.warnings, 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch_reject WHERE line = 2 AND reason "
                       "LIKE 'no name%'"),
                 1);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.batch_warning WHERE line = 3 AND field = "
                       "'birth_date' AND value = '32.13.1985'"),
                 1);
    unlink(tmp);
}

/* Loading keeps search's one-edit neighbourhoods (sql/0010, 0013): every stored folded surname
 * of 4 characters or more has itself and each form with one character deleted. */
Test(load, loading_adds_the_one_edit_neighbourhood_of_each_new_surname)
{
    char path[1024];
    load(sample("missing_register_uk.csv", path, sizeof path), "npu-register", RZ_KIND_MISSING,
         NULL);
    cr_expect_eq(count("SELECT count(*) FROM (SELECT DISTINCT key FROM rozshuk.person_key WHERE "
                       "kind = 'sur_fold' AND length(key) >= 4) k WHERE (SELECT count(*) FROM "
                       "rozshuk.name_neighbour n WHERE n.kind = 'sur_fold' AND n.key = k.key "
                       "COLLATE \"default\") <> (SELECT count(DISTINCT d) FROM (SELECT k.key "
                       "COLLATE \"default\" AS d UNION SELECT left(k.key, i - 1) || substr(k.key, "
                       "i + 1) FROM generate_series(1, length(k.key)) i) f)"),
                 0, "a surname key without its neighbourhood");
    long before = count("SELECT count(*) FROM rozshuk.name_neighbour");
    cr_expect_gt(before, 100);
    /* Гончаренко, Зінченко, Мороз and Руденко are in the register already: the volunteers'
     * file brings new surnames (Лисенко, Марченко...), whose forms are added */
    load(sample("messy_volunteers.csv", path, sizeof path), "volunteers", RZ_KIND_MISSING, NULL);
    cr_expect_gt(count("SELECT count(*) FROM rozshuk.name_neighbour"), before);
    cr_expect_eq(count("SELECT count(*) FROM rozshuk.name_neighbour n JOIN rozshuk.person_key k "
                       "ON k.key = n.key COLLATE \"C\" AND k.kind = n.kind COLLATE \"C\" JOIN "
                       "rozshuk.person p ON p.id = k.person_id WHERE p.source_record_id = 'В-006' "
                       "AND n.kind = 'sur_fold' AND n.del = n.key"),
                 1, "Лисенко's folded surname");
}

/* Searching by a given name alone reads the keys the loader wrote by kind and key (sql/0019 keeps
 * an index of the kinds read that way): the five Тарас born in 1947, of 900 loaded records,
 * come first for the Latin "Taras" born that year, then other men named Тарас. */
Test(load, a_given_name_alone_finds_the_loaded_records_by_their_keys)
{
    char tmp[] = "/tmp/rzt-load-XXXXXX.csv";
    fclose(people_file(tmp, 900));
    rz_load_result r = load(tmp, "npu-register", RZ_KIND_MISSING, NULL);
    cr_assert_eq(r.inserted, 900);
    rz_search_query q;
    rz_search_query_defaults(&q);
    q.name = "Taras";
    q.birth.from = rz_days_from_ymd(1947, 1, 1);
    q.birth.to = rz_days_from_ymd(1947, 12, 31);
    q.birth.precision = RZ_PREC_YEAR;
    rz_search_result *res = NULL;
    rz_error err;
    cr_assert_eq(rz_search_run(db, names, &q, &res, &err), RZ_OK, "%s", err.message);
    cr_assert_eq(res->count, q.limit);
    static const char *const born_1947[] = {"R00007", "R00187", "R00367", "R00547", "R00727"};
    for (size_t i = 0; i < res->count; i++) {
        bool same_year = false;
        for (size_t j = 0; j < 5; j++)
            same_year |= strcmp(res->hits[i].source_record_id, born_1947[j]) == 0;
        cr_expect_eq(same_year, i < 5, "hit %zu: %s born %s", i + 1, res->hits[i].source_record_id,
                     res->hits[i].birth);
        cr_expect_not_null(strstr(res->hits[i].names, "Тарас"), "hit %zu: %s", i + 1,
                           res->hits[i].names);
    }
    rz_search_result_free(res);
    unlink(tmp);
}

/* The limits on stored keys and names count characters, not bytes (sql/0020 checks the bytes
 * first): a Cyrillic key of 200 letters (400 bytes) is stored, one of 201 is refused, and so is an
 * empty key; a key kind is lowercase a-z and '_', whether or not the names engine writes it. */
Test(load, key_and_name_limits_count_characters)
{
    char path[1024];
    load(sample("missing_register_uk.csv", path, sizeof path), "npu-register", RZ_KIND_MISSING,
         NULL);
    static const struct {
        const char *kind, *key;
        bool stored;
    } cases[] = {
        {"sur_fold", "repeat('ш', 200)", true},
        {"sur_fold", "repeat('ш', 201)", false},
        {"sur_fold", "''", false},
        {"sur_fold", "repeat('s', 200)", true},
        {"custom_kind", "'shevchenko'", true},
        {"Sur_fold", "'shevchenko'", false},
        {"sur-fold", "'shevchenko'", false},
        {"", "'shevchenko'", false},
        {"a_kind_of_thirty_three_letters_xy", "'shevchenko'", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "INSERT INTO rozshuk.person_key (person_id, kind, key, key_version)"
                 " SELECT min(id), '%s', %s, 1 FROM rozshuk.person",
                 cases[i].kind, cases[i].key);
        rz_error err;
        rz_error_clear(&err);
        rz_status st = rz_db_exec(db, sql, 0, NULL, NULL, &err);
        cr_expect_eq(st == RZ_OK, cases[i].stored, "%s", sql);
        if (st != RZ_OK)
            cr_expect_str_eq(err.sqlstate, "23514", "%s: %s", sql, err.message);
    }
    static const struct {
        const char *column, *value;
        bool stored;
    } name_cases[] = {
        {"written", "repeat('Ї', 1000)", true},
        {"written", "repeat('Ї', 1001)", false},
        {"written", "''", false},
        {"surname", "repeat('Ї', 300)", true},
        {"surname", "repeat('Ї', 301)", false},
        {"given", "repeat('Ї', 301)", false},
    };
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "UPDATE rozshuk.person_name SET %s = %s"
                 " WHERE id = (SELECT min(id) FROM rozshuk.person_name)",
                 name_cases[i].column, name_cases[i].value);
        rz_error err;
        rz_error_clear(&err);
        rz_status st = rz_db_exec(db, sql, 0, NULL, NULL, &err);
        cr_expect_eq(st == RZ_OK, name_cases[i].stored, "%s", sql);
    }
    cr_expect_eq(rz_db_exec(db,
                            "UPDATE rozshuk.person SET birth_place = repeat('Ї', 501)"
                            " WHERE id = (SELECT min(id) FROM rozshuk.person)",
                            0, NULL, NULL, NULL),
                 RZ_EDB);
    cr_expect_eq(rz_db_exec(db,
                            "UPDATE rozshuk.person SET birth_place = repeat('Ї', 500)"
                            " WHERE id = (SELECT min(id) FROM rozshuk.person)",
                            0, NULL, NULL, NULL),
                 RZ_OK);
}
