/*
 * record.h: the value types of a person record shared by loading, matching and search:
 * record kinds, sex, dates as ranges with a precision, identifiers.
 */
#ifndef ROZSHUK_RECORD_H
#define ROZSHUK_RECORD_H

#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rz_kind {
    RZ_KIND_MISSING, /* reported missing */
    RZ_KIND_REMAINS, /* unidentified remains */
    RZ_KIND_LIVING,  /* a living person who cannot identify themselves */
    RZ_KIND_LIST     /* an entry of a prisoner, hospital, evacuation or other list */
} rz_kind;

typedef enum rz_sex { RZ_SEX_UNKNOWN, RZ_SEX_MALE, RZ_SEX_FEMALE } rz_sex;

/* "missing", "remains", "living", "list"; and back (RZ_EINVAL for anything else). */
const char *rz_kind_name(rz_kind kind);
rz_status rz_kind_parse(const char *text, rz_kind *out);

/* How precisely a date was given. A range [from, to] always holds the possible days. */
typedef enum rz_date_precision {
    RZ_PREC_NONE,   /* unknown: no range */
    RZ_PREC_DAY,    /* 12.03.1985 */
    RZ_PREC_MONTH,  /* 03.1985 */
    RZ_PREC_YEAR,   /* 1985 */
    RZ_PREC_DECADE, /* 1980s */
    RZ_PREC_RANGE,  /* 1980-1985, ~1985 */
    RZ_PREC_AGE     /* from an age or age range at a reference date */
} rz_date_precision;

/* "day", "month", "year", "decade", "range", "age" (NULL for RZ_PREC_NONE); and back. */
const char *rz_date_precision_name(rz_date_precision p);
rz_status rz_date_precision_parse(const char *text, rz_date_precision *out);

/* A date as a range of days since 1970-01-01 (negative before), inclusive both ends. */
typedef struct rz_date_range {
    int32_t from, to;
    rz_date_precision precision;
    bool dm_ambiguous; /* day and month could be read either way (03/04/1985) */
} rz_date_range;

/* Day number of a proleptic Gregorian date; the date of a day number. No validation. */
int32_t rz_days_from_ymd(int year, int month, int day);
void rz_days_to_ymd(int32_t days, int *year, int *month, int *day);

/* Whether year/month/day is a real calendar date. */
bool rz_date_valid(int year, int month, int day);

/* Writes a day number as "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *rz_days_format(int32_t days, char *buf);

typedef enum rz_id_kind {
    RZ_ID_UNZR,     /* Ukrainian unique demographic register number YYYYMMDD-NNNNC */
    RZ_ID_RNOKPP,   /* Ukrainian taxpayer number, 10 digits with a check digit */
    RZ_ID_PASSPORT, /* passport series and number, normalised */
    RZ_ID_MILITARY, /* military ID number */
    RZ_ID_OTHER
} rz_id_kind;

/* "unzr", "rnokpp", "passport", "military_id", "other"; and back. */
const char *rz_id_kind_name(rz_id_kind kind);
rz_status rz_id_kind_parse(const char *text, rz_id_kind *out);

#define RZ_ID_VALUE_MAX 64

typedef struct rz_identifier {
    rz_id_kind kind;
    char value[RZ_ID_VALUE_MAX]; /* normalised: upper case, separators removed */
    int valid;                   /* 1 checksum valid, 0 checksum invalid, -1 no checksum */
} rz_identifier;

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_RECORD_H */
