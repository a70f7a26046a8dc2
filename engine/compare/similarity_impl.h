/* similarity_impl.h: the similarity functions over byte-sized symbols (skeleton keys), for
 * the names engine's hot loop. Same definitions and limits as include/rozshuk/similarity.h. */
#ifndef RZ_COMPARE_SIMILARITY_IMPL_H
#define RZ_COMPARE_SIMILARITY_IMPL_H

#include <stddef.h>
#include <stdint.h>

double rz__jaro_winkler_sym(const uint8_t *a, size_t na, const uint8_t *b, size_t nb);
size_t rz__damerau_levenshtein_sym(const uint8_t *a, size_t na, const uint8_t *b, size_t nb);

#endif
