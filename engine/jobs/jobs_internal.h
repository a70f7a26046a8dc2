/* jobs_internal.h: what the files of engine/jobs/ share. */
#ifndef RZ_JOBS_INTERNAL_H
#define RZ_JOBS_INTERNAL_H

#include "rozshuk/jobs.h"

/* A decimal count from a result value (NULL: 0). */
size_t rz__jobs_size(const char *s);

/* pg_notify(channel, payload). */
rz_status rz__jobs_notify(rz_db *db, const char *channel, const char *payload, rz_error *err);

#endif
