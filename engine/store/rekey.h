/*
 * rekey.h: the SQL of `rozshuk db rekey` (engine/store/rekey.c), used by engine/load/rekey.c.
 * Not public API: the public face is rz_rekey() in load.h.
 */
#ifndef RZ_STORE_REKEY_H
#define RZ_STORE_REKEY_H

#include "rozshuk/store.h"

#include <stdint.h>

/*
 * Opens one chunk's transaction: takes the records with names older than RZ_KEY_VERSION
 * whose ids follow `after` (their first `limit` such names, in id order), locks their sources
 * against loads and undo as a load does, creates the staging tables, and returns all the
 * names of those records (id, role, written, surname, given, patronymic) in `names`, and
 * in `last` the highest record id taken (0 when none is left: then no transaction is open).
 */
rz_status rz__rekey_begin(rz_db *db, int64_t after, int limit, rz_result **names, int64_t *last,
                          rz_error *err);

/*
 * With the chunk's names and keys in stage_name and stage_key (line = the name's id), replaces
 * the names' derived columns and their records' keys and commits. `unkeyed_ids` (an array
 * literal "{12,40}", or NULL for none) are the chunk's names that the names engine no longer
 * reads as a name: they lose their keys. Adds the figures to the counts; rolls back on
 * failure.
 */
rz_status rz__rekey_finish(rz_db *db, const char *unkeyed_ids, uint64_t *names, uint64_t *unkeyed,
                           uint64_t *records, rz_error *err);

#endif
