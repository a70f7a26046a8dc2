/*
 * match_internal.h: what engine/match/ and engine/store/ share for match jobs: the record set
 * a task holds in memory and the SQL steps that fill it (implemented in engine/store/).
 */
#ifndef RZ_MATCH_INTERNAL_H
#define RZ_MATCH_INTERNAL_H

#include "rozshuk/match.h"

struct rz_record_set {
    rz_match_record *recs;
    uint8_t *sides;
    size_t n, cap;
    rz_name **names; /* every prepared name, owned */
    size_t nnames, capnames;
    char **labels;         /* 3 per record (source, source record id, written name) when asked */
    size_t names_skipped;  /* names the names engine could not prepare */
    rz_identifier *idents; /* every record's identifiers, in record order */
    size_t nidents, capidents;
    struct rz__place_slot *places; /* places prepared once per distinct text */
    size_t capplaces, nplaces;
};

rz_status rz__set_new(rz_record_set **out, rz_error *err);

/*
 * In the open transaction: makes the temporary tables rz_task_person (id, side) and
 * rz_task_param (job_id, partitions, task_no, kinds, all_kinds, use_id): `kinds` (the
 * rules' first parts) choose the partition, `all_kinds` (every key part) are read.
 */
rz_status rz__task_tables(rz_db *db, int64_t job_id, int partitions, int task_no,
                          const char *kinds_array, const char *all_kinds_array, bool use_id,
                          rz_error *err);

/*
 * Fills rz_task_person with the records of side A (`a`) and side B (`b`, may be NULL) whose
 * keys of the first-part kinds (or identifiers, when use_id) fall in the task's partition;
 * every record of the sides when `all`. Returns the count in *n.
 */
rz_status rz__select_persons(rz_db *db, const rz_selection *a, const rz_selection *b, bool all,
                             size_t *n, rz_error *err);

/* Adds the record "source:source_record_id" to rz_task_person on side A; RZ_ENOTFOUND. */
rz_status rz__select_ref(rz_db *db, const char *ref, rz_error *err);

/*
 * Reads the records of rz_task_person (ordered by id) with their names prepared, identifiers,
 * places, and, when `blocker` is not NULL, their keys of the rules' kinds with the partition
 * flag (`one_partition`: every key is in it). `labels`: also keep source, source record id and
 * the written name.
 */
rz_status rz__set_load(rz_db *db, const rz_name_ctx *names, rz_record_set *set, rz_blocker *blocker,
                       bool one_partition, bool labels, rz_error *err);

/* Reads the job's term frequencies. */
rz_status rz__term_freq_load(rz_db *db, int64_t job_id, double total, rz_term_freq *tf,
                             rz_error *err);

/* Index of the record with this id in a set sorted by id, or SIZE_MAX. */
size_t rz__set_find(const rz_record_set *set, int64_t id);

/* Number of records in selection a and b (b may be NULL: *nb = 0). */
rz_status rz__count_sides(rz_db *db, const rz_selection *a, const rz_selection *b, size_t *na,
                          size_t *nb, rz_error *err);

/* ---- running tasks for the job queue (engine/jobs/) -------------------------------------------
 */

#include <signal.h>
#include <stdatomic.h>

/*
 * How a queued task is run by a worker. The task's finish requires that the task row is still
 * 'running' under `worker` at attempt `attempt` (the lease was not lost, the job not
 * cancelled); otherwise the transaction rolls back (RZ_ECONFLICT) and leaves nothing.
 * The scoring loop stops with RZ_ECANCELLED when `*cancel` or `*stop` becomes true, and keeps
 * `*pairs` up to date for the heartbeat.
 */
typedef struct rz__task_control {
    const char *worker;
    int attempt;
    atomic_bool *cancel;
    const volatile sig_atomic_t *stop; /* may be NULL */
    atomic_size_t *pairs;
    double min_seconds; /* tests: the task lasts at least this long before its commit */
} rz__task_control;

/* Runs one task in one transaction; `ctl` NULL: a direct run (rz_match_run), no lease. */
rz_status rz__match_task_run(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                             const rz__task_control *ctl, size_t *pairs, rz_error *err);

/*
 * Finishes the job (clusters, summary counts, state 'done') when all its tasks are done and it
 * is still pending or running, under the job row's lock: exactly once however many workers
 * call it at the same moment. *finished: this call finished it.
 */
rz_status rz__match_job_try_finish(rz_db *db, int64_t job_id, bool *finished, rz_error *err);

/* rz_model_train without storing the result (train_labels.c builds on it). */
rz_status rz__model_estimate(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                             size_t max_records, rz_model *model, rz_train_report *report,
                             rz_error *err);

#endif
