/*
 * rekey.c: the SQL of `rozshuk db rekey`: names stored with keys of an older names engine get
 * the derived columns and keys of this one, one chunk of records per transaction. The keys go
 * through person_key's triggers (0010, 0015): deleting a record's keys removes its search
 * rows, inserting them rebuilds those rows and adds the new keys' neighbourhoods.
 */
#include "rekey.h"

#include "batch.h"

#include "rozshuk/names.h"

#include <stdio.h>
#include <stdlib.h>

/* The chunk's records, as an array: the stored tables are reached by their indexes on the
 * ids (a join with the temporary table, which has no statistics, may scan them whole). */
#define PERSONS "ARRAY(SELECT id FROM rekey_person)"

/* The chunk's records: those of the first $3 stale names after record $1. */
static const char *const TAKE[] = {
    "CREATE TEMP TABLE rekey_person (id bigint PRIMARY KEY) ON COMMIT DROP",
    "INSERT INTO rekey_person (id) SELECT DISTINCT person_id FROM (SELECT person_id"
    " FROM person_name WHERE person_id > $1::bigint AND key_version < $2::smallint"
    " ORDER BY person_id LIMIT $3::int) s",
    /* in source order, so that two rekeys never wait for each other crosswise */
    "SELECT pg_advisory_xact_lock(" RZ__LOAD_LOCK ", s.source_id) FROM (SELECT DISTINCT"
    " source_id FROM person WHERE id = ANY(" PERSONS ") ORDER BY 1) s",
};

static const char NAMES[] = "SELECT n.id, n.role, n.written, n.surname, n.given, n.patronymic,"
                            " (SELECT max(id) FROM rekey_person) FROM person_name n"
                            " WHERE n.person_id = ANY(" PERSONS ") ORDER BY n.id";

/* In order: names rekeyed, names left without keys, the keys. */
static const char *const APPLY[] = {
    "UPDATE person_name n SET surname = s.surname, given = s.given, patronymic = s.patronymic,"
    " script = s.script, lang = s.lang, surname_key = s.surname_key, given_key = s.given_key,"
    " patronymic_key = s.patronymic_key, given_canonical = s.given_canonical,"
    " key_version = s.key_version FROM stage_name s"
    " WHERE n.id = ANY(ARRAY(SELECT line FROM stage_name)) AND n.id = s.line",
    /* $1: the ids of the chunk's names that are no name now (few, usually none) */
    "UPDATE person_name SET surname_key = NULL, given_key = NULL, patronymic_key = NULL,"
    " given_canonical = NULL, key_version = $2::smallint WHERE id = ANY($1::bigint[])",
    "DELETE FROM person_key WHERE person_id = ANY(" PERSONS ")",
    /* in person_key's primary-key order; one statement, so the search rows of each record are
     * built once from all its keys */
    "INSERT INTO person_key (person_id, kind, key, key_version)"
    " SELECT DISTINCT n.person_id, k.kind, k.key, k.key_version"
    " FROM stage_key k JOIN person_name n ON n.id = k.line"
    " WHERE n.id = ANY(ARRAY(SELECT line FROM stage_name)) ORDER BY 1, 2, 3",
};

rz_status rz__rekey_begin(rz_db *db, int64_t after, int limit, rz_result **names, int64_t *last,
                          rz_error *err)
{
    *names = NULL;
    *last = 0;
    char a[24], v[8], l[16];
    snprintf(a, sizeof a, "%lld", (long long)after);
    snprintf(v, sizeof v, "%d", RZ_KEY_VERSION);
    snprintf(l, sizeof l, "%d", limit);
    const char *p[3] = {a, v, l};
    rz_status st = rz_db_begin(db, err);
    for (size_t i = 0; st == RZ_OK && i < sizeof TAKE / sizeof TAKE[0]; i++)
        st = rz_db_exec(db, TAKE[i], i == 1 ? 3 : 0, i == 1 ? p : NULL, NULL, err);
    if (st == RZ_OK)
        st = rz_db_exec(db, NAMES, 0, NULL, names, err);
    if (st == RZ_OK && rz_result_rows(*names) > 0) {
        *last = strtoll(rz_result_value(*names, 0, 6), NULL, 10);
        st = rz__batch_staging(db, err);
    }
    if (st != RZ_OK || *last == 0) {
        rz_result_free(*names);
        *names = NULL;
        rz_db_rollback(db);
    }
    return st;
}

rz_status rz__rekey_finish(rz_db *db, const char *unkeyed_ids, uint64_t *names, uint64_t *unkeyed,
                           uint64_t *records, rz_error *err)
{
    char v[8];
    snprintf(v, sizeof v, "%d", RZ_KEY_VERSION);
    const char *p[2] = {unkeyed_ids, v};
    size_t done[2] = {0, 0};
    rz_status st = RZ_OK;
    for (size_t i = 0; st == RZ_OK && i < sizeof APPLY / sizeof APPLY[0]; i++) {
        if (i == 1 && unkeyed_ids == NULL)
            continue;
        rz_result *res = NULL;
        st = rz_db_exec(db, APPLY[i], i == 1 ? 2 : 0, i == 1 ? p : NULL, &res, err);
        if (st == RZ_OK && i < 2)
            done[i] = rz_result_affected(res);
        rz_result_free(res);
    }
    rz_result *res = NULL;
    if (st == RZ_OK)
        st = rz_db_exec(db, "SELECT count(*) FROM rekey_person", 0, NULL, &res, err);
    uint64_t n = st == RZ_OK ? strtoull(rz_result_value(res, 0, 0), NULL, 10) : 0;
    rz_result_free(res);
    if (st == RZ_OK)
        st = rz_db_commit(db, err);
    if (st != RZ_OK) {
        rz_db_rollback(db);
        return st;
    }
    *names += done[0] + done[1];
    *unkeyed += done[1];
    *records += n;
    return RZ_OK;
}
