/*
 * rozshuk.h: the core of librozshuk's public API: version, status codes and error details.
 *
 * Every fallible call returns an rz_status (RZ_OK == 0). Details go into an optional,
 * caller-owned rz_error; pass NULL when the code is enough. The library never prints,
 * never exits and never aborts on bad input.
 */
#ifndef ROZSHUK_H
#define ROZSHUK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RZ_VERSION_MAJOR  0
#define RZ_VERSION_MINOR  1
#define RZ_VERSION_PATCH  0
#define RZ_VERSION_STRING "0.1.0"

/* The library's version as "MAJOR.MINOR.PATCH"; static storage, never freed. */
const char *rz_version(void);

/*
 * One table of status codes: X(enum name, short name, description).
 * It generates the enum, rz_status_name() and rz_status_str().
 */
#define RZ_STATUS_TABLE(X)                                                                         \
    X(RZ_OK, "ok", "success")                                                                      \
    X(RZ_ENOMEM, "nomem", "out of memory")                                                         \
    X(RZ_EINVAL, "inval", "invalid argument")                                                      \
    X(RZ_EUTF8, "utf8", "invalid UTF-8")                                                           \
    X(RZ_ETOOLONG, "toolong", "input longer than the documented limit")                            \
    X(RZ_EEMPTY, "empty", "empty input")                                                           \
    X(RZ_EPARSE, "parse", "input could not be parsed")                                             \
    X(RZ_ERANGE, "range", "value out of the plausible range")                                      \
    X(RZ_EIO, "io", "input/output error")                                                          \
    X(RZ_ENOTFOUND, "notfound", "not found")                                                       \
    X(RZ_EICU, "icu", "ICU error")                                                                 \
    X(RZ_EDBCONN, "dbconn", "cannot connect to the database")                                      \
    X(RZ_EDB, "db", "database error")                                                              \
    X(RZ_EMIGRATION, "migration", "migration state is inconsistent")                               \
    X(RZ_ECONFLICT, "conflict", "conflict with existing data")                                     \
    X(RZ_ECANCELLED, "cancelled", "cancelled")

typedef enum rz_status {
#define RZ__STATUS_ENUM(code, name, text) code,
    RZ_STATUS_TABLE(RZ__STATUS_ENUM)
#undef RZ__STATUS_ENUM
        RZ__STATUS_COUNT
} rz_status;

/* Short machine name of a status ("dbconn"); "unknown" for a value outside the table. */
const char *rz_status_name(rz_status status);

/* One-line English description of a status; "unknown status" outside the table. */
const char *rz_status_str(rz_status status);

#define RZ_ERROR_MESSAGE_MAX 1024

/*
 * Details of the last failure, owned by the caller (usually on its stack).
 * `sqlstate` is the five-character PostgreSQL code for database errors, else "".
 */
typedef struct rz_error {
    rz_status status;
    char sqlstate[6];
    char message[RZ_ERROR_MESSAGE_MAX];
} rz_error;

/* Resets an error to RZ_OK with empty message. Accepts NULL. */
void rz_error_clear(rz_error *err);

/*
 * Records a failure in `err` (if not NULL) with a printf-style message, and returns `status`
 * so that callers can write `return rz_error_set(err, RZ_EINVAL, "...")`.
 */
rz_status rz_error_set(rz_error *err, rz_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_H */
