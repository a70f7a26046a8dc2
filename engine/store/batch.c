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
#define LOAD_LOCK RZ__LOAD_LOCK

/* The staging tables of one batch. They hold one chunk of rows at a time (a settle
 * empties them), except stage_ids: the first line and content hash of every record id seen in
 * the file so far, to tell a repeated id from a new one across chunks. Keys and record ids are
 * in the "C" collation, like person_key and person.source_record_id: byte order, no strcoll()
 * in sorts and index descents. */
static const char STAGING[] =
    "CREATE TEMP TABLE stage_person ("
    " line bigint NOT NULL, source_record_id text COLLATE \"C\" NOT NULL, sex text,"
    " birth_from date, birth_to date, birth_precision text, birth_dm_ambiguous boolean,"
    " birth_place text, last_seen_from date, last_seen_to date, last_seen_place text,"
    " found_from date, found_to date, found_place text, description text, raw jsonb,"
    " row_hash text, load_notes text) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_name ("
    " line bigint, role text, written text, surname text, given text, patronymic text,"
    " script text, lang text, surname_key text, given_key text, patronymic_key text,"
    " given_canonical text, key_version smallint) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_key (line bigint, kind text COLLATE \"C\", key text COLLATE \"C\","
    " key_version smallint) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_ident (line bigint, kind text, value text, valid boolean,"
    " raw text) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_warning (line bigint, field text, reason text, value text)"
    " ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_act (line bigint NOT NULL, action text NOT NULL,"
    " person_id bigint, first_line bigint NOT NULL) ON COMMIT DROP;"
    "CREATE TEMP TABLE stage_ids (source_record_id text COLLATE \"C\" PRIMARY KEY,"
    " line bigint NOT NULL, row_hash text NOT NULL) ON COMMIT DROP;";

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
    {"stage_warning", "COPY stage_warning (line, field, reason, value) FROM STDIN"},
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
                          bool *source_had_records, rz_error *err)
{
    *batch_id = 0;
    *source_had_records = true;
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
    char had[8] = "t";
    if (st == RZ_OK)
        st = one_value(db, "SELECT EXISTS (SELECT 1 FROM person WHERE source_id = $1::int)", 1, p2,
                       had, sizeof had, err);
    if (st == RZ_OK)
        st = rz_db_exec_script(db, STAGING, err);
    if (st != RZ_OK) {
        rz_db_rollback(db);
        return st;
    }
    *source_had_records = had[0] != 'f';
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

rz_status rz__batch_staging(rz_db *db, rz_error *err)
{
    return rz_db_exec_script(db, STAGING, err);
}

/* Sorting one chunk of staged rows; $1 is the batch id. Each row of the chunk gets an action:
 * 'insert' (a new record, with a person id drawn now from person's sequence), 'update' (the
 * source's record with this id has other content), 'dup' (same content as the stored record,
 * or as the id's first line in this file), 'conflict' (the id's first line in this file had
 * other content: rejected). One set-based statement, no statistics needed: the chunk is small
 * and probes person's unique index and stage_ids' primary key. */
static const char ACT[] =
    "INSERT INTO stage_act (line, action, person_id, first_line)"
    " SELECT r.line,"
    "  CASE WHEN r.line <> r.first_line THEN"
    "   CASE WHEN r.row_hash = r.first_hash THEN 'dup' ELSE 'conflict' END"
    "  WHEN p.id IS NULL THEN 'insert' WHEN p.row_hash = r.row_hash THEN 'dup' ELSE 'update' END,"
    "  CASE WHEN r.line <> r.first_line THEN NULL WHEN p.id IS NULL THEN"
    "   nextval((SELECT pg_get_serial_sequence('rozshuk.person', 'id'))::regclass)"
    "  ELSE p.id END, r.first_line"
    " FROM (SELECT s.line, s.source_record_id, s.row_hash,"
    "   COALESCE(i.line, first_value(s.line) OVER w) AS first_line,"
    "   COALESCE(i.row_hash, first_value(s.row_hash) OVER w) AS first_hash"
    "  FROM stage_person s LEFT JOIN stage_ids i ON i.source_record_id = s.source_record_id"
    "  WINDOW w AS (PARTITION BY s.source_record_id ORDER BY s.line)) r"
    " LEFT JOIN person p ON $2::boolean AND r.line = r.first_line"
    "  AND p.source_record_id = r.source_record_id"
    "  AND p.source_id = (SELECT source_id FROM batch WHERE id = $1::bigint)"
    " ORDER BY r.line";

/* $2 of ACT is false when the source had no records before this batch: then every id this
 * batch meets is in stage_ids, and looking each up in person (a scan of a growing table per
 * chunk when the planner prefers a hash join) is skipped. */

/* After ACT: the ids met for the first time, then the counts of the chunk's actions. */
static const char *const ACT_AFTER[] = {
    "INSERT INTO stage_ids (source_record_id, line, row_hash)"
    " SELECT s.source_record_id, s.line, s.row_hash FROM stage_person s"
    " JOIN stage_act a ON a.line = s.line WHERE a.line = a.first_line",
};

static const char COUNT_ACTIONS[] = "SELECT count(*) FILTER (WHERE action = 'insert'),"
                                    " count(*) FILTER (WHERE action = 'update'),"
                                    " count(*) FILTER (WHERE action = 'dup'),"
                                    " count(*) FILTER (WHERE action = 'conflict') FROM stage_act";

/* For the chunk's conflicts and updates (nothing to do, and cheap, when it has none); $1 is the
 * batch id, $2 its kind. */
static const char *const CHANGES[] = {
    "INSERT INTO batch_reject (batch_id, line, field, reason, raw)"
    " SELECT $1::bigint, s.line, 'id', 'record id ' || s.source_record_id || ' appears already "
    "on line ' || a.first_line || ' of this file with different content',"
    "  left(s.raw::text, 10000)"
    " FROM stage_person s JOIN stage_act a ON a.line = s.line WHERE a.action = 'conflict'",
    /* updates keep the version they replace */
    "INSERT INTO person_history (batch_id, person_id, old)"
    " SELECT $1::bigint, p.id, jsonb_build_object('person', to_jsonb(p),"
    "  'names', COALESCE((SELECT jsonb_agg(to_jsonb(n) ORDER BY n.id) FROM person_name n"
    "   WHERE n.person_id = p.id), '[]'),"
    "  'keys', COALESCE((SELECT jsonb_agg(to_jsonb(k)) FROM person_key k"
    "   WHERE k.person_id = p.id), '[]'),"
    "  'identifiers', COALESCE((SELECT jsonb_agg(to_jsonb(i)) FROM identifier i"
    "   WHERE i.person_id = p.id), '[]'))"
    " FROM person p JOIN stage_act a ON a.person_id = p.id AND a.action = 'update'",
    "DELETE FROM person_name WHERE person_id IN (SELECT person_id FROM stage_act"
    " WHERE action = 'update')",
    "DELETE FROM person_key WHERE person_id IN (SELECT person_id FROM stage_act"
    " WHERE action = 'update')",
    "DELETE FROM identifier WHERE person_id IN (SELECT person_id FROM stage_act"
    " WHERE action = 'update')",
    "UPDATE person p SET batch_id = $1::bigint, kind = $2::text, sex = s.sex,"
    "  birth_from = s.birth_from, birth_to = s.birth_to, birth_precision = s.birth_precision,"
    "  birth_dm_ambiguous = s.birth_dm_ambiguous, birth_place = s.birth_place,"
    "  last_seen_from = s.last_seen_from, last_seen_to = s.last_seen_to,"
    "  last_seen_place = s.last_seen_place, found_from = s.found_from, found_to = s.found_to,"
    "  found_place = s.found_place, description = s.description, raw = s.raw,"
    "  row_hash = s.row_hash, load_notes = s.load_notes, updated_at = clock_timestamp()"
    " FROM stage_person s JOIN stage_act a ON a.line = s.line AND a.action = 'update'"
    " WHERE p.id = a.person_id",
};

/* New records, then the names, keys and identifiers of new and updated ones; $1 is the batch
 * id, $2 its kind. Each in the order of the index that costs most to keep: person ids ascend,
 * so person's primary key and the person_id indexes are filled at their right edge; keys go
 * in person_key's primary-key order. */
static const char *const WRITE[] = {
    "INSERT INTO person (id, source_id, source_record_id, batch_id, created_batch_id,"
    "  kind, sex, birth_from, birth_to, birth_precision, birth_dm_ambiguous, birth_place,"
    "  last_seen_from, last_seen_to, last_seen_place, found_from, found_to, found_place,"
    "  description, raw, row_hash, load_notes) OVERRIDING SYSTEM VALUE"
    " SELECT a.person_id, b.source_id, s.source_record_id, $1::bigint, $1::bigint, $2::text,"
    "  s.sex, s.birth_from, s.birth_to, s.birth_precision,"
    "  COALESCE(s.birth_dm_ambiguous, false), s.birth_place, s.last_seen_from, s.last_seen_to,"
    "  s.last_seen_place, s.found_from, s.found_to, s.found_place, s.description, s.raw,"
    "  s.row_hash, s.load_notes"
    " FROM stage_person s JOIN stage_act a ON a.line = s.line, batch b"
    " WHERE b.id = $1::bigint AND a.action = 'insert' ORDER BY a.person_id",
    "INSERT INTO person_name (person_id, role, written, surname, given, patronymic, script,"
    "  lang, surname_key, given_key, patronymic_key, given_canonical, key_version)"
    " SELECT a.person_id, n.role, n.written, n.surname, n.given, n.patronymic, n.script,"
    "  n.lang, n.surname_key, n.given_key, n.patronymic_key, n.given_canonical, n.key_version"
    " FROM stage_name n JOIN stage_act a ON a.line = n.line"
    " WHERE a.action IN ('insert', 'update') ORDER BY a.person_id",
    /* stage_key comes in person_key's primary-key order without repeats (the loader sorts
     * each chunk by line, kind, key), and the join (stage_act hashed) keeps that order: no
     * sort here */
    "INSERT INTO person_key (person_id, kind, key, key_version)"
    " SELECT a.person_id, k.kind, k.key, k.key_version"
    " FROM stage_key k JOIN stage_act a ON a.line = k.line"
    " WHERE a.action IN ('insert', 'update')",
    "INSERT INTO batch_warning (batch_id, line, field, reason, value)"
    " SELECT $1::bigint, w.line, w.field, w.reason, w.value FROM stage_warning w"
    " JOIN stage_act a ON a.line = w.line WHERE a.action IN ('insert', 'update') ORDER BY w.line",
    "INSERT INTO identifier (person_id, kind, value, valid, raw)"
    " SELECT DISTINCT ON (a.person_id, i.kind, i.value) a.person_id, i.kind, i.value,"
    "  i.valid, i.raw FROM stage_ident i JOIN stage_act a ON a.line = i.line"
    " WHERE a.action IN ('insert', 'update') ORDER BY a.person_id, i.kind, i.value",
    "TRUNCATE stage_person, stage_name, stage_key, stage_ident, stage_warning, stage_act",
};

#define COUNT_OF(a) (sizeof(a) / sizeof(a)[0])

/* Appends statements to a settle's list; each takes the parameters it names ($1, $2) of p. */
static void add_steps(rz_db_stmt *steps, size_t *n, const char *const *sqls, size_t count,
                      const char *const *p)
{
    for (size_t i = 0; i < count; i++) {
        int np = strstr(sqls[i], "$2") ? 2 : strstr(sqls[i], "$1") ? 1 : 0;
        steps[(*n)++] = (rz_db_stmt){NULL, sqls[i], np, np ? p : NULL, NULL};
    }
}

/* A settle's statements: ACT, ACT_AFTER, COUNT_ACTIONS (whose result is read), CHANGES, WRITE. */
#define SETTLE_COUNT (1 + COUNT_OF(ACT_AFTER))
#define SETTLE_STEPS (SETTLE_COUNT + 1 + COUNT_OF(CHANGES) + COUNT_OF(WRITE))

rz_status rz__batch_settle_send(rz_db *db, int64_t batch_id, const char *kind,
                                bool source_had_records, rz_error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)batch_id);
    const char *p[2] = {id, kind};
    const char *pa[2] = {id, source_had_records ? "true" : "false"};
    const char *const count[1] = {COUNT_ACTIONS};
    rz_db_stmt steps[SETTLE_STEPS];
    size_t n = 0;
    steps[n++] = (rz_db_stmt){NULL, ACT, 2, pa, NULL};
    add_steps(steps, &n, ACT_AFTER, COUNT_OF(ACT_AFTER), p);
    add_steps(steps, &n, count, 1, p);
    add_steps(steps, &n, CHANGES, COUNT_OF(CHANGES), p);
    add_steps(steps, &n, WRITE, COUNT_OF(WRITE), p);
    return rz_db_pipeline_send(db, steps, n, err);
}

rz_status rz__batch_settle_end(rz_db *db, rz__batch_counts *c, rz_error *err)
{
    rz_result *res = NULL;
    rz_status st = rz_db_pipeline_end(db, SETTLE_COUNT, &res, err);
    if (st != RZ_OK)
        return st;
    c->inserted += strtoull(rz_result_value(res, 0, 0), NULL, 10);
    c->updated += strtoull(rz_result_value(res, 0, 1), NULL, 10);
    c->duplicates += strtoull(rz_result_value(res, 0, 2), NULL, 10);
    c->rejected += strtoull(rz_result_value(res, 0, 3), NULL, 10);
    rz_result_free(res);
    return RZ_OK;
}

rz_status rz__batch_finish(rz_db *db, int64_t batch_id, rz__batch_counts *c, rz_error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)batch_id);
    char v[5][24];
    snprintf(v[0], sizeof v[0], "%llu", (unsigned long long)c->read);
    snprintf(v[1], sizeof v[1], "%llu", (unsigned long long)c->inserted);
    snprintf(v[2], sizeof v[2], "%llu", (unsigned long long)c->updated);
    snprintf(v[3], sizeof v[3], "%llu", (unsigned long long)c->rejected);
    snprintf(v[4], sizeof v[4], "%llu", (unsigned long long)c->duplicates);
    const char *sha = c->file_sha256[0] ? c->file_sha256 : NULL;
    const char *q[7] = {id, v[0], v[1], v[2], v[3], v[4], sha};
    char same[24] = "", warnings[24] = "0";
    c->same_file_batch = 0;
    rz_status st =
        one_value(db,
                  "UPDATE batch SET state = 'loaded', rows_read = $2, rows_inserted = $3,"
                  " rows_updated = $4, rows_loaded = $3::bigint + $4::bigint,"
                  " rows_rejected = $5, rows_duplicate = $6, file_sha256 = $7,"
                  " warnings = (SELECT count(*) FROM batch_warning WHERE batch_id = $1),"
                  " finished_at = clock_timestamp() WHERE id = $1 RETURNING warnings",
                  7, q, warnings, sizeof warnings, err);
    const char *p2[2] = {id, sha};
    if (st == RZ_OK && sha)
        st = one_value(db,
                       "SELECT max(e.id) FROM batch e, batch b WHERE b.id = $1::bigint"
                       " AND e.source_id = b.source_id AND e.id <> b.id AND e.state = 'loaded'"
                       " AND e.file_sha256 = $2",
                       2, p2, same, sizeof same, err);
    if (st == RZ_OK)
        st = rz_db_exec(db,
                        "INSERT INTO audit (action, object_kind, object_id, detail)"
                        " VALUES ('batch.load', 'batch', $1, jsonb_build_object('read',"
                        " $2::bigint, 'inserted', $3::bigint, 'updated', $4::bigint,"
                        " 'rejected', $5::bigint, 'duplicates', $6::bigint, 'sha256', $7::text,"
                        " 'warnings', (SELECT warnings FROM batch WHERE id = $1::text::bigint)))",
                        7, q, NULL, err);
    if (st == RZ_OK)
        st = rz_db_commit(db, err);
    if (st != RZ_OK)
        rz_db_rollback(db);
    else {
        c->same_file_batch = strtoll(same, NULL, 10);
        c->warnings = strtoull(warnings, NULL, 10);
    }
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
                              " b.rows_updated AS updated, b.warnings,"
                              " b.file_sha256 AS sha256,"
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

/* Rows of one batch by a query whose only parameter is the batch id. */
static rz_status batch_rows(rz_db *db, int64_t id, const char *sql, rz_result **out, rz_error *err)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    const char *p[1] = {v};
    return rz_db_exec(db, sql, 1, p, out, err);
}

rz_status rz_batch_rejects(rz_db *db, int64_t id, rz_result **out, rz_error *err)
{
    return batch_rows(db, id,
                      "SELECT line, field, reason, raw FROM batch_reject WHERE batch_id = $1"
                      " ORDER BY line",
                      out, err);
}

rz_status rz_batch_warnings(rz_db *db, int64_t id, rz_result **out, rz_error *err)
{
    return batch_rows(db, id,
                      "SELECT line, field, reason, value FROM batch_warning WHERE batch_id = $1"
                      " ORDER BY line, field",
                      out, err);
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
