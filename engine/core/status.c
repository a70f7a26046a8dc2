/* status.c: version, status names and descriptions, and the rz_error helpers. */
#include "rozshuk/rozshuk.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *rz_version(void)
{
    return RZ_VERSION_STRING;
}

const char *rz_status_name(rz_status status)
{
    switch (status) {
#define RZ__STATUS_NAME(code, name, text)                                                          \
    case code:                                                                                     \
        return name;
        RZ_STATUS_TABLE(RZ__STATUS_NAME)
#undef RZ__STATUS_NAME
    default:
        return "unknown";
    }
}

const char *rz_status_str(rz_status status)
{
    switch (status) {
#define RZ__STATUS_TEXT(code, name, text)                                                          \
    case code:                                                                                     \
        return text;
        RZ_STATUS_TABLE(RZ__STATUS_TEXT)
#undef RZ__STATUS_TEXT
    default:
        return "unknown status";
    }
}

void rz_error_clear(rz_error *err)
{
    if (err == NULL)
        return;
    err->status = RZ_OK;
    err->sqlstate[0] = '\0';
    err->message[0] = '\0';
}

rz_status rz_error_set(rz_error *err, rz_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    err->status = status;
    err->sqlstate[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}
