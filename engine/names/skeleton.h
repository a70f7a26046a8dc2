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

#include <stdbool.h>
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

/*
 * The plain skeleton, for Latin written without diacritics (ISO 9, GOST 7.79-A and Czech-style
 * spellings with š č ž ŝ stripped: Ševčenko -> Sevcenko, Žukov -> Zukov, Ščerbak -> Scerbak):
 * ш щ ч ж become с ц з (S C Z -> s c z) and s+c (šč stripped) becomes s. `out` may be `in`.
 */
void rz__skeleton_plain(const uint8_t *in, size_t n, rz__skel *out);

/*
 * Whether a clean Latin text could be such a stripped spelling: ASCII letters only, an s, c or
 * z in it, and none of the digraphs that show an English, Polish or Hungarian habit (sh ch zh
 * kh ts sz cz cs zs) or the glides of the passport systems (iu for ю, ya yu ye yo yi, where
 * ISO 9 writes â û ê ô ï and a stripped ISO 9 a u e o i): under those a lone s, c or z is с,
 * ц/к or з and nothing else.
 */
bool rz__latin_may_be_plain(const char *clean, size_t len);

/* Daitch-Mokotoff Soundex codes (6 digits each) of rendered ASCII, all branches, distinct;
 * returns how many (at most `cap`, 0 for no letters). */
size_t rz__dm_soundex(const char *ascii, char (*codes)[7], size_t cap);

#endif
