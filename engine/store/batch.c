/*
 * batch.c: the SQL of a batch: open it (source, lock, batch row, staging tables), stage rows
 * with COPY, and finish it by sorting the staged rows into new, updated and duplicate records;
 * and the batch queries behind `rozshuk batch` (list, show, rejects, undo). Every statement is
 * parameterised; the only names put into SQL text come from the fixed list below.
 */
#include "batch.h"

#include "rozshuk/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads of one source take this advisory lock (with the source id), so two loads of the same
 * source cannot both insert the same record id. batch_undo() takes it too. */
#define LOAD_LOCK "7254"

static const char STAGING[] =
    "CREATE TEMP TABLE stage_person ("
    " line bigint PRIMARY KEY, source_record_id text NOT NULL, sex text,"
    " birth_from date, birth_to date, birth_precision text, birth_dm_ambiguous boolean,"
    " birth_place text, last_seen_from date, last_seen_to date, last_seen_place text,"
    " found_from date, found_to date, found_place text, description text, raw jsonb,"
    " row_hash text, load_notes text, action text, person_id bigint, first_line bigint"
    ") ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_name ("
    " line bigint, role text, written text, surname text, given text, patronymic text,"
    " script text, lang text, surname_key text, given_key text, patronymic_key text,"
    " given_canonical text, key_version smallint) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_key (line bigint, kind text, key text, key_version smallint)"
    " ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_ident (line bigint, kind text, value text, valid boolean,"
    " raw text) ON COMMIT DROP;";

static const struct {
    const char *table;
    const char *copy;
} COPIES[] = {
    {"stage_person",
     "COPY stage_person (line, source_record_id, sex, birth_from, birth_to, birth_precision,"
     " birth_dm_ambiguous, birth_place, last_seen_from, last_seen_to, last_seen_place,"
     " found_from, found_to, found_place, description, raw, row_hash, load_notes) FROM STDIN"},
    {"stage_name",
     "COPY stage_name (line, role, written, surname, given, patronymic, script, lang,"
     " surname_key, given_key, patronymic_key, given_canonical, key_version) FROM STDIN"},
    {"stage_key", "COPY stage_key (line, kind, key, key_version) FROM STDIN"},
    {"stage_ident", "COPY stage_ident (line, kind, value, valid, raw) FROM STDIN"},
    {"batch_reject", "COPY batch_reject (batch_id, line, field, reason, raw) FROM STDIN"},
};

static bool valid_source_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '_' || c == '.' || c == '-'));
        if (!ok)
            return false;
    }
    return true;
}

static rz_status one_value(rz_db *db, const char *sql, int n, const char *const *p, char *out,
                           size_t cap, rz_error *err)
{
    rz_result *res = NULL;
    rz_status st = rz_db_exec(db, sql, n, p, &res, err);
    if (st != RZ_OK)
        return st;
    const char *v = rz_result_value(res, 0, 0);
    snprintf(out, cap, "%s", v ? v : "");
    rz_result_free(res);
    return RZ_OK;
}

rz_status rz__batch_begin(rz_db *db, const char *source, const char *kind, const char *file,
                          const char *format, const char *mapping_json, int64_t *batch_id,
                          rz_error *err)
{
    *batch_id = 0;
    if (!valid_source_name(source))
        return rz_error_set(err, RZ_EINVAL,
                            "source name '%s' must be 1-64 characters of a-z, 0-9, '_', '.', '-' "
                            "starting with a letter or digit (e.g. 'npu-register')",
                            source);
    rz_status st = rz_db_begin(db, err);
    if (st != RZ_OK)
        return st;
    char source_id[24], id[24];
    const char *p1[1] = {source};
    st = rz_db_exec(db, "INSERT INTO source (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", 1,
                    p1, NULL, err);
    if (st == RZ_OK)
        st = one_value(db, "SELECT id FROM source WHERE name = $1", 1, p1, source_id,
                       sizeof source_id, err);
    const char *p2[1] = {source_id};
    if (st == RZ_OK)
        st = rz_db_exec(db, "SELECT pg_advisory_xact_lock(" LOAD_LOCK ", $1::int)", 1, p2, NULL,
                        err);
    const char *p3[5] = {source_id, kind, file, format, mapping_json};
    if (st == RZ_OK)
        st = one_value(db,
                       "INSERT INTO batch (source_id, kind, file_name, format, mapping) "
                       "VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id",
                       5, p3, id, sizeof id, err);
    if (st == RZ_OK)
        st = rz_db_exec_script(db, STAGING, err);
    if (st != RZ_OK) {
        rz_db_rollback(db);
        return st;
    }
    *batch_id = strtoll(id, NULL, 10);
    return RZ_OK;
}

rz_status rz__batch_copy(rz_db *db, const char *table, const char *data, size_t len, rz_error *err)
{
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof COPIES / sizeof COPIES[0]; i++)
        if (strcmp(COPIES[i].table, table) == 0)
            sql = COPIES[i].copy;
    if (sql == NULL)
        return rz_error_set(err, RZ_EINVAL, "no staging table %s", table);
    rz_status st = rz_db_copy_in_begin(db, sql, err);
    if (st != RZ_OK)
        return st;
    st = rz_db_copy_in_put(db, data, len, err);
    if (st != RZ_OK) {
        rz_db_copy_in_abort(db, "put failed");
        return st;
    }
    return rz_db_copy_in_end(db, err);
}

/* The steps of finishing a batch, in order; $1 is the batch id, $2 its kind. */
static const char *const FINISH[] = {
    "ANALYZE stage_person",
    "ANALYZE stage_name",
    "ANALYZE stage_key",
    /* a record id repeated in the file: same content is a duplicate, else a conflict */
    "WITH r AS (SELECT line, row_hash, first_value(line) OVER w AS first_line,"
    "  first_value(row_hash) OVER w AS first_hash FROM stage_person"
    "  WINDOW w AS (PARTITION BY source_record_id ORDER BY line))"
    " UPDATE stage_person s SET first_line = r.first_line,"
    "  action = CASE WHEN r.row_hash = r.first_hash THEN 'dup' ELSE 'conflict' END"
    " FROM r WHERE s.line = r.line AND r.line <> r.first_line",
    "INSERT INTO batch_reject (batch_id, line, field, reason, raw)"
    " SELECT $1::bigint, line, 'id', 'record id ' || source_record_id || ' appears already on line "
    "'"
    "  || first_line || ' of this file with different content', left(raw::text, 10000)"
    " FROM stage_person WHERE action = 'conflict'",
    /* records already stored for this source */
    "UPDATE stage_person s SET person_id = p.id,"
    "  action = CASE WHEN p.row_hash = s.row_hash THEN 'dup' ELSE 'update' END"
    " FROM person p WHERE s.action IS NULL AND p.source_id = (SELECT source_id FROM batch"
    "  WHERE id = $1::bigint) AND p.source_record_id = s.source_record_id",
    "UPDATE stage_person SET action = 'insert' WHERE action IS NULL",
    /* updates keep the version they replace */
    "INSERT INTO person_history (batch_id, person_id, old)"
    " SELECT $1::bigint, p.id, jsonb_build_object('person', to_jsonb(p),"
    "  'names', COALESCE((SELECT jsonb_agg(to_jsonb(n) ORDER BY n.id) FROM person_name n"
    "   WHERE n.person_id = p.id), '[]'),"
    "  'keys', COALESCE((SELECT jsonb_agg(to_jsonb(k)) FROM person_key k"
    "   WHERE k.person_id = p.id), '[]'),"
    "  'identifiers', COALESCE((SELECT jsonb_agg(to_jsonb(i)) FROM identifier i"
    "   WHERE i.person_id = p.id), '[]'))"
    " FROM person p JOIN stage_person s ON s.person_id = p.id AND s.action = 'update'"
    "",
    "DELETE FROM person_name WHERE person_id IN (SELECT person_id FROM stage_person"
    " WHERE action = 'update')",
    "DELETE FROM person_key WHERE person_id IN (SELECT person_id FROM stage_person"
    " WHERE action = 'update')",
    "DELETE FROM identifier WHERE person_id IN (SELECT person_id FROM stage_person"
    " WHERE action = 'update')",
    "UPDATE person p SET batch_id = $1::bigint, kind = $2::text, sex = s.sex, birth_from = "
    "s.birth_from,"
    "  birth_to = s.birth_to, birth_precision = s.birth_precision,"
    "  birth_dm_ambiguous = s.birth_dm_ambiguous, birth_place = s.birth_place,"
    "  last_seen_from = s.last_seen_from, last_seen_to = s.last_seen_to,"
    "  last_seen_place = s.last_seen_place, found_from = s.found_from, found_to = s.found_to,"
    "  found_place = s.found_place, description = s.description, raw = s.raw,"
    "  row_hash = s.row_hash, load_notes = s.load_notes, updated_at = clock_timestamp()"
    " FROM stage_person s WHERE s.person_id = p.id AND s.action = 'update'",
    /* new records: ids drawn first, so that names and keys join on the staging line (a join
     * of the staging table with INSERT ... RETURNING would be planned without statistics) */
    "UPDATE stage_person SET person_id = nextval(pg_get_serial_sequence('rozshuk.person', 'id'))"
    " WHERE action = 'insert'",
    "INSERT INTO person (id, source_id, source_record_id, batch_id, created_batch_id,"
    "  kind, sex, birth_from, birth_to, birth_precision, birth_dm_ambiguous, birth_place,"
    "  last_seen_from, last_seen_to, last_seen_place, found_from, found_to, found_place,"
    "  description, raw, row_hash, load_notes) OVERRIDING SYSTEM VALUE"
    " SELECT s.person_id, b.source_id, s.source_record_id, $1::bigint, $1::bigint, $2::text,"
    "  s.sex, s.birth_from, s.birth_to, s.birth_precision,"
    "  COALESCE(s.birth_dm_ambiguous, false), s.birth_place, s.last_seen_from, s.last_seen_to,"
    "  s.last_seen_place, s.found_from, s.found_to, s.found_place, s.description, s.raw,"
    "  s.row_hash, s.load_notes"
    " FROM stage_person s, batch b WHERE b.id = $1::bigint AND s.action = 'insert'"
    " ORDER BY s.line",
    "ANALYZE stage_person",
    /* their names, keys and identifiers */
    "INSERT INTO person_name (person_id, role, written, surname, given, patronymic, script,"
    "  lang, surname_key, given_key, patronymic_key, given_canonical, key_version)"
    " SELECT s.person_id, n.role, n.written, n.surname, n.given, n.patronymic, n.script,"
    "  n.lang, n.surname_key, n.given_key, n.patronymic_key, n.given_canonical, n.key_version"
    " FROM stage_name n JOIN stage_person s ON s.line = n.line"
    " WHERE s.action IN ('insert', 'update') ORDER BY n.line",
    /* in the primary key's order: the index is then filled left to right */
    "INSERT INTO person_key (person_id, kind, key, key_version)"
    " SELECT DISTINCT ON (k.kind, k.key, s.person_id) s.person_id, k.kind, k.key,"
    "  k.key_version FROM stage_key k JOIN stage_person s ON s.line = k.line"
    " WHERE s.action IN ('insert', 'update') ORDER BY k.kind, k.key, s.person_id",
    "INSERT INTO identifier (person_id, kind, value, valid, raw)"
    " SELECT DISTINCT ON (s.person_id, i.kind, i.value) s.person_id, i.kind, i.value,"
    "  i.valid, i.raw FROM stage_ident i JOIN stage_person s ON s.line = i.line"
    " WHERE s.action IN ('insert', 'update')",
};

rz_status rz__batch_finish(rz_db *db, int64_t batch_id, const char *kind, rz__batch_counts *c,
                           rz_error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)batch_id);
    const char *p[2] = {id, kind};
    rz_status st = RZ_OK;
    for (size_t i = 0; st == RZ_OK && i < sizeof FINISH / sizeof FINISH[0]; i++) {
        int n = strstr(FINISH[i], "$2") ? 2 : strstr(FINISH[i], "$1") ? 1 : 0;
        st = rz_db_exec(db, FINISH[i], n, n ? p : NULL, NULL, err);
    }
    rz_result *res = NULL;
    if (st == RZ_OK)
        st = rz_db_exec(db,
                        "SELECT count(*) FILTER (WHERE action = 'insert'),"
                        " count(*) FILTER (WHERE action = 'update'),"
                        " count(*) FILTER (WHERE action = 'dup'),"
                        " count(*) FILTER (WHERE action = 'conflict') FROM stage_person",
                        0, NULL, &res, err);
    if (st == RZ_OK) {
        c->inserted = strtoull(rz_result_value(res, 0, 0), NULL, 10);
        c->updated = strtoull(rz_result_value(res, 0, 1), NULL, 10);
        c->duplicates = strtoull(rz_result_value(res, 0, 2), NULL, 10);
        c->rejected += strtoull(rz_result_value(res, 0, 3), NULL, 10);
        rz_result_free(res);
        char v[5][24];
        snprintf(v[0], sizeof v[0], "%llu", (unsigned long long)c->read);
        snprintf(v[1], sizeof v[1], "%llu", (unsigned long long)c->inserted);
        snprintf(v[2], sizeof v[2], "%llu", (unsigned long long)c->updated);
        snprintf(v[3], sizeof v[3], "%llu", (unsigned long long)c->rejected);
        snprintf(v[4], sizeof v[4], "%llu", (unsigned long long)c->duplicates);
        const char *q[6] = {id, v[0], v[1], v[2], v[3], v[4]};
        st = rz_db_exec(db,
                        "UPDATE batch SET state = 'loaded', rows_read = $2, rows_inserted = $3,"
                        " rows_updated = $4, rows_loaded = $3::bigint + $4::bigint,"
                        " rows_rejected = $5, rows_duplicate = $6, finished_at = clock_timestamp()"
                        " WHERE id = $1",
                        6, q, NULL, err);
        if (st == RZ_OK)
            st = rz_db_exec(db,
                            "INSERT INTO audit (action, object_kind, object_id, detail)"
                            " VALUES ('batch.load', 'batch', $1, jsonb_build_object('read',"
                            " $2::bigint, 'inserted', $3::bigint, 'updated', $4::bigint,"
                            " 'rejected', $5::bigint, 'duplicates', $6::bigint))",
                            6, q, NULL, err);
    }
    if (st == RZ_OK)
        st = rz_db_commit(db, err);
    if (st != RZ_OK)
        rz_db_rollback(db);
    return st;
}

/* ---- batch queries ----------------------------------------------------------------------- */

#define BATCH_COLUMNS                                                                              \
    "b.id, s.name AS source, b.kind, b.file_name AS file, b.format, b.state,"                      \
    " b.rows_read AS read, b.rows_loaded AS loaded, b.rows_rejected AS rejected,"                  \
    " b.rows_duplicate AS duplicates, b.loaded_by,"                                                \
    " to_char(b.started_at, 'YYYY-MM-DD HH24:MI:SS') AS started_at,"                               \
    " to_char(b.finished_at, 'YYYY-MM-DD HH24:MI:SS') AS finished_at"

rz_status rz_batch_list(rz_db *db, rz_result **out, rz_error *err)
{
    return rz_db_exec(db,
                      "SELECT " BATCH_COLUMNS " FROM batch b JOIN source s ON s.id = b.source_id"
                      " ORDER BY b.id DESC",
                      0, NULL, out, err);
}

rz_status rz_batch_show(rz_db *db, int64_t id, rz_result **out, rz_error *err)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    const char *p[1] = {v};
    rz_status st = rz_db_exec(db,
                              "SELECT " BATCH_COLUMNS ", b.rows_inserted AS inserted,"
                              " b.rows_updated AS updated,"
                              " to_char(b.undone_at, 'YYYY-MM-DD HH24:MI:SS') AS undone_at,"
                              " b.mapping::text AS mapping"
                              " FROM batch b JOIN source s ON s.id = b.source_id WHERE b.id = $1",
                              1, p, out, err);
    if (st == RZ_OK && rz_result_rows(*out) == 0) {
        rz_result_free(*out);
        *out = NULL;
        return rz_error_set(err, RZ_ENOTFOUND, "no batch %lld (see 'rozshuk batch list')",
                            (long long)id);
    }
    return st;
}

rz_status rz_batch_rejects(rz_db *db, int64_t id, rz_result **out, rz_error *err)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    const char *p[1] = {v};
    return rz_db_exec(db,
                      "SELECT line, field, reason, raw FROM batch_reject WHERE batch_id = $1"
                      " ORDER BY line",
                      1, p, out, err);
}

rz_status rz_batch_undo(rz_db *db, int64_t id, bool force, rz_undo_result *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    const char *p[2] = {v, force ? "true" : "false"};
    rz_result *res = NULL;
    rz_status st = rz_db_begin(db, err);
    if (st == RZ_OK)
        st = rz_db_exec(db, "SELECT deleted, restored FROM batch_undo($1, $2)", 2, p, &res, err);
    if (st == RZ_OK) {
        out->deleted = strtoull(rz_result_value(res, 0, 0), NULL, 10);
        out->restored = strtoull(rz_result_value(res, 0, 1), NULL, 10);
        rz_result_free(res);
        st = rz_db_commit(db, err);
    }
    if (st != RZ_OK) {
        rz_db_rollback(db);
        if (err && strcmp(err->sqlstate, "P0002") == 0)
            err->status = st = RZ_ENOTFOUND;
        else if (err && strcmp(err->sqlstate, "2BP01") == 0)
            err->status = st = RZ_ECONFLICT;
        else if (err && strcmp(err->sqlstate, "55000") == 0)
            err->status = st = RZ_EINVAL;
    }
    return st;
}
