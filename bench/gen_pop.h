/*
 * gen_pop.h: the synthetic population (families of Ukrainian and Russian-speaking people)
 * and the rendering of one person as a record of one source, with the corruption model.
 * Used by bench/gen.c and tested in tests/unit/test_gen.c.
 */
#ifndef ROZSHUK_BENCH_GEN_POP_H
#define ROZSHUK_BENCH_GEN_POP_H

#include "gen_core.h"
#include "gen_romanize.h"

/* The corruption model: X(name, default rate, what it does). Rates are probabilities per
 * record, or per name part where the description says so. */
#define GEN_RATE_TABLE(X)                                                                          \
    X(russian_form, 0.10, "a Ukrainian source writes the Russian form of the name")                \
    X(ukrainian_form, 0.10, "a Russian source writes the Ukrainian form of the name")              \
    X(typo, 0.04, "a typing error, per name part")                                                 \
    X(ocr, 0.02, "an OCR confusion, per name part")                                                \
    X(homoglyph, 0.03, "Latin look-alike letters inside a Cyrillic name")                          \
    X(swap, 0.05, "given name first / surname and given name columns swapped")                     \
    X(no_patronymic, 0.15, "the patronymic left out where the source has one")                     \
    X(wrong_gender, 0.02, "a woman's surname written in the masculine form")                       \
    X(date_swap, 0.03, "birth date with day and month swapped")                                    \
    X(date_digit, 0.03, "birth date with one digit wrong")                                         \
    X(date_year, 0.05, "birth date with the year only")                                            \
    X(date_missing, 0.03, "birth date missing")                                                    \
    X(sex_missing, 0.05, "sex missing")                                                            \
    X(place_missing, 0.20, "place missing")                                                        \
    X(duplicate, 0.04, "a second record of the same person in the same source")

typedef enum gen_rate_id {
#define GEN__RATE_ENUM(name, def, text) GEN_RATE_##name,
    GEN_RATE_TABLE(GEN__RATE_ENUM)
#undef GEN__RATE_ENUM
        GEN__RATE_COUNT
} gen_rate_id;

const char *gen_rate_name(gen_rate_id id);
const char *gen_rate_text(gen_rate_id id);
double gen_rate_default(gen_rate_id id);
/* Looks a rate up by name; false if unknown. */
bool gen_rate_lookup(const char *name, gen_rate_id *out);

/* The reference tables (bench/data/). */
typedef struct gen_tables {
    gen_table surnames; /* uk, ru, weight */
    gen_table male;     /* uk, ru, uk_patr_m, uk_patr_f, ru_patr_m, ru_patr_f, weight */
    gen_table female;   /* uk, ru, weight */
    gen_table places;   /* uk, ru, weight */
} gen_tables;

rz_status gen_tables_load(const char *dir, gen_tables *t, rz_error *err);
void gen_tables_free(gen_tables *t);

typedef struct gen_person {
    uint64_t id;
    bool male;
    size_t surname, given, father; /* rows of surnames, male/female, male */
    gen_date birth;
    size_t birth_place, last_seen_place;
} gen_person;

/* Families: 1 to 4 people sharing a surname; siblings share the patronymic; a father's given
 * name is his children's patronymic; a wife takes the feminine form of the surname.
 * Fills out[0..*n) (at most 4) with consecutive ids from *next_id. */
void gen_family(gen_rng *r, const gen_tables *t, uint64_t *next_id, gen_person out[4], size_t *n);

typedef enum gen_lang { GEN_LANG_UK, GEN_LANG_RU, GEN_LANG_LATIN } gen_lang;
typedef enum gen_layout { GEN_LAYOUT_FULL, GEN_LAYOUT_PARTS } gen_layout;

/* A source: an agency's list and how it writes names, dates and sex. */
typedef struct gen_source {
    const char *name;   /* rozshuk source name, also the file name */
    const char *kind;   /* rozshuk record kind */
    const char *prefix; /* of its record ids */
    gen_lang lang;
    gen_layout layout;
    bool upper_surname, has_patronymic;
    gen_date_style date_style;
    const char *male, *female; /* how it writes the sex; NULL: no sex column */
    const char *place_column;  /* "last_seen_place", "place" */
    double coverage;           /* probability that a person is in this source */
} gen_source;

extern const gen_source gen_sources[];
extern const size_t gen_source_count;

/* The header line of a source's CSV file (no line break). */
void gen_source_header(const gen_source *s, char *out, size_t cap);

/* The names of a person in one language, before any corruption. */
typedef struct gen_names {
    char surname[GEN_TEXT_MAX], given[GEN_TEXT_MAX], patronymic[GEN_TEXT_MAX];
} gen_names;

bool gen_person_names(const gen_tables *t, const gen_person *p, bool russian, gen_names *out);

typedef struct gen_model {
    double rate[GEN__RATE_COUNT];
    gen_romanizer *romanizer;
} gen_model;

void gen_model_defaults(gen_model *m);

/*
 * Renders one record of person p in source s as a CSV line (no line break) into out,
 * with record id `record_id`, applying the corruption model.
 */
rz_status gen_render(gen_rng *r, const gen_model *m, const gen_tables *t, const gen_source *s,
                     const gen_person *p, const char *record_id, char *out, size_t cap,
                     rz_error *err);

/* A query for the search benchmark: the person's name as someone would type it (any script,
 * corrupted like a record) and the birth year or "". */
rz_status gen_query(gen_rng *r, const gen_model *m, const gen_tables *t, const gen_person *p,
                    char *name, size_t name_cap, char *born, size_t born_cap, rz_error *err);

#endif /* ROZSHUK_BENCH_GEN_POP_H */
