/*
 * batch.h: the SQL side of loading and undoing batches (engine/store/batch.c), used by
 * engine/load/. Not public API: the public face is rz_load_file() and rz_batch_*() in load.h.
 */
#ifndef RZ_STORE_BATCH_H
#define RZ_STORE_BATCH_H

#include "rozshuk/store.h"

#include <stdbool.h>
#include <stdint.h>

/* The advisory lock (with a source id as second key) that serialises the writes to one
 * source's records: loads, undo, rekey. */
#define RZ__LOAD_LOCK "7254"

/*
 * Opens the batch's transaction: makes the source if new, serialises loads of one source,
 * inserts the batch row and creates the staging tables. The caller stages a chunk of rows with
 * rz__batch_copy(), settles it with rz__batch_settle(), and so on; it ends with
 * rz__batch_finish(), or rolls back. `source_had_records` says whether the source had records
 * before (copy it into the counts' field of the same name).
 */
rz_status rz__batch_begin(rz_db *db, const char *source, const char *kind, const char *file,
                          const char *format, const char *mapping_json, int64_t *batch_id,
                          bool *source_had_records, rz_error *err);

/* Creates the staging tables (temporary, dropped at commit) in the open transaction, as
 * rz__batch_begin() does: for rekey, which stages names and keys without a batch. */
rz_status rz__batch_staging(rz_db *db, rz_error *err);

/* COPY text-format rows into one of stage_person, stage_name, stage_key, stage_ident,
 * stage_warning, batch_reject. */
rz_status rz__batch_copy(rz_db *db, const char *table, const char *data, size_t len, rz_error *err);

typedef struct rz__batch_counts {
    uint64_t read;     /* rows read (the caller's count) */
    uint64_t rejected; /* rows rejected while reading, plus in-file conflicts found on settling */
    uint64_t inserted, updated, duplicates; /* summed by rz__batch_settle() */
    uint64_t warnings;       /* out: warnings kept for loaded rows (set by rz__batch_finish()) */
    bool source_had_records; /* in: from rz__batch_begin() */
    char file_sha256[65];    /* the file's SHA-256 in hex, or "" when unknown */
    int64_t same_file_batch; /* out: the latest earlier loaded batch of this source with the
                              * same SHA-256 (a re-load of the identical file), or 0 */
} rz__batch_counts;

/*
 * Sorts the rows staged so far into new, updated, duplicate and conflicting records, writes
 * them to person, person_name, person_key and identifier and empties the staging tables for
 * the next chunk: rz__batch_settle_send() sends the statements and returns at once, so that
 * the caller can read the next chunk while the server works; rz__batch_settle_end() waits for
 * them and adds the chunk's figures to `counts`. Nothing else may use the connection between
 * the two. `source_had_records` as in the counts.
 */
rz_status rz__batch_settle_send(rz_db *db, int64_t batch_id, const char *kind,
                                bool source_had_records, rz_error *err);
rz_status rz__batch_settle_end(rz_db *db, rz__batch_counts *counts, rz_error *err);

/* Records the counts and the file's SHA-256 on the batch row, finds an earlier load of the
 * identical file, writes the audit row and commits; rolls back on failure. */
rz_status rz__batch_finish(rz_db *db, int64_t batch_id, rz__batch_counts *counts, rz_error *err);

#endif
