/*
 * text.h: the clean form of a name string (engine/text/clean.c, the only ICU user besides
 * transliteration): UTF-8 validation, NFC, case folding, apostrophe and dash folding,
 * punctuation and BGN-mark removal, tokens, homoglyph repair (also digits inside a word read as
 * the letter they look like: К0ВАЛЕНКО), script and language.
 */
#ifndef RZ_TEXT_TEXT_H
#define RZ_TEXT_TEXT_H

#include "rozshuk/names.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code points of a cleaned string: folding can lengthen text a little (ß -> ss). */
#define RZ__CLEAN_CP_MAX (2 * RZ_NAME_TEXT_MAX)

/* One word of a cleaned name. Hyphens and apostrophes inside a word stay in it. */
typedef struct rz__token {
    size_t start, len;         /* code points in rz__cleaned.cp */
    size_t raw_start, raw_len; /* the word as written (NFC, not folded) in rz__cleaned.raw */
    rz_script script;          /* after homoglyph repair */
    bool all_caps;             /* written in capitals (2 letters or more), e.g. KLYMENKO */
    bool comma_after;          /* a comma followed it: "Klymenko, Oleksandr" */
    bool abbreviated;          /* one letter, or one letter and a dot: an initial */
    bool dot_after;            /* a dot followed it: "ст." */
    bool in_parens;            /* inside ( ) or [ ]: "Іваненко (Петренко)" */
    unsigned repaired;         /* homoglyphs replaced in it */
} rz__token;

typedef struct rz__cleaned {
    uint32_t cp[RZ__CLEAN_CP_MAX];
    size_t ncp;
    uint32_t raw[RZ__CLEAN_CP_MAX];
    size_t nraw;
    rz__token tok[RZ_NAME_TOKENS_MAX];
    size_t ntok;
} rz__cleaned;

/*
 * Cleans `len` bytes of UTF-8. Errors (with a message in `err`): RZ_EUTF8, RZ_ETOOLONG
 * (more than RZ_NAME_TEXT_MAX bytes or RZ_NAME_TOKENS_MAX words), RZ_EEMPTY (no letters:
 * empty, digits only, symbols or emoji only), RZ_EICU.
 */
rz_status rz__text_clean(const char *text, size_t len, rz__cleaned *out, rz_error *err);

/* Language of cleaned (folded) Cyrillic/Latin letters, from the letters each alphabet has alone. */
rz_lang rz__text_lang(const uint32_t *cp, size_t n);

/* Whether a code point is a letter of the Cyrillic / Latin script (folded or not). */
bool rz__is_cyrillic(uint32_t c);
bool rz__is_latin(uint32_t c);

#endif
