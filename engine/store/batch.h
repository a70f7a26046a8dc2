/*
 * batch.h: the SQL side of loading and undoing batches (engine/store/batch.c), used by
 * engine/load/. Not public API: the public face is rz_load_file() and rz_batch_*() in load.h.
 */
#ifndef RZ_STORE_BATCH_H
#define RZ_STORE_BATCH_H

#include "rozshuk/store.h"

#include <stdint.h>

/*
 * Opens the batch's transaction: makes the source if new, serialises loads of one source,
 * inserts the batch row and creates the staging tables. The caller stages rows with
 * rz__batch_copy() and ends with rz__batch_finish(), or rolls back.
 */
rz_status rz__batch_begin(rz_db *db, const char *source, const char *kind, const char *file,
                          const char *format, const char *mapping_json, int64_t *batch_id,
                          rz_error *err);

/* COPY text-format rows into one of stage_person, stage_name, stage_key, stage_ident,
 * batch_reject. */
rz_status rz__batch_copy(rz_db *db, const char *table, const char *data, size_t len, rz_error *err);

typedef struct rz__batch_counts {
    uint64_t read;     /* in: rows read */
    uint64_t rejected; /* in: rows rejected while reading; out: plus in-file conflicts */
    uint64_t inserted, updated, duplicates; /* out */
} rz__batch_counts;

/* Sorts the staged rows into new, updated and duplicate records, writes them, records the
 * counts and commits. */
rz_status rz__batch_finish(rz_db *db, int64_t batch_id, const char *kind, rz__batch_counts *counts,
                           rz_error *err);

#endif
