/*
 * load.h: loading agencies' files into rozshuk: value parsing (dates with their precision,
 * ages, sex, identifiers with checksums), column mapping with automatic header detection, and
 * the batch loader that streams a CSV, TSV or JSON Lines file into PostgreSQL, accounting for
 * every row (read = loaded + rejected + duplicates). Batches can be listed, shown and undone.
 *
 * Value parsers never print and never abort: they return RZ_EEMPTY for a blank or "unknown"
 * value, RZ_EPARSE for text they cannot read, RZ_ERANGE for an absurd value (born in 2090,
 * age 300), RZ_ETOOLONG beyond their documented caps, each with a message in `err`.
 */
#ifndef ROZSHUK_LOAD_H
#define ROZSHUK_LOAD_H

#include "rozshuk/names.h"
#include "rozshuk/record.h"
#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- dates ------------------------------------------------------------------------------ */

#define RZ_DATE_TEXT_MAX 100 /* bytes of one date or age string */

/* How to read all-numeric dates such as 03/04/1985. Dotted dates (03.04.1985) are always
 * day-month-year, as written in Ukraine and Russia; ISO dates (1985-04-03) year-month-day. */
typedef enum rz_date_order {
    RZ_ORDER_DMY, /* default */
    RZ_ORDER_MDY, /* United States habit: slashed dates month first */
    RZ_ORDER_YMD
} rz_date_order;

typedef struct rz_date_opts {
    rz_date_order order;
    int32_t today;    /* day number of "today": later dates are absurd (default: the clock) */
    int32_t earliest; /* earliest plausible day (default 1880-01-01) */
} rz_date_opts;

/* Fills the defaults above (reads the clock for `today`). */
void rz_date_opts_defaults(rz_date_opts *opts);

/*
 * Reads a date as people write them in registers: "12.03.1985", "1985-03-12", "12/03/1985",
 * "12.03.85", "1985", "03.1985", "~1985", "1980-1985", "1985 р.н.", "12 березня 1985",
 * "12 марта 1985 г.", "March 12, 1985", "1980-ті", "1980s", "19850312" and more (see the table
 * in tests/unit/test_dates.c). The result is the range of possible days with its precision;
 * an all-numeric slashed date whose day and month could be read either way is read in
 * `opts->order` and flagged dm_ambiguous. Approximate years ("~1985", "близько 1985") become
 * 1983..1987 (RZ_PREC_RANGE). Two-digit years are 20YY when that is not after `today`,
 * else 19YY. Errors: RZ_EEMPTY (blank, "-", "невідомо", "unknown"), RZ_EPARSE, RZ_ERANGE
 * (not a calendar date, before `earliest`, after `today`), RZ_ETOOLONG.
 */
rz_status rz_date_parse(const char *text, const rz_date_opts *opts, rz_date_range *out,
                        rz_error *err);

/*
 * Reads an age or age range ("35", "30-40", "30–40 років", "~35", "близько 40 лет",
 * "35 years") at a reference day into the range of possible birth days (RZ_PREC_AGE).
 * Ages above 120 are RZ_ERANGE.
 */
rz_status rz_age_parse(const char *text, int32_t reference, rz_date_range *out, rz_error *err);

/* ---- sex and identifiers ---------------------------------------------------------------- */

/*
 * Reads sex in Ukrainian, Russian and English words and letters: "ч", "чол.", "чоловіча",
 * "м", "муж", "мужской", "m", "male", "ж", "жін.", "жіноча", "жен", "женский", "f", "female",
 * "w"... RZ_EEMPTY for blank or unknown ("невідомо", "?"); RZ_EPARSE for anything else.
 */
rz_status rz_sex_parse(const char *text, rz_sex *out, rz_error *err);

#define RZ_ID_TEXT_MAX 200 /* bytes of one identifier as written */

/*
 * Normalises an identifier of the given kind and validates its checksum:
 *   UNZR    "YYYYMMDD-NNNNC": 8 digits of a real date, 4 digits, a check digit (weights
 *           7,3,1 over the 12 digits, sum mod 10, as in ICAO 9303); stored "YYYYMMDD-NNNNC".
 *   RNOKPP  10 digits; check digit (d1*-1 + d2*5 + d3*7 + d4*9 + d5*4 + d6*6 + d7*10 +
 *           d8*5 + d9*7) mod 11 mod 10 (State Tax Service algorithm).
 *   PASSPORT, MILITARY_ID, OTHER: upper-cased (Latin and Cyrillic), spaces, dashes and "№"
 *           removed; no checksum (valid = -1).
 * A wrong shape (letters in an RNOKPP, 9 digits) is RZ_EPARSE; a wrong check digit is RZ_OK
 * with out->valid = 0: a mistyped number is still evidence, marked as such.
 */
rz_status rz_identifier_parse(rz_id_kind kind, const char *text, rz_identifier *out, rz_error *err);

/*
 * What a normalised RNOKPP says about its holder: the first five digits count days since
 * 1899-12-31 (the birth date), the ninth digit is odd for men and even for women.
 * Returns false when the value is not 10 digits.
 */
bool rz_rnokpp_info(const char *value, int32_t *birth_day, rz_sex *sex);

/* The birth date that a normalised UNZR starts with; false when it is not a UNZR. */
bool rz_unzr_birth(const char *value, int32_t *birth_day);

/* ---- fields and mappings ---------------------------------------------------------------- */

/* The fields of a person record that a column can map to. */
typedef enum rz_field {
    RZ_FIELD_RAW, /* not a field: kept only in the raw row */
    RZ_FIELD_ID,  /* the record's id in its source */
    RZ_FIELD_SURNAME,
    RZ_FIELD_GIVEN,
    RZ_FIELD_PATRONYMIC,
    RZ_FIELD_FULL_NAME,
    RZ_FIELD_ALIAS, /* other names, separated by ";" */
    RZ_FIELD_SEX,
    RZ_FIELD_BIRTH_DATE,
    RZ_FIELD_AGE,
    RZ_FIELD_AGE_DATE, /* the day the age was estimated or stated */
    RZ_FIELD_BIRTH_PLACE,
    RZ_FIELD_LAST_SEEN_DATE,
    RZ_FIELD_LAST_SEEN_PLACE,
    RZ_FIELD_FOUND_DATE,
    RZ_FIELD_FOUND_PLACE,
    RZ_FIELD_UNZR,
    RZ_FIELD_RNOKPP,
    RZ_FIELD_PASSPORT,
    RZ_FIELD_MILITARY_ID,
    RZ_FIELD_DESCRIPTION,
    RZ_FIELD_OTHER_ID, /* any other identifier (social security, registry number): kind "other" */
    RZ__FIELD_COUNT
} rz_field;

/* Snake-case name of a field ("surname", "given_name", "birth_date", ...; "raw"); and back
 * (RZ_EINVAL for an unknown name; "ignore" also means RZ_FIELD_RAW). */
const char *rz_field_name(rz_field field);
rz_status rz_field_parse(const char *name, rz_field *out);

/*
 * Guesses the field of a column header in Ukrainian, Russian or English ("Прізвище",
 * "Фамилия", "surname", "ПІБ", "ФИО", "full name", "дата народження", "date_of_birth",
 * "Місце зникнення"...) or a plain snake_case field name. Case, spaces, dots, underscores and
 * apostrophe variants do not matter. RZ_FIELD_RAW when not recognised.
 */
rz_field rz_field_detect(const char *header);

typedef enum rz_load_format {
    RZ_FORMAT_AUTO,
    RZ_FORMAT_CSV,
    RZ_FORMAT_TSV,
    RZ_FORMAT_JSONL
} rz_load_format;

/* "auto", "csv", "tsv", "jsonl"; and back (RZ_EINVAL otherwise). */
const char *rz_load_format_name(rz_load_format f);
rz_status rz_load_format_parse(const char *text, rz_load_format *out);

/*
 * A mapping from a file's columns to fields, read from a small JSON file:
 *
 *   { "format": "csv", "delimiter": ";", "header": true, "date_order": "dmy",
 *     "age_reference": "2024-05-01", "auto_detect": true,
 *     "columns": { "Прізвище": "surname", "Примітка": "description", "Колонка 7": "raw" } }
 *
 * Every key is optional. Columns not named are detected from their headers (unless
 * "auto_detect" is false) and kept in the raw row either way. With "header": false,
 * "columns" is an array of field names by position. Free with rz_mapping_free().
 */
typedef struct rz_mapping rz_mapping;
#define RZ_MAPPING_FILE_MAX (1u << 20) /* bytes of a mapping file */

rz_status rz_mapping_load(const char *path, rz_mapping **out, rz_error *err);
rz_status rz_mapping_parse(const char *json, size_t len, rz_mapping **out, rz_error *err);
void rz_mapping_free(rz_mapping *m);

/* ---- loading a file as one batch -------------------------------------------------------- */

/* Caps on input (longer is rejected with the row's line and field, never truncated). */
#define RZ_LOAD_FIELD_MAX (64u * 1024u)   /* bytes of one field */
#define RZ_LOAD_ROW_MAX   (1024u * 1024u) /* bytes of one row (all its lines) */
#define RZ_LOAD_COLS_MAX  512             /* columns of one row */

/* Called now and then during a load with the bytes read so far, the file's size (0 when not
 * known) and the rows read so far. */
typedef void (*rz_load_progress_fn)(uint64_t bytes, uint64_t total, uint64_t rows, void *user);

typedef struct rz_load_opts {
    const char *source;        /* source (agency) name: [a-z0-9][a-z0-9_.-]{0,63}; required */
    rz_kind kind;              /* record kind of every row */
    rz_load_format format;     /* RZ_FORMAT_AUTO: by extension (.tsv, .jsonl/.ndjson), else CSV */
    const rz_mapping *mapping; /* NULL: detect from the headers */
    rz_date_opts dates;        /* date reading and plausibility */
    const char *file_label;    /* name stored with the batch (default: the path) */
    rz_load_progress_fn progress;
    void *progress_user;
} rz_load_opts;

void rz_load_opts_defaults(rz_load_opts *opts);

typedef struct rz_load_result {
    int64_t batch_id;
    uint64_t read;       /* data rows read (the header is not a row) */
    uint64_t loaded;     /* inserted + updated */
    uint64_t inserted;   /* new records */
    uint64_t updated;    /* records of the same source and id whose content changed */
    uint64_t rejected;   /* rows in the batch's rejects */
    uint64_t duplicates; /* rows already loaded with the same content */
    /* headers of the columns that map to no field (kept only in the raw row), separated by
     * ", "; cut at the end of the buffer. For CSV and TSV files. */
    char unmapped[512];
    char file_sha256[65];    /* SHA-256 of the file's bytes, 64 lowercase hex digits */
    int64_t same_file_batch; /* an earlier loaded batch of this source from the identical file
                              * (same SHA-256), the latest; 0 when none */
    /* values of loaded rows that could not be used (an unreadable birth date, sex or
     * identifier, an absurd date, dates that contradict each other): the row was loaded
     * without the value, the warning is in the batch (rz_batch_warnings()). Not rows: a row
     * may have several, and they are not part of read = loaded + rejected + duplicates. */
    uint64_t warnings;
} rz_load_result;

/*
 * Loads one file as one batch in one transaction: the batch, its records (person, names with
 * their derived forms and keys from the names engine, identifiers) and its rejects become
 * visible together at the end, or not at all (a crash or kill leaves nothing). Rows with a
 * (source, record id) already stored are duplicates when their content is the same, and
 * update the record (keeping the previous version for undo) when it changed. Records without
 * an id column get a content hash as their id. Memory stays flat with the file's size.
 * Errors: RZ_EIO (cannot read the file), RZ_EPARSE (no usable header, bad mapping), RZ_EDB.
 * Bad rows are not errors: they are counted and stored as rejects.
 */
rz_status rz_load_file(rz_db *db, const rz_name_ctx *names, const char *path,
                       const rz_load_opts *opts, rz_load_result *out, rz_error *err);

/* ---- batches ---------------------------------------------------------------------------- */

/* Batches, newest first: id, source, kind, file, format, state, read, loaded, rejected,
 * duplicates, loaded_by, started_at, finished_at. Free with rz_result_free(). */
rz_status rz_batch_list(rz_db *db, rz_result **out, rz_error *err);

/* One batch (same columns plus inserted, updated, warnings, sha256 (the file's SHA-256),
 * undone_at, mapping); RZ_ENOTFOUND when there is none. */
rz_status rz_batch_show(rz_db *db, int64_t id, rz_result **out, rz_error *err);

/* The rejects of a batch in line order: line, field, reason, raw. */
rz_status rz_batch_rejects(rz_db *db, int64_t id, rz_result **out, rz_error *err);

/* The warnings of a batch in line order: line, field (the column), reason, value (as written).
 * A warning is a value that a loaded row could not use: the record was stored without it. */
rz_status rz_batch_warnings(rz_db *db, int64_t id, rz_result **out, rz_error *err);

typedef struct rz_undo_result {
    uint64_t deleted;  /* records the batch inserted, now removed */
    uint64_t restored; /* records the batch updated, restored to their previous version */
} rz_undo_result;

/*
 * Undoes a loaded batch in one transaction: removes the records it inserted and restores the
 * previous version of those it updated, then marks it "undone". Refuses with RZ_ECONFLICT when
 * later work depends on it (a later batch updated its records, or rows of other tables refer
 * to them), unless `force`: then those records are removed too (and the later batches'
 * history is re-pointed). RZ_ENOTFOUND for no such batch; RZ_EINVAL when not "loaded".
 */
rz_status rz_batch_undo(rz_db *db, int64_t id, bool force, rz_undo_result *out, rz_error *err);

/* ---- keys of an older names engine ------------------------------------------------------ */

typedef struct rz_rekey_result {
    uint64_t names;   /* names given the derived columns and keys of RZ_KEY_VERSION */
    uint64_t records; /* records whose keys were replaced */
    uint64_t unkeyed; /* of the names, those this engine reads as no name: left without keys */
} rz_rekey_result;

/*
 * Gives the names stored with keys of an older names engine (key_version below
 * RZ_KEY_VERSION) the derived columns and keys this engine makes, as a load of the same names
 * would, and replaces their records' keys (search's and matching's rows follow), a few
 * thousand names per transaction: a rekey stopped half-way keeps what it did and a new one
 * goes on from there. Waits for running loads of the same sources, as loads wait for each
 * other. Writes one audit row ("db.rekey") at the end. Needs the loader's rights.
 */
rz_status rz_rekey(rz_db *db, const rz_name_ctx *names, rz_rekey_result *out, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_LOAD_H */
