/* names_internal.h: what the files of engine/names/ share: the dictionary context and the
 * layout of a prepared name. */
#ifndef RZ_NAMES_INTERNAL_H
#define RZ_NAMES_INTERNAL_H

#include "names/skeleton.h"
#include "rozshuk/names.h"

#include <stdbool.h>
#include <stdint.h>

/* One given name of the dictionary. */
typedef struct rz__given {
    const char *canonical; /* KMU 2010 spelling of the Ukrainian form: "oleksandr" */
    char sex;              /* 'm' or 'f' */
    int32_t other_sex;     /* the same name's form for the other sex (ivan/ivanna), or -1 */
} rz__given;

/* A hash-table slot: (kind, skeleton) -> given name. */
typedef struct rz__dict_slot {
    uint32_t hash;
    int32_t given; /* -1: empty */
    uint8_t kind;
    uint8_t len;
    uint8_t prio;
    uint8_t key[RZ__SKEL_MAX];
} rz__dict_slot;

enum { RZ__DICT_FORM = 1, RZ__DICT_DIMINUTIVE = 2, RZ__DICT_STEM = 3 };

/* A slot of the table of forms with one sound left out: (hash of the shortened skeleton) ->
 * given name. Only the hash is kept (8 bytes a slot, about 9,000 keys): a collision can only
 * make two names that are far apart look like a typing error of each other when their
 * hashes collide too, 1 in 4 billion. */
typedef struct rz__dict_near {
    uint32_t hash;
    int32_t given; /* -1: empty */
} rz__dict_near;

struct rz_name_ctx {
    char *text; /* the dictionary text, split in place */
    rz__given *given;
    size_t ngiven;
    rz__dict_slot *slots;
    size_t nslots; /* a power of two, at least twice the keys (dict.c grows it) */
    rz__dict_near *near;
    size_t nnear, near_used; /* nnear a power of two, at least twice near_used */
    bool oom;                /* an allocation failed while opening */
};

/* Looks up a skeleton of the given kind; returns the given-name number or -1. */
int32_t rz__dict_find(const rz_name_ctx *ctx, int kind, const uint8_t *key, size_t len);

/* The given names one typing error away from a skeleton that is no form of the dictionary:
 * a form with one sound added, left out, replaced or two swapped (Aleksndr, Irna, Oksnaa ->
 * Олександр, Ірина, Оксана). Writes up to `cap` distinct names; returns how many. */
size_t rz__dict_near_names(const rz_name_ctx *ctx, const uint8_t *key, size_t len, int32_t *out,
                           size_t cap);

#define RZ__NEAR_MAX 2 /* given names kept per prepared name for a typing error */

/* One part of a prepared name. Strings and skeletons live in the name's own allocation. */
typedef struct rz__part {
    const char *written, *clean, *skeleton_text, *folded_text;
    size_t clean_len; /* bytes */
    const uint8_t *skel[RZ__SKEL_VARIANTS];
    uint8_t skel_len[RZ__SKEL_VARIANTS];
    uint8_t nskel;
    const uint32_t *clean_cp; /* the clean form as code points (NULL when very long) */
    uint8_t clean_ncp;
    const uint8_t *folded; /* surname only: the primary skeleton with its gender folded */
    uint8_t folded_len;
    rz_script script;
    int32_t canon;       /* given: dictionary entry; patronymic: its base name; else -1 */
    bool via_diminutive; /* the canonical came from a diminutive */
    bool initial;        /* only an initial: "О." */
    bool plain_latin;    /* Latin that may be ISO 9 without diacritics (rz__latin_may_be_plain) */
    bool hyphen, space;  /* the clean form has a hyphen (a double surname) / several words */
    char sex;            /* patronymic: 'm' (-ович) or 'f' (-івна); else 0 */
    bool present;
} rz__part;

/* The other surname of a person (maiden or former: "Іваненко (дів. Петренко)"), prepared as a
 * fourth part after the three public ones. */
#define RZ__PART_OTHER RZ__PART_COUNT
#define RZ__PARTS      (RZ__PART_COUNT + 1)

struct rz_name {
    const rz_name_ctx *ctx;
    rz__part part[RZ__PART_COUNT];
    const rz__part *other; /* the other surname, in the name's allocation; NULL: none */
    const char *title; /* a rank or title set aside before the name ("ст. сержант"), or NULL */
    rz_lang lang;
    char sex_hint;
    /* the given name is no dictionary form but one typing error from these (-1: none) */
    int32_t given_near[RZ__NEAR_MAX];
    /* followed by the strings and skeletons */
};

/* Patronymic suffixes, in skeleton symbols: returns the stem length and sets *sex, or 0. */
size_t rz__patronymic_stem(const uint8_t *s, size_t len, char *sex);

#endif
