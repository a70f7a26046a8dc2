/*
 * translit_rules.h: the built-in transliteration schemes as data (translit_rules.c), turned
 * into ICU rules by translit.c. Internal to engine/text/.
 */
#ifndef RZ_TRANSLIT_RULES_H
#define RZ_TRANSLIT_RULES_H

#include <stddef.h>

/*
 * One mapping, written for lowercase Cyrillic: `key` (UTF-8; a "'" in it stands for any
 * apostrophe ' ’ ʼ) becomes `out` (lowercase Latin) when the text already produced before it
 * matches `before` and the source text after it matches `after` (ICU set syntax, NULL for
 * none). translit.c derives the capitalised forms. Entries are tried in table order, so
 * contextual entries come before the plain one for the same key.
 */
struct rz__translit_entry {
    const char *before;
    const char *key;
    const char *after;
    const char *out;
};

/* How the case of a capital with a multi-letter rendering (Щ: SHCH or Shch) is chosen. */
enum rz__translit_case {
    /* Title case only when the next letter is lowercase (ЩУКА SHCHUKA, Щука Shchuka, a lone
     * Щ SHCH): the convention of the uklatn reference vectors for KMU 55. */
    RZ__CASE_NEXT_LOWER,
    /* Capitals when a neighbouring letter is a capital, title case otherwise (a lone Щ
     * Shch): the convention of the interscript reference vectors. */
    RZ__CASE_NEIGHBOUR_UPPER,
};

#define RZ__TRANSLIT_MAX_TABLES 4

struct rz__translit_table {
    const struct rz__translit_entry *entries;
    size_t count;
};

struct rz__translit_scheme {
    const char *name;
    const char *lang;
    const char *title;
    /* ICU variable definitions used by the entries' contexts (e.g. "$W = [[:L:][:M:]];"). */
    const char *variables;
    /* Raw ICU rules placed after the tables: what an apostrophe between letters becomes (after
     * the tables, so that a table's own apostrophe keys, like be-national's 'я, come first). */
    const char *apostrophe_rules;
    enum rz__translit_case case_style;
    struct rz__translit_table tables[RZ__TRANSLIT_MAX_TABLES];
};

extern const struct rz__translit_scheme rz__translit_schemes[];
extern const size_t rz__translit_scheme_total;

#endif
