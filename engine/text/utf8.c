/* utf8.c: strict UTF-8 decoding (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
#include "text/utf8.h"

/* Decodes one code point at s[*i]; returns 0 and advances *i, or -1 on a bad sequence. */
static int next_cp(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
    unsigned char c = s[*i];
    size_t need;
    uint32_t v, min;
    if (c < 0x80) {
        if (c == 0)
            return -1;
        *cp = c;
        *i += 1;
        return 0;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, v = c & 0x07u, min = 0x10000;
    } else {
        return -1;
    }
    if (len - *i <= need)
        return -1;
    for (size_t k = 1; k <= need; k++) {
        unsigned char cc = s[*i + k];
        if ((cc & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (cc & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = v;
    *i += need + 1;
    return 0;
}

rz_status rz__utf8_decode(const char *s, size_t len, uint32_t *out, size_t cap, size_t *n,
                          rz_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k = 0;
    *n = 0;
    while (i < len) {
        uint32_t cp;
        size_t at = i;
        if (next_cp(u, len, &i, &cp) != 0)
            return rz_error_set(err, RZ_EUTF8, "invalid UTF-8 at byte %zu (0x%02x)", at, u[at]);
        if (k == cap)
            return rz_error_set(err, RZ_ETOOLONG, "longer than %zu characters", cap);
        out[k++] = cp;
    }
    *n = k;
    return RZ_OK;
}

int rz__utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t at = i;
        if (u[i] < 0x80 && u[i] != 0) {
            i++;
            continue;
        }
        if (next_cp(u, len, &i, &cp) != 0) {
            if (bad)
                *bad = at;
            return 0;
        }
    }
    return 1;
}

size_t rz__utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
