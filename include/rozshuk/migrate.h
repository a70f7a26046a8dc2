/*
 * migrate.h: the schema's numbered migrations (sql/NNNN_name.sql), applied in order, each in
 * its own transaction, recorded with a checksum in rozshuk.schema_migrations.
 *
 * A migration that was applied and then edited is refused (RZ_EMIGRATION): the database and
 * the files would no longer describe the same schema.
 */
#ifndef ROZSHUK_MIGRATE_H
#define ROZSHUK_MIGRATE_H

#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rz_migration_set rz_migration_set;

/* The migrations built into this binary (copied from sql/ at build time). */
rz_status rz_migrations_builtin(rz_migration_set **out, rz_error *err);

/*
 * The migrations in a folder: every file named NNNN_*.sql, sorted by name. Files are read
 * whole (limit 4 MiB each). Free with rz_migration_set_free().
 */
rz_status rz_migrations_from_dir(const char *dir, rz_migration_set **out, rz_error *err);

/* Frees a set. Accepts NULL. */
void rz_migration_set_free(rz_migration_set *set);

/* How many migrations a set holds, and the name (file name) of the i-th. */
size_t rz_migration_set_count(const rz_migration_set *set);
const char *rz_migration_set_name(const rz_migration_set *set, size_t i);

typedef enum rz_migration_state {
    RZ_MIGRATION_APPLIED, /* applied, and the file still has the recorded checksum */
    RZ_MIGRATION_PENDING, /* in the set, not yet applied */
    RZ_MIGRATION_CHANGED, /* applied, but the file was edited afterwards */
    RZ_MIGRATION_MISSING  /* applied in the database, absent from the set */
} rz_migration_state;

/* "applied", "pending", "changed", "missing". */
const char *rz_migration_state_name(rz_migration_state state);

/*
 * Called once per migration, in order. `applied_at` is the time it was applied (text,
 * NULL when pending). The strings are valid only during the call.
 */
typedef void (*rz_migration_fn)(const char *name, rz_migration_state state, const char *applied_at,
                                void *user);

/* Reports the state of every migration without changing anything. */
rz_status rz_migrate_status(rz_db *db, const rz_migration_set *set, rz_migration_fn fn, void *user,
                            rz_error *err);

/*
 * Applies the pending migrations in order, each in its own transaction, calling `fn` for each
 * one applied. Holds an advisory lock so two runs cannot interleave. Refuses, changing
 * nothing, when an applied migration was changed or is missing from the set. `applied`
 * (may be NULL) receives how many were applied.
 */
rz_status rz_migrate_apply(rz_db *db, const rz_migration_set *set, rz_migration_fn fn, void *user,
                           size_t *applied, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_MIGRATE_H */
