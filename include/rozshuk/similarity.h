/*
 * similarity.h: string similarity over Unicode code points (never bytes): Jaro-Winkler and
 * Damerau-Levenshtein (optimal string alignment). Used for names and places.
 *
 * Limits: at most RZ_SIMILARITY_MAX code points per string. The code-point functions never
 * allocate; longer input is rejected (RZ_ETOOLONG from the UTF-8 wrappers, a documented
 * sentinel from the array functions) rather than silently truncated.
 */
#ifndef ROZSHUK_SIMILARITY_H
#define ROZSHUK_SIMILARITY_H

#include "rozshuk/rozshuk.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest string, in code points, that the similarity functions accept. */
#define RZ_SIMILARITY_MAX 256

/*
 * Jaro-Winkler similarity in [0,1] of two code-point arrays (Jaro 1989; Winkler 1990, "String
 * Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter Model of Record
 * Linkage"): match window max(|a|,|b|)/2 - 1, common-prefix bonus of 0.1 per code point for up
 * to 4 code points, applied when the Jaro similarity is above 0.7. The same definition as
 * jellyfish's jaro_winkler_similarity and Splink's. Two empty strings are 1.0, one empty 0.0.
 * O(|a|*|b|) time in the worst case, no allocation. Returns -1.0 when a length exceeds
 * RZ_SIMILARITY_MAX.
 */
double rz_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Jaro similarity without the Winkler prefix bonus; same limits. */
double rz_jaro(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/*
 * Damerau-Levenshtein distance in its optimal-string-alignment form (Damerau 1964; as in
 * PostgreSQL's fuzzystrmatch and most record-linkage tools): insertions, deletions,
 * substitutions and transpositions of two adjacent code points each cost 1, and no substring
 * is edited twice. O(|a|*|b|) time, O(|b|) stack memory, no allocation. Returns SIZE_MAX when
 * a length exceeds RZ_SIMILARITY_MAX.
 */
size_t rz_damerau_levenshtein(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/*
 * The same on UTF-8 strings (decoded to code points; no normalisation or case folding).
 * Errors: RZ_EINVAL for NULL, RZ_EUTF8 for invalid UTF-8, RZ_ETOOLONG past RZ_SIMILARITY_MAX
 * code points.
 */
rz_status rz_jaro_winkler_utf8(const char *a, const char *b, double *out, rz_error *err);
rz_status rz_damerau_levenshtein_utf8(const char *a, const char *b, size_t *out, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_SIMILARITY_H */
