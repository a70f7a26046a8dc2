/*
 * names.h: person names across scripts and transliteration standards: cleaning, parsing,
 * keys, given-name equivalence, and comparison. The heart of rozshuk.
 *
 * A name is prepared once (rz_name_parse / rz_name_from_parts) into everything the keys and
 * the comparison need; comparing two prepared names allocates nothing and needs no ICU.
 */
#ifndef ROZSHUK_NAMES_H
#define ROZSHUK_NAMES_H

#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on input: longer input is rejected with RZ_ETOOLONG, never truncated silently. */
#define RZ_NAME_TEXT_MAX   1000 /* bytes of UTF-8 in one name string or one part */
#define RZ_NAME_TOKENS_MAX 12   /* words in one full-name string */

/*
 * Version of the derived keys' format. Stored with every key; a change forces a re-key of
 * stored records instead of silent mismatches between old and new keys. History: 1 first
 * skeleton; 2 ISO 9/GOST (h, x, cz, â ê û), German z/s, French ou, Hungarian zs readings;
 * 3 the glide of я/ю/йо kept at the start of a word (Яна is not Анна); 4 sur_dm also from the
 * plain reading of Latin that may be ISO 9 without diacritics (Scerbak as Щербак).
 * 5 a digit inside a word read as the letter it looks like (К0ВАЛЕНКО as Коваленко);
 * 6 a word of two scripts repaired into the one that can hold all its letters (Iгop as Ігор);
 * 7 given_canon also for a given name one typing error from a dictionary form (Aleksndr).
 * 8 a rank before a full name set aside (солдат Шевченко Тарас); the keys of the other
 * surname (Іваненко (дів. Петренко)); sur_fold and sur_dm of each part of a double surname.
 */
#define RZ_KEY_VERSION 8

typedef enum rz_script {
    RZ_SCRIPT_NONE,
    RZ_SCRIPT_LATIN,
    RZ_SCRIPT_CYRILLIC,
    RZ_SCRIPT_MIXED,
    RZ_SCRIPT_OTHER
} rz_script;

typedef enum rz_lang {
    RZ_LANG_UNKNOWN,  /* nothing to tell */
    RZ_LANG_UK,       /* Ukrainian: і ї є ґ */
    RZ_LANG_RU,       /* Russian: ы э ъ ё */
    RZ_LANG_BE,       /* Belarusian: ў, or і with ы/э */
    RZ_LANG_CYRILLIC, /* Cyrillic, language not decidable from the letters */
    RZ_LANG_LATIN     /* Latin letters */
} rz_lang;

typedef enum rz_name_part {
    RZ_PART_SURNAME,
    RZ_PART_GIVEN,
    RZ_PART_PATRONYMIC,
    RZ__PART_COUNT
} rz_name_part;

/* Comparison levels, ordered from no evidence to the strongest agreement. */
typedef enum rz_level {
    RZ_LEVEL_MISSING,    /* one side or both have no value: no evidence either way */
    RZ_LEVEL_FAR,        /* different names */
    RZ_LEVEL_CLOSE,      /* likely the same name with a typing or OCR error */
    RZ_LEVEL_EQUIVALENT, /* the same name in another script, standard, language or form */
    RZ_LEVEL_EXACT       /* the same clean form */
} rz_level;

/* Short names: "script": "latin"...; "lang": "uk"...; "part": "surname"...; "level": "exact"... */
const char *rz_script_name(rz_script s);
const char *rz_lang_name(rz_lang l);
const char *rz_name_part_label(rz_name_part p);
const char *rz_level_name(rz_level l);

/*
 * Shared, read-only state of the names engine (dictionary, tables). Thread-safe once opened;
 * open one per process. Free with rz_name_ctx_close().
 */
typedef struct rz_name_ctx rz_name_ctx;
rz_status rz_name_ctx_open(rz_name_ctx **out, rz_error *err);
void rz_name_ctx_close(rz_name_ctx *ctx);

typedef struct rz_name rz_name;

/*
 * Prepares a name from one full-name string in any order and script: "КЛИМЕНКО Олександр
 * Іванович", "Klymenko, Oleksandr", "Oleksandr Klymenko". Errors: RZ_EUTF8, RZ_ETOOLONG,
 * RZ_EEMPTY (nothing name-like: empty, digits only, emoji), each with a message in `err`.
 * Free with rz_name_free().
 */
rz_status rz_name_parse(const rz_name_ctx *ctx, const char *text, rz_name **out, rz_error *err);

/* Prepares a name from separate fields; any may be NULL or "" (missing). Same errors. */
rz_status rz_name_from_parts(const rz_name_ctx *ctx, const char *surname, const char *given,
                             const char *patronymic, rz_name **out, rz_error *err);

/* Frees a prepared name. Accepts NULL. */
void rz_name_free(rz_name *name);

/* Per part, pointing into the name (valid until rz_name_free); NULL when the part is missing:
 * the part as written, its clean form, and its primary skeleton key. */
const char *rz_name_written(const rz_name *name, rz_name_part part);
const char *rz_name_clean(const rz_name *name, rz_name_part part);
const char *rz_name_skeleton(const rz_name *name, rz_name_part part);

/* Script of a part, and the language of the whole name as far as its letters tell. */
rz_script rz_name_script(const rz_name *name, rz_name_part part);
rz_lang rz_name_lang(const rz_name *name);

/* The canonical given name ("oleksandr" for Олександр/Александр/Oleksandr/Aleksandr/Саша), and
 * the canonical base name of the patronymic; NULL when not in the dictionary. */
const char *rz_name_given_canonical(const rz_name *name);
const char *rz_name_patronymic_canonical(const rz_name *name);

/* The surname's skeleton with its gendered ending folded (Клименко, Шевчук unchanged;
 * Петров/Петрова, Коваленко, Левицький/Левицька/Левицкий/Levytska fold together). */
const char *rz_name_surname_folded(const rz_name *name);

/* The other surname of the person (maiden or former), as written, NULL when none: a bracketed
 * surname, with or without a word that announces it ("Іваненко (Петренко) Ольга",
 * "Іваненко (дів. Петренко)", "Иваненко (урожд. Петренко)", "Ivanenko (nee Petrenko)"), from a
 * full name or a surname field. The surname's written form keeps it after the surname in
 * brackets ("Іваненко (Петренко)"), so that a name prepared again from its stored parts has it
 * too. Comparison counts agreement with either surname as agreement (rz_name_compare), and the
 * keys cover both. */
const char *rz_name_other_surname(const rz_name *name);

/* A military rank written before a full name and set aside from its parts ("солдат",
 * "ст. сержант", "Sgt."), as written; NULL when none. Only words of a closed list, only at the
 * start, and only when a word after them may still be the surname: "Майор Іван Петрович" is
 * the surname Майор, no rank. */
const char *rz_name_title(const rz_name *name);

/* Sex suggested by the name's grammar (feminine patronymic -івна/-овна, feminine given name,
 * feminine surname ending): 'm', 'f', or 0 when it does not tell. */
char rz_name_sex_hint(const rz_name *name);

/*
 * Blocking and search keys of a name, each with its kind ("sur_skel", "sur_dm", "given_canon",
 * ...), all of version RZ_KEY_VERSION. `fn` is called once per distinct (kind, key); the
 * strings are valid during the call only.
 */
typedef void (*rz_name_key_fn)(const char *kind, const char *key, void *user);
void rz_name_keys(const rz_name *name, rz_name_key_fn fn, void *user);

typedef struct rz_part_comparison {
    double score; /* similarity in [0,1]; 0 when missing */
    rz_level level;
    const char *reason; /* static English phrase: "same name in another transliteration" */
} rz_part_comparison;

typedef struct rz_name_comparison {
    double score;   /* overall similarity in [0,1] */
    rz_level level; /* overall verdict: never RZ_LEVEL_MISSING when both have a surname */
    bool swapped;   /* the best alignment swapped surname and given name */
    rz_part_comparison parts[RZ__PART_COUNT];
} rz_name_comparison;

/*
 * Compares two prepared names part by part, robust to swapped order and to a patronymic on
 * one side only. Allocates nothing; safe from any number of threads.
 */
void rz_name_compare(const rz_name *a, const rz_name *b, rz_name_comparison *out);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_NAMES_H */
