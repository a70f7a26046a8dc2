/*
 * translit.h: Cyrillic-to-Latin transliteration under the standards that registers use,
 * as ICU transliterators (ICU's own where it has them, project rule sets otherwise).
 *
 * Scheme names (stable, used on the command line and stored with data):
 *   uk-kmu-2010   Ukrainian national system, KMU resolution 55 of 2010 (passports today)
 *   uk-passport-2007, uk-passport-1996, uk-bgn-pcgn
 *   ru-icao-9303 (Russian passports since 2013), ru-passport-2010, ru-passport-1997,
 *   ru-bgn-pcgn, ru-gost-7.79-b, ru-iso-9
 *   be-national (Belarus 2007 national system), be-bgn-pcgn, be-icao-9303 (Belarusian passports)
 */
#ifndef ROZSHUK_TRANSLIT_H
#define ROZSHUK_TRANSLIT_H

#include "rozshuk/rozshuk.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of built-in schemes, and the name, language ("uk", "ru", "be") and one-line title of
 * the i-th. Static strings; NULL for i out of range. */
size_t rz_translit_scheme_count(void);
const char *rz_translit_scheme_name(size_t i);
const char *rz_translit_scheme_lang(size_t i);
const char *rz_translit_scheme_title(size_t i);

typedef struct rz_translit rz_translit;

/*
 * Opens the transliterator for a scheme by name (RZ_ENOTFOUND for an unknown name).
 * Building an ICU transliterator from rules costs milliseconds: open once, reuse.
 * A handle is not safe for concurrent use from several threads. Free with rz_translit_close().
 */
rz_status rz_translit_open(const char *scheme, rz_translit **out, rz_error *err);

/* Closes a transliterator. Accepts NULL. */
void rz_translit_close(rz_translit *tr);

/* Longest text rz_translit_apply() accepts, in bytes of UTF-8. */
#define RZ_TRANSLIT_MAX_BYTES 65536

/*
 * Transliterates UTF-8 text (at most 64 KiB; RZ_ETOOLONG beyond, RZ_EUTF8 for invalid UTF-8).
 * Latin and other non-Cyrillic characters pass through unchanged. On success *out is a new
 * NUL-terminated UTF-8 string: free it with free().
 *
 * The result is in NFC. A capital whose rendering has several letters follows its word: ЩУКА
 * SHCHUKA, Щука Shchuka; a lone capital (an initial) is title case (Shch.) except under
 * uk-kmu-2010, whose reference vectors write it in capitals (SHCH.). Cyrillic letters outside
 * a scheme's standard (ы under a Ukrainian scheme, Serbian ђ) get the nearest rendering, so the
 * output holds no Cyrillic. U+FDD0 (a noncharacter, used internally) becomes U+FFFD.
 */
rz_status rz_translit_apply(rz_translit *tr, const char *text, char **out, rz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_TRANSLIT_H */
