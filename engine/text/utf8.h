/* utf8.h: strict UTF-8 decoding and encoding (no ICU; usable from every module). */
#ifndef RZ_TEXT_UTF8_H
#define RZ_TEXT_UTF8_H

#include "rozshuk/rozshuk.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes `len` bytes of UTF-8 into at most `cap` code points. Rejects overlong forms,
 * surrogates, code points past U+10FFFF, truncated sequences and NUL bytes (RZ_EUTF8, with the
 * byte offset in the message), and more than `cap` code points (RZ_ETOOLONG).
 */
rz_status rz__utf8_decode(const char *s, size_t len, uint32_t *out, size_t cap, size_t *n,
                          rz_error *err);

/* Checks that `len` bytes are valid UTF-8 as above; *bad is the offset of the first bad byte. */
int rz__utf8_valid(const char *s, size_t len, size_t *bad);

/* Encodes one code point (must be valid) into `out` (4 bytes room); returns the byte count. */
size_t rz__utf8_encode(uint32_t cp, char *out);

#endif
