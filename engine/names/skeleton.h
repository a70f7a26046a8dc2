/*
 * skeleton.h: the skeleton key of a word: a folded phonemic spelling in which the
 * transliteration standards and the spelling habits of other languages vanish.
 *
 * A skeleton is a string of one-byte symbols: a b v g d e z i k l m n o p r s t u f, plus
 * Z (ж), X (х), c (ц), C (ч), S (ш, щ) and ' ' between words. Rendered for keys and display
 * with zh, kh, ts, ch, sh. Latin spellings that are ambiguous (ch: English ч, German/Polish/
 * Czech х, French ш; x: кс or GOST х; c: ц or English k; Hungarian s/sz/cs/zs) give several
 * skeletons, the most likely first.
 */
#ifndef RZ_NAMES_SKELETON_H
#define RZ_NAMES_SKELETON_H

#include <stddef.h>
#include <stdint.h>

#define RZ__SKEL_MAX                                                                               \
    96                      /* symbols in one part's skeleton: the keys of a longer part cover     \
                              its first 96 sounds (its written and clean forms stay whole) */
#define RZ__SKEL_VARIANTS 6 /* skeletons kept per word and per part */

typedef struct rz__skel {
    uint8_t s[RZ__SKEL_MAX];
    uint8_t len;
} rz__skel;

/*
 * Skeletons of one word of folded code points (Cyrillic, Latin or mixed; other scripts give
 * an empty skeleton). Writes up to RZ__SKEL_VARIANTS distinct skeletons, the most likely
 * first; returns how many (at least 1).
 */
size_t rz__skeleton_word(const uint32_t *cp, size_t n, rz__skel *out);

/* Renders a skeleton as lowercase ASCII (zh kh ts ch sh); `out` needs 2*len+1 bytes. */
size_t rz__skeleton_render(const rz__skel *sk, char *out, size_t cap);

/* Folds the gendered ending of a surname skeleton in place (Петрова -> петров,
 * Левицька/Левицкая/Levytska -> левицьки). */
void rz__skeleton_fold_gender(rz__skel *sk);

/* Daitch-Mokotoff Soundex codes (6 digits each) of rendered ASCII, all branches, distinct;
 * returns how many (at most `cap`, 0 for no letters). */
size_t rz__dm_soundex(const char *ascii, char (*codes)[7], size_t cap);

#endif
