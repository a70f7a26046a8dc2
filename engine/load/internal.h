/*
 * internal.h: helpers shared by the files of engine/load/ (not public API).
 */
#ifndef RZ_LOAD_INTERNAL_H
#define RZ_LOAD_INTERNAL_H

#include "rozshuk/load.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Byte offset of the first invalid UTF-8 sequence in s[0..len), or len when all is valid.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
size_t rz__utf8_check(const char *s, size_t len);

/*
 * Folds `s` for matching words: ASCII and Cyrillic letters to lower case, the apostrophe
 * variants (’ ʼ ` ´ ʹ) to ', and (with `words`) every run of spaces, dots, commas, colons,
 * underscores, dashes, slashes and brackets to one space, trimmed. Writes at most cap-1 bytes
 * and a NUL; returns false when the result did not fit.
 */
bool rz__fold(const char *s, size_t len, char *out, size_t cap, bool words);

/* Today's day number from the clock (UTC). */
int32_t rz__today(void);

/* A growable byte buffer. */
typedef struct rz__buf {
    char *data;
    size_t len, cap;
} rz__buf;

bool rz__buf_reserve(rz__buf *b, size_t extra);
bool rz__buf_add(rz__buf *b, const char *s, size_t len);
bool rz__buf_adds(rz__buf *b, const char *s);
bool rz__buf_addc(rz__buf *b, char c);
void rz__buf_free(rz__buf *b);

/* Appends a value escaped for COPY text format (NULL for SQL NULL), then `end` ('\t' or
 * '\n'). */
bool rz__buf_copy_field(rz__buf *b, const char *value, size_t len, char end);

/* Appends `s` as a JSON string literal; invalid UTF-8 bytes become U+FFFD. */
bool rz__buf_json_string(rz__buf *b, const char *s, size_t len);

/*
 * One prepared name as the loader stores it: appends its line of the stage_name COPY text
 * (line, role, written, the parts as written, script, lang, the parts' keys, the canonical
 * given name, RZ_KEY_VERSION) to `names` and one line of stage_key (line, kind, key,
 * RZ_KEY_VERSION) per key to `keys`. `line` tags every line (the loader: the row's line in the
 * file; rekey: the name's id). False only when out of memory.
 */
bool rz__name_copy(rz__buf *names, rz__buf *keys, const char *line, const rz_name *n,
                   const char *role, const char *written);

#endif
