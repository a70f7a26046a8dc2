/*
 * review.h: people's decisions on candidate pairs. A decision names a pair of records
 * (whichever job proposed it), what was decided, by whom, and why. Decisions are a history:
 * never changed or deleted (the database refuses), the latest one is the pair's state. An
 * excluded pair is not written as a candidate again (a trigger on the candidate table) until
 * one of its records changes.
 */
#ifndef ROZSHUK_REVIEW_H
#define ROZSHUK_REVIEW_H

#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RZ_REVIEW_BY_MAX   200  /* code points of the reviewer's name */
#define RZ_REVIEW_NOTE_MAX 2000 /* code points of a note */
#define RZ_RECORD_REF_MAX  270  /* bytes of "source:record id" */

typedef enum rz_decision {
    RZ_DECISION_CONFIRM,  /* the same person */
    RZ_DECISION_EXCLUDE,  /* not the same person: do not propose again */
    RZ_DECISION_UNSURE,   /* parked: needs more work */
    RZ_DECISION_PREMATURE /* cannot be decided with what is known yet */
} rz_decision;

/* "confirm", "exclude", "unsure", "premature"; and back (RZ_EINVAL otherwise). */
const char *rz_decision_name(rz_decision d);
rz_status rz_decision_parse(const char *text, rz_decision *out);

/*
 * Finds a record by reference: "SOURCE:RECORD_ID" (as `rozshuk explain` and `candidates`
 * print them, e.g. "npu:NPU-0000018") or a person id in digits. RZ_ENOTFOUND with the
 * reference in the message when there is no such record; RZ_EINVAL for a malformed one.
 */
rz_status rz_record_resolve(rz_db *db, const char *ref, int64_t *person_id, rz_error *err);

/*
 * Records one decision on the pair (a, b) (either order; a != b) and its audit row
 * ("decision.record"), in one transaction unless the caller has one open, and clusters again
 * the finished jobs whose records include both of the pair's (a confirmed pair joins the
 * person's cluster, an excluded one leaves it; sql/0007). `by` is required;
 * `note` and `job_id` (0: none) are optional. The new decision's id goes to `decision_id`
 * when not NULL. Errors: RZ_EINVAL (same record twice, empty `by`), RZ_ETOOLONG, RZ_EUTF8,
 * RZ_EDB (e.g. SQLSTATE 42501 for a role that may not review).
 */
rz_status rz_review_record(rz_db *db, int64_t a, int64_t b, int64_t job_id, rz_decision d,
                           const char *by, const char *note, int64_t *decision_id, rz_error *err);

/* One decision of a list recorded together (rz_review_record_many). */
typedef struct rz_review_item {
    int64_t a, b;   /* the pair's records (person ids), either order, a != b */
    int64_t job_id; /* the job that proposed it; 0: none */
    rz_decision decision;
    const char *by;   /* required */
    const char *note; /* may be NULL */
} rz_review_item;

/*
 * Records `n` decisions as rz_review_record does, all or none: in one transaction unless the
 * caller has one open. On an error, `*failed` (when not NULL) is the index of the item that
 * failed. Finished jobs holding a decided pair are clustered again once, at the end.
 */
rz_status rz_review_record_many(rz_db *db, const rz_review_item *items, size_t n, size_t *failed,
                                rz_error *err);

/* A candidate pair found by its id (as `rozshuk candidates` prints it). */
typedef struct rz_candidate_ref {
    int64_t id, job_id;
    int64_t person_a, person_b;
    char ref_a[RZ_RECORD_REF_MAX + 1]; /* "source:record id" of person_a */
    char ref_b[RZ_RECORD_REF_MAX + 1];
} rz_candidate_ref;

/*
 * Finds the candidate `text`: its id in digits, optionally after '#' ("1042", "#1042").
 * RZ_EINVAL for anything else, RZ_ENOTFOUND naming the id when there is no such candidate.
 */
rz_status rz_candidate_find(rz_db *db, const char *text, rz_candidate_ref *out, rz_error *err);

/* One decision of a pair's history; strings valid during the callback only. */
typedef struct rz_decision_entry {
    int64_t id;
    rz_decision decision;
    const char *decided_by;
    const char *db_role;
    const char *decided_at; /* ISO 8601, UTC */
    const char *note;       /* may be NULL */
    int in_force;           /* 1 for the latest decision, 0 for earlier ones */
} rz_decision_entry;

typedef void (*rz_decision_fn)(const rz_decision_entry *e, void *user);

/* The history of the pair (a, b), oldest first. */
rz_status rz_review_history(rz_db *db, int64_t a, int64_t b, rz_decision_fn fn, void *user,
                            rz_error *err);

/* Whether the pair is excluded now (latest decision "exclude", no record changed since). */
rz_status rz_review_is_excluded(rz_db *db, int64_t a, int64_t b, int *excluded, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_REVIEW_H */
