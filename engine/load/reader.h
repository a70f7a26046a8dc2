/*
 * reader.h: streaming readers for CSV (libcsv), TSV and JSON Lines (jansson), one row at a
 * time in constant memory (bounded by RZ_LOAD_ROW_MAX). Not public API.
 */
#ifndef RZ_LOAD_READER_H
#define RZ_LOAD_READER_H

#include "internal.h"

typedef struct rz__reader rz__reader;

typedef struct rz__row {
    uint64_t line;     /* first physical line of the row, from 1 */
    size_t n;          /* fields */
    char **values;     /* NUL-terminated; may contain NUL bytes before lens[i] (found later) */
    size_t *lens;      /* bytes of each value */
    char **names;      /* JSON Lines: the key of each value; NULL for CSV and TSV */
    char *compound;    /* JSON Lines: 1 where the value was an array or object (dumped as JSON) */
    const char *error; /* non-NULL: the row is malformed, this says why */
    const char *raw;   /* the row's text as read (up to RZ_LOAD_ROW_MAX bytes) */
    size_t raw_len;
} rz__row;

/* Opens a file; `format` must not be RZ_FORMAT_AUTO. `delimiter` 0 means sniff (CSV). */
rz_status rz__reader_open(const char *path, rz_load_format format, char delimiter, rz__reader **out,
                          rz_error *err);

/* The next row (valid until the next call): RZ_OK, RZ_ENOTFOUND at the end, RZ_EIO. */
rz_status rz__reader_next(rz__reader *r, rz__row **row, rz_error *err);

/* Bytes consumed so far, and the file size (0 when not a regular file). */
uint64_t rz__reader_offset(const rz__reader *r);
uint64_t rz__reader_size(const rz__reader *r);

/* The delimiter in use (CSV). */
char rz__reader_delimiter(const rz__reader *r);

/* The SHA-256 of the whole file as 64 lowercase hex digits and a NUL, once every row has been
 * read (rz__reader_next() gave RZ_ENOTFOUND); false before. Call it once. */
bool rz__reader_sha256(rz__reader *r, char hex[65]);

void rz__reader_close(rz__reader *r);

#endif
