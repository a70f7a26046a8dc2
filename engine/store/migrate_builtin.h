/* migrate_builtin.h: the table of migrations that tools/embed_sql.py generates. */
#ifndef RZ_MIGRATE_BUILTIN_H
#define RZ_MIGRATE_BUILTIN_H

#include <stddef.h>

struct rz__builtin_migration {
    const char *name;
    const char *sql;
};

extern const struct rz__builtin_migration rz__builtin_migrations[];
extern const size_t rz__builtin_migration_count;

#endif
