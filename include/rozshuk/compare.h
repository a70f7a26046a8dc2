/*
 * compare.h: comparing two person records field by field into comparison levels.
 *
 * A record to match (rz_match_record) holds what the model weighs: prepared names (from the
 * names engine), sex, birth date as a range with its precision, birth place and the place last
 * seen or found (prepared like names), identifiers with their checksum status, and the dates
 * last seen and found. rz_compare_records() turns a pair into one level per field
 * (rz_comparison); the model (model.h) turns levels into weights. Level 0 of every field means
 * "missing": one side or both have no value, which weighs nothing.
 *
 * Comparing allocates nothing and needs no ICU or database; safe from any number of threads.
 */
#ifndef ROZSHUK_COMPARE_H
#define ROZSHUK_COMPARE_H

#include "rozshuk/names.h"
#include "rozshuk/record.h"
#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The fields the model weighs, in the order of its tables and of the explain waterfall. */
typedef enum rz_match_field {
    RZ_MF_SURNAME,
    RZ_MF_GIVEN,
    RZ_MF_PATRONYMIC,
    RZ_MF_BIRTH,
    RZ_MF_SEX,
    RZ_MF_BIRTH_PLACE,
    RZ_MF_EVENT_PLACE, /* where last seen (missing persons) or found (remains) */
    RZ_MF_IDENTIFIER,
    RZ_MF_TIMELINE, /* last seen and found dates: remains cannot predate the last sighting */
    RZ__MF_COUNT
} rz_match_field;

#define RZ_LEVELS_MAX 10

/* Birth-date levels, from no evidence to the strongest agreement. */
typedef enum rz_birth_level {
    RZ_BIRTH_MISSING,
    RZ_BIRTH_FAR,        /* the ranges are apart */
    RZ_BIRTH_RANGE,      /* an imprecise date (decade, age, range) contains the other */
    RZ_BIRTH_YEAR,       /* full dates in the same year, month differs */
    RZ_BIRTH_IN_YEAR,    /* one record gives only the year, and the other falls in it */
    RZ_BIRTH_MONTH,      /* same month and year, day differs or unknown */
    RZ_BIRTH_ONE_DIGIT,  /* full dates one digit apart as YYYYMMDD (a typing error) */
    RZ_BIRTH_DM_SWAPPED, /* day and month swapped (03.04 vs 04.03) */
    RZ_BIRTH_EXACT       /* the same day */
} rz_birth_level;

typedef enum rz_sex_level { RZ_SEXL_MISSING, RZ_SEXL_DIFFERENT, RZ_SEXL_SAME } rz_sex_level;

typedef enum rz_place_level {
    RZ_PLACE_MISSING,
    RZ_PLACE_FAR,
    RZ_PLACE_CLOSE, /* settlement names within a typing error or sharing a word */
    RZ_PLACE_SAME   /* the same settlement, in any script or transliteration */
} rz_place_level;

typedef enum rz_id_level {
    RZ_IDL_MISSING,   /* no identifier of a kind both records have */
    RZ_IDL_CONFLICT,  /* same kind, both checksums valid, different: strong evidence against */
    RZ_IDL_DIFFERENT, /* same kind, different, at least one without a valid checksum */
    RZ_IDL_CLOSE,     /* same kind, one character apart after folding OCR confusions */
    RZ_IDL_SAME       /* the same identifier */
} rz_id_level;

typedef enum rz_timeline_level {
    RZ_TIME_MISSING,    /* not a missing-person/remains pair, or a date unknown */
    RZ_TIME_IMPOSSIBLE, /* the remains were found before the person was last seen alive */
    RZ_TIME_POSSIBLE
} rz_timeline_level;

/* Name of a field ("surname", "birth date", ...), a level's machine name ("exact",
 * "dm_swapped", ...) and an investigator's phrase for it; static strings. */
const char *rz_match_field_name(rz_match_field f);
int rz_match_field_levels(rz_match_field f); /* number of levels, missing included */
const char *rz_match_level_name(rz_match_field f, int level);
const char *rz_match_level_phrase(rz_match_field f, int level);

/* A place prepared for comparison: its settlement's skeleton (see rz_place_prepare). */
#define RZ_PLACE_KEY_MAX 128
typedef struct rz_place {
    char key[RZ_PLACE_KEY_MAX]; /* "" when unknown */
} rz_place;

/*
 * Prepares a place as written ("м. Бахмут, Донецька обл.", "Bakhmut", "г. Артёмовск"): the
 * first word that is not a settlement-type word (місто, м., село, с., смт, г., пос., city,
 * oblast...) is taken as the settlement and prepared like a surname (clean form, skeleton),
 * so that Бахмут = Bakhmut = Бахмут. NULL or blank text gives an empty (unknown) place.
 * Errors as rz_name_from_parts (RZ_EUTF8, RZ_ETOOLONG); RZ_EEMPTY is not an error here.
 */
rz_status rz_place_prepare(const rz_name_ctx *ctx, const char *text, rz_place *out, rz_error *err);

#define RZ_RECORD_NAMES_MAX 4
#define RZ_RECORD_IDS_MAX   6

/*
 * A record as matching sees it. The caller owns it and the names, places and identifiers it
 * points to (a job holds a million of these: the places, shared by many records, and the
 * identifiers, which most records lack, live outside it).
 */
typedef struct rz_match_record {
    int64_t id;     /* person.id */
    int32_t source; /* source.id */
    rz_kind kind;
    rz_sex sex;
    rz_date_range birth;     /* precision RZ_PREC_NONE when unknown */
    rz_date_range last_seen; /* precision RZ_PREC_NONE when unknown */
    rz_date_range found;
    const rz_place *birth_place, *event_place; /* NULL when unknown */
    const rz_name *names[RZ_RECORD_NAMES_MAX];
    size_t nnames;
    const rz_identifier *ids; /* nids of them (at most RZ_RECORD_IDS_MAX) */
    size_t nids;
} rz_match_record;

/* Initialises an empty record (no names, no values). */
void rz_match_record_init(rz_match_record *r);

/*
 * Surname and given name in each other's columns ("Evgenij | MOSTEPANYUK", "Тетяна |
 * Решетова") are a common data-entry error. `name` is a record's name read from the columns
 * (surname, given, patronymic); when its given-name column holds no given name the dictionary
 * knows and its surname column does, returns the swapped reading (free with rz_name_free()),
 * to be compared as the record's second name; else NULL. Only such records pay for it.
 */
rz_name *rz_name_columns_swapped(const rz_name_ctx *ctx, const rz_name *name, const char *surname,
                                 const char *given, const char *patronymic);

/* The comparison of one pair: a level per field, the name comparison behind the name levels,
 * and the term keys the model's frequency adjustment looks up. */
typedef struct rz_comparison {
    int level[RZ__MF_COUNT];
    rz_name_comparison names; /* of the best-agreeing pair of names */
    size_t name_a, name_b;    /* which names of a and b those were */
    const char *surname_term; /* folded surname both share at exact/equivalent, else NULL */
    const char *given_term;   /* canonical given name both share, else NULL */
} rz_comparison;

/* Compares two records. Pointers in `out` point into a's names (valid while they live). */
void rz_compare_records(const rz_match_record *a, const rz_match_record *b, rz_comparison *out);

/* The single comparisons, for tests and for explain. */
rz_birth_level rz_compare_birth(const rz_date_range *a, const rz_date_range *b);
rz_sex_level rz_compare_sex(rz_sex a, rz_sex b);
/* NULL or an empty key is an unknown place. */
rz_place_level rz_compare_place(const rz_place *a, const rz_place *b);
rz_id_level rz_compare_identifiers(const rz_identifier *a, size_t na, const rz_identifier *b,
                                   size_t nb);
rz_timeline_level rz_compare_timeline(const rz_match_record *a, const rz_match_record *b);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_COMPARE_H */
