/*
 * audit.h: the append-only audit trail: who (database role and an optional named person) did
 * what (search, view, decide, load, undo, run) to which object, and when.
 *
 * Rows are only ever inserted. The database refuses UPDATE, DELETE and TRUNCATE on the table
 * (a trigger, for every role including the admin), fills in the database role and the time
 * itself (a client cannot claim to be someone else or to act at another time), and lets only
 * rozshuk_admin read it. Every command that searches, shows, decides, loads, undoes or runs a
 * job calls rz_audit_write() in the same connection.
 *
 * What goes into `detail` is the caller's choice and is personal data when it holds a name:
 * store there only what an auditor needs to answer "who looked for whom" (see
 * docs/AUDIT.md), never more, and never print it to logs.
 */
#ifndef ROZSHUK_AUDIT_H
#define ROZSHUK_AUDIT_H

#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits, checked before anything is sent (the table's constraints say the same). */
#define RZ_AUDIT_ACTOR_MAX     200   /* code points of the --by name */
#define RZ_AUDIT_ACTION_MAX    64    /* bytes of [a-z_.] */
#define RZ_AUDIT_KIND_MAX      32    /* bytes of [a-z_] */
#define RZ_AUDIT_OBJECT_ID_MAX 200   /* code points */
#define RZ_AUDIT_DETAIL_MAX    65536 /* bytes of JSON */

/*
 * Appends one audit row. `actor` is the person's name given with --by (NULL when none: the
 * database role alone is recorded); `action` is a dotted verb of [a-z_.] ("search",
 * "candidate.view", "decision.record", "batch.load"); `object_kind` ([a-z_], may be NULL)
 * and `object_id` (may be NULL) name what was acted on; `detail_json` is a JSON object as
 * text or NULL. The database role and time are set by the server.
 *
 * Errors: RZ_EINVAL (action or kind not of their alphabet), RZ_EUTF8, RZ_ETOOLONG (limits
 * above), RZ_EDB (e.g. detail not valid JSON: SQLSTATE 22P02; no INSERT right: 42501).
 * Runs in the caller's transaction when one is open, so that an action and its audit row
 * commit or fail together.
 */
rz_status rz_audit_write(rz_db *db, const char *actor, const char *action, const char *object_kind,
                         const char *object_id, const char *detail_json, rz_error *err);

/* Which rows rz_audit_list() returns; every filter is optional (NULL or 0: no filter). */
typedef struct rz_audit_filter {
    const char *since;  /* a timestamp or date PostgreSQL reads ("2026-12-05", "2026-12-05
                           13:00+00"), or an interval back from now ("2 hours", "7 days") */
    const char *who;    /* database role or --by name, exact */
    const char *action; /* exact action, or a prefix ending in '.' ("candidate.") */
    size_t limit;       /* most recent N; 0 means 1000 */
} rz_audit_filter;

/* Sets every filter to none. */
void rz_audit_filter_defaults(rz_audit_filter *f);

/* One audit row; strings point into the library's result, valid during the callback only.
 * `actor`, `object_kind`, `object_id`, `detail` may be NULL. */
typedef struct rz_audit_entry {
    int64_t id;
    const char *at; /* ISO 8601 with the time zone, UTC */
    const char *db_role;
    const char *actor;
    const char *action;
    const char *object_kind;
    const char *object_id;
    const char *detail; /* JSON text */
} rz_audit_entry;

typedef void (*rz_audit_fn)(const rz_audit_entry *entry, void *user);

/*
 * Lists audit rows matching `filter` (NULL: no filter), oldest first, calling `fn` for each.
 * Needs the right to read the audit (rozshuk_admin): otherwise RZ_EDB with SQLSTATE 42501.
 * RZ_EINVAL (with the reason) for a `since` PostgreSQL cannot read as a time or interval.
 */
rz_status rz_audit_list(rz_db *db, const rz_audit_filter *filter, rz_audit_fn fn, void *user,
                        rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_AUDIT_H */
