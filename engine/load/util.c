/* util.c: UTF-8 checks, word folding, and the byte buffer used by the loader. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

size_t rz__utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return len;
}

/* Decodes one code point of valid-or-not UTF-8; invalid bytes come back as themselves. */
static unsigned decode(const unsigned char *p, size_t len, size_t *used)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n == 1 || n > len || rz__utf8_check((const char *)p, n) != n) {
        *used = 1;
        return c;
    }
    unsigned cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | (p[k] & 0x3F);
    *used = n;
    return cp;
}

static size_t encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Lower case for ASCII and the Cyrillic letters of Ukrainian, Russian and Belarusian. */
static unsigned lower(unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp == 0x490)
        return 0x491;
    return cp;
}

static bool is_apostrophe(unsigned cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2BC || cp == '`' || cp == 0xB4 || cp == 0x2B9 ||
           cp == 0x2018;
}

static bool is_word_separator(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '.' || cp == ',' || cp == ':' || cp == '_' ||
           cp == '-' || cp == '/' || cp == '(' || cp == ')' || cp == '[' || cp == ']' ||
           cp == '"' || cp == 0xA0 || cp == 0xFEFF || cp == 0x2013 || cp == 0x2014 || cp == '\r' ||
           cp == '\n' || cp == ';' || cp == '*' || cp == 0xAB || cp == 0xBB;
}

bool rz__fold(const char *s, size_t len, char *out, size_t cap, bool words)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, i = 0;
    bool pending_space = false;
    while (i < len) {
        size_t used;
        unsigned cp = decode(p + i, len - i, &used);
        i += used;
        if (words && is_word_separator(cp)) {
            pending_space = o > 0;
            continue;
        }
        cp = is_apostrophe(cp) ? '\'' : lower(cp);
        char enc[4];
        size_t n = encode(cp, enc);
        if (o + n + (pending_space ? 1 : 0) + 1 > cap) {
            if (cap > 0)
                out[o < cap ? o : cap - 1] = '\0';
            return false;
        }
        if (pending_space)
            out[o++] = ' ';
        pending_space = false;
        memcpy(out + o, enc, n);
        o += n;
    }
    if (cap == 0)
        return false;
    out[o] = '\0';
    return true;
}

int32_t rz__today(void)
{
    time_t now = time(NULL);
    return (int32_t)(now / 86400);
}

bool rz__buf_reserve(rz__buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (d == NULL)
        return false;
    b->data = d;
    b->cap = cap;
    return true;
}

bool rz__buf_add(rz__buf *b, const char *s, size_t len)
{
    if (!rz__buf_reserve(b, len))
        return false;
    if (len > 0)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool rz__buf_adds(rz__buf *b, const char *s)
{
    return rz__buf_add(b, s, strlen(s));
}

bool rz__buf_addc(rz__buf *b, char c)
{
    return rz__buf_add(b, &c, 1);
}

void rz__buf_free(rz__buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool rz__buf_copy_field(rz__buf *b, const char *value, size_t len, char end)
{
    size_t need = rz_copy_escape(NULL, 0, value, len);
    if (!rz__buf_reserve(b, need + 1))
        return false;
    rz_copy_escape(b->data + b->len, need, value, len);
    b->len += need;
    b->data[b->len++] = end;
    b->data[b->len] = '\0';
    return true;
}

bool rz__buf_json_string(rz__buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (!rz__buf_addc(b, '"'))
        return false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (n > len - i || rz__utf8_check(s + i, n) != n) {
                if (!rz__buf_add(b, "\xEF\xBF\xBD", 3))
                    return false;
                i++;
                continue;
            }
            if (!rz__buf_add(b, s + i, n))
                return false;
            i += n;
            continue;
        }
        bool ok = true;
        if (c == '"')
            ok = rz__buf_add(b, "\\\"", 2);
        else if (c == '\\')
            ok = rz__buf_add(b, "\\\\", 2);
        else if (c == '\n')
            ok = rz__buf_add(b, "\\n", 2);
        else if (c == '\r')
            ok = rz__buf_add(b, "\\r", 2);
        else if (c == '\t')
            ok = rz__buf_add(b, "\\t", 2);
        else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ok = rz__buf_add(b, u, 6);
        } else
            ok = rz__buf_addc(b, (char)c);
        if (!ok)
            return false;
        i++;
    }
    return rz__buf_addc(b, '"');
}
