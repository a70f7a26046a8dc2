/*
 * gen_romanize.h: how the generator writes a Cyrillic name in Latin letters. Pluggable so
 * that the generator can use the project's transliteration schemes (rz_translit_*) and fall
 * back to a small built-in table when they are not available.
 */
#ifndef ROZSHUK_BENCH_GEN_ROMANIZE_H
#define ROZSHUK_BENCH_GEN_ROMANIZE_H

#include "rozshuk/rozshuk.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct gen_romanizer gen_romanizer;

/* Opens every available scheme; `builtin` forces the built-in tables. Free with
 * gen_romanizer_close(). */
rz_status gen_romanizer_open(bool builtin, gen_romanizer **out, rz_error *err);
void gen_romanizer_close(gen_romanizer *g);

/* Number of schemes for a language ("uk" or "ru"), and the name of the i-th. */
size_t gen_romanizer_count(const gen_romanizer *g, bool russian);
const char *gen_romanizer_name(const gen_romanizer *g, bool russian, size_t i);

/* Writes `text` under the i-th scheme of the language into out (cap bytes). */
rz_status gen_romanizer_apply(gen_romanizer *g, bool russian, size_t i, const char *text, char *out,
                              size_t cap, rz_error *err);

/* The built-in fallback on its own: a letter table close to KMU 2010 (uk) or ICAO 9303
 * (ru), without the word-initial rules. */
bool gen_romanize_basic(const char *text, bool russian, char *out, size_t cap);

#endif /* ROZSHUK_BENCH_GEN_ROMANIZE_H */
