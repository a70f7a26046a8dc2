/*
 * similarity.c: Jaro-Winkler and Damerau-Levenshtein (optimal string alignment) over code
 * points, and the same over byte-sized symbols for skeleton keys. Sources and limits are in
 * include/rozshuk/similarity.h. Both are written once as macros over the element type so the
 * code-point and the symbol versions cannot drift apart.
 */
#include "rozshuk/similarity.h"
#include "compare/similarity_impl.h"
#include "text/utf8.h"

#include <stdbool.h>
#include <string.h>

/* Jaro similarity: matches within the window, then half the out-of-order matches are
 * transpositions. O(na*nb) worst case; flags on the stack (RZ_SIMILARITY_MAX each). */
#define RZ__JARO_BODY(a, na, b, nb)                                                                \
    do {                                                                                           \
        if (na > RZ_SIMILARITY_MAX || nb > RZ_SIMILARITY_MAX)                                      \
            return -1.0;                                                                           \
        if (na == 0 && nb == 0)                                                                    \
            return 1.0;                                                                            \
        if (na == 0 || nb == 0)                                                                    \
            return 0.0;                                                                            \
        size_t longer = na > nb ? na : nb;                                                         \
        size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;                                       \
        bool am[RZ_SIMILARITY_MAX], bm[RZ_SIMILARITY_MAX];                                         \
        memset(am, 0, na);                                                                         \
        memset(bm, 0, nb);                                                                         \
        size_t matches = 0;                                                                        \
        for (size_t i = 0; i < na; i++) {                                                          \
            size_t lo = i > window ? i - window : 0;                                               \
            size_t hi = i + window + 1 < nb ? i + window + 1 : nb;                                 \
            for (size_t j = lo; j < hi; j++) {                                                     \
                if (!bm[j] && a[i] == b[j]) {                                                      \
                    am[i] = bm[j] = true;                                                          \
                    matches++;                                                                     \
                    break;                                                                         \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        if (matches == 0)                                                                          \
            return 0.0;                                                                            \
        size_t half_transpositions = 0, k = 0;                                                     \
        for (size_t i = 0; i < na; i++) {                                                          \
            if (!am[i])                                                                            \
                continue;                                                                          \
            while (!bm[k])                                                                         \
                k++;                                                                               \
            if (a[i] != b[k])                                                                      \
                half_transpositions++;                                                             \
            k++;                                                                                   \
        }                                                                                          \
        double m = (double)matches;                                                                \
        return (m / (double)na + m / (double)nb + (m - (double)(half_transpositions / 2)) / m) /   \
               3.0;                                                                                \
    } while (0)

/* Winkler's bonus: 0.1 per common prefix element, at most 4, when Jaro > 0.7. */
#define RZ__WINKLER(jaro, a, na, b, nb)                                                            \
    do {                                                                                           \
        double j_ = (jaro);                                                                        \
        if (j_ <= 0.7)                                                                             \
            return j_ < 0.0 ? -1.0 : j_;                                                           \
        size_t p_ = 0, lim_ = na < nb ? na : nb;                                                   \
        if (lim_ > 4)                                                                              \
            lim_ = 4;                                                                              \
        while (p_ < lim_ && a[p_] == b[p_])                                                        \
            p_++;                                                                                  \
        return j_ + (double)p_ * 0.1 * (1.0 - j_);                                                 \
    } while (0)

/* Optimal string alignment distance with three rolling rows on the stack. */
#define RZ__OSA_BODY(a, na, b, nb)                                                                 \
    do {                                                                                           \
        if (na > RZ_SIMILARITY_MAX || nb > RZ_SIMILARITY_MAX)                                      \
            return SIZE_MAX;                                                                       \
        size_t r0[RZ_SIMILARITY_MAX + 1], r1[RZ_SIMILARITY_MAX + 1], r2[RZ_SIMILARITY_MAX + 1];    \
        size_t *prev2 = r0, *prev = r1, *cur = r2;                                                 \
        for (size_t j = 0; j <= nb; j++)                                                           \
            prev[j] = j;                                                                           \
        for (size_t i = 1; i <= na; i++) {                                                         \
            cur[0] = i;                                                                            \
            for (size_t j = 1; j <= nb; j++) {                                                     \
                size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;                                        \
                size_t best = prev[j] + 1;                                                         \
                if (cur[j - 1] + 1 < best)                                                         \
                    best = cur[j - 1] + 1;                                                         \
                if (prev[j - 1] + cost < best)                                                     \
                    best = prev[j - 1] + cost;                                                     \
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&              \
                    prev2[j - 2] + 1 < best)                                                       \
                    best = prev2[j - 2] + 1;                                                       \
                cur[j] = best;                                                                     \
            }                                                                                      \
            size_t *t = prev2;                                                                     \
            prev2 = prev;                                                                          \
            prev = cur;                                                                            \
            cur = t;                                                                               \
        }                                                                                          \
        return prev[nb];                                                                           \
    } while (0)

double rz_jaro(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    RZ__JARO_BODY(a, na, b, nb);
}

double rz_jaro_winkler(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    RZ__WINKLER(rz_jaro(a, na, b, nb), a, na, b, nb);
}

size_t rz_damerau_levenshtein(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    RZ__OSA_BODY(a, na, b, nb);
}

/* The same Jaro for strings of at most 64 symbols, with the matched flags as bit masks: the
 * hot loop of name comparison (skeletons are short). Same results as RZ__JARO_BODY. */
static double jaro_sym_short(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    size_t longer = na > nb ? na : nb;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    uint64_t am = 0, bm = 0;
    size_t matches = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < nb ? i + window + 1 : nb;
        for (size_t j = lo; j < hi; j++) {
            if (!(bm >> j & 1) && a[i] == b[j]) {
                am |= (uint64_t)1 << i;
                bm |= (uint64_t)1 << j;
                matches++;
                break;
            }
        }
    }
    if (matches == 0)
        return 0.0;
    size_t half_transpositions = 0;
    uint64_t ra = am, rb = bm;
    while (ra) {
        int i = __builtin_ctzll(ra), j = __builtin_ctzll(rb);
        half_transpositions += a[i] != b[j];
        ra &= ra - 1;
        rb &= rb - 1;
    }
    double m = (double)matches;
    return (m / (double)na + m / (double)nb + (m - (double)(half_transpositions / 2)) / m) / 3.0;
}

static double jaro_sym(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    if (na > 0 && nb > 0 && na <= 64 && nb <= 64)
        return jaro_sym_short(a, na, b, nb);
    RZ__JARO_BODY(a, na, b, nb);
}

double rz__jaro_winkler_sym(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    RZ__WINKLER(jaro_sym(a, na, b, nb), a, na, b, nb);
}

size_t rz__damerau_levenshtein_sym(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    RZ__OSA_BODY(a, na, b, nb);
}

/* Decodes both UTF-8 arguments into code-point arrays. */
static rz_status decode_pair(const char *a, const char *b, uint32_t *ca, size_t *na, uint32_t *cb,
                             size_t *nb, rz_error *err)
{
    if (a == NULL || b == NULL)
        return rz_error_set(err, RZ_EINVAL, "similarity: NULL string");
    rz_status st = rz__utf8_decode(a, strlen(a), ca, RZ_SIMILARITY_MAX, na, err);
    if (st == RZ_OK)
        st = rz__utf8_decode(b, strlen(b), cb, RZ_SIMILARITY_MAX, nb, err);
    if (st == RZ_ETOOLONG)
        return rz_error_set(err, st, "similarity: string longer than %d characters",
                            RZ_SIMILARITY_MAX);
    return st;
}

rz_status rz_jaro_winkler_utf8(const char *a, const char *b, double *out, rz_error *err)
{
    uint32_t ca[RZ_SIMILARITY_MAX], cb[RZ_SIMILARITY_MAX];
    size_t na, nb;
    rz_status st = decode_pair(a, b, ca, &na, cb, &nb, err);
    if (st != RZ_OK)
        return st;
    *out = rz_jaro_winkler(ca, na, cb, nb);
    return RZ_OK;
}

rz_status rz_damerau_levenshtein_utf8(const char *a, const char *b, size_t *out, rz_error *err)
{
    uint32_t ca[RZ_SIMILARITY_MAX], cb[RZ_SIMILARITY_MAX];
    size_t na, nb;
    rz_status st = decode_pair(a, b, ca, &na, cb, &nb, err);
    if (st != RZ_OK)
        return st;
    *out = rz_damerau_levenshtein(ca, na, cb, nb);
    return RZ_OK;
}
