/*
 * translit_vectors.h: the authority test vectors in tests/data/translit/ (interscript and
 * uklatn, MIT, see the LICENSE files there; standards-tables.tsv, written for rozshuk from the
 * standards' tables), mapped to rozshuk's scheme names. Shared by
 * tests/unit/test_translit.c and bench/translit_vectors.c; plain C, no test framework.
 */
#ifndef RZ_TRANSLIT_VECTORS_H
#define RZ_TRANSLIT_VECTORS_H

#include <stddef.h>

typedef struct rzv_vector {
    const char *set;    /* "interscript", "standards" or "uklatn" */
    const char *system; /* the vector set's own system id, e.g. "ua-ukr-Cyrl-Latn-2010" */
    const char *scheme; /* our scheme name, or NULL when no scheme implements that system */
    char *source;
    char *expected;
} rzv_vector;

typedef struct rzv_list {
    rzv_vector *items;
    size_t count;
} rzv_list;

/*
 * Loads interscript-tests.tsv, standards-tables.tsv and uklatn-test_KMU_55.json from `dir`. Returns
 * 0, or -1 with a message in errbuf. Free with rzv_free().
 */
int rzv_load(const char *dir, rzv_list *out, char *errbuf, size_t cap);
void rzv_free(rzv_list *list);

/* The data directory: $ROZSHUK_SOURCE_ROOT/tests/data/translit, else the relative path. */
const char *rzv_default_dir(char *buf, size_t cap);

/* Our scheme for a vector set's system id, or NULL; for NULL, why in *why_unmapped. */
const char *rzv_scheme_for(const char *system, const char **why_unmapped);

/*
 * When a vector is wrong according to the standard it claims to follow, the reason; NULL
 * otherwise. Our rendering is expected to differ from such a vector.
 */
const char *rzv_known_wrong(const rzv_vector *v);

#endif
