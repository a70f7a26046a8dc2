/*
 * fuzz_util.h: helpers shared by the libFuzzer targets of tests/fuzz/ (see docs/FUZZING.md).
 * Each target's input is raw bytes; these turn it into NUL-terminated strings the engine's
 * entry points take.
 */
#ifndef RZ_FUZZ_UTIL_H
#define RZ_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data[0..size) with a NUL after it (exactly size+1 bytes, so ASan sees
 * any read past the end). NULL when out of memory. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s != NULL) {
        if (size > 0)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* The next piece of `*data` up to a '\n' (not included) as a malloc'd string; advances. */
static inline char *fuzz_next_line(const uint8_t **data, size_t *size)
{
    const uint8_t *nl = *size ? memchr(*data, '\n', *size) : NULL;
    size_t n = nl ? (size_t)(nl - *data) : *size;
    char *s = fuzz_strndup(*data, n);
    *data += nl ? n + 1 : n;
    *size -= nl ? n + 1 : n;
    return s;
}

#endif
