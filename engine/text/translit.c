/*
 * translit.c: rz_translit_*: the schemes of translit_rules.c as ICU transliterators.
 *
 * Pipeline of rz_translit_apply():
 *   1. strict UTF-8 check (overlongs, surrogates and values past U+10FFFF are errors);
 *   2. one ICU transliterator per scheme, built from generated rules: NFC, the scheme's
 *      table, its apostrophe rule, then ICU's generic Cyrillic-Latin for Cyrillic letters no
 *      table covers (Serbian ђ, Kazakh ә, ...);
 *   3. capitals: a capital whose rendering has several letters (Щ) comes out in title case
 *      followed by the private marker U+FDD0; a pass in C then chooses SHCH or Shch from the
 *      neighbouring letters (see enum rz__translit_case) and drops the markers. ICU rules
 *      could only see the letters after the capital in the source, not both neighbours;
 *   4. NFC again (combining accents on the Latin letters compose: Є́ -> Yé), then UTF-8.
 * Cost: linear in the input; building a transliterator from rules takes milliseconds, which
 * is why handles are opened once and reused.
 */
#include "rozshuk/translit.h"

#include "translit_rules.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define CASE_MARK 0xFDD0 /* a noncharacter: never kept in the output */

struct rz_translit {
    const struct rz__translit_scheme *scheme;
    UTransliterator *icu;
    UChar *work; /* reused between calls: the text being transliterated */
    int32_t work_cap;
    UChar *norm; /* reused: the NFC result */
    int32_t norm_cap;
};

/* ------------------------------------------------------------------ scheme list */

size_t rz_translit_scheme_count(void)
{
    return rz__translit_scheme_total;
}

const char *rz_translit_scheme_name(size_t i)
{
    return i < rz__translit_scheme_total ? rz__translit_schemes[i].name : NULL;
}

const char *rz_translit_scheme_lang(size_t i)
{
    return i < rz__translit_scheme_total ? rz__translit_schemes[i].lang : NULL;
}

const char *rz_translit_scheme_title(size_t i)
{
    return i < rz__translit_scheme_total ? rz__translit_schemes[i].title : NULL;
}

/* ------------------------------------------------------------------ UTF-8 */

/*
 * Decodes one code point of well-formed UTF-8 at s[*i] (the caller has validated the text or
 * owns it, as for the rule tables) and advances *i.
 */
static UChar32 utf8_next(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *i += 2;
        return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *i += 3;
        return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *i += 4;
    return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/*
 * Checks that s[0..len) is well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most
 * U+10FFFF). Returns true, or false with the byte offset of the first bad sequence.
 */
static bool utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80, cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800, cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000, cp = c & 0x07u;
        } else {
            *bad_at = i;
            return false;
        }
        if (len - i <= n) {
            *bad_at = i;
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                *bad_at = i;
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad_at = i;
            return false;
        }
        i += n + 1;
    }
    return true;
}

/* ------------------------------------------------------------------ rule generation */

/* A growing NUL-terminated UTF-8 buffer; `failed` latches an allocation failure. */
struct text {
    char *s;
    size_t len, cap;
    bool failed;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (p == NULL) {
            t->failed = true;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void text_str(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* Appends a code point as an ICU rule escape (\uXXXX or \UXXXXXXXX), safe in any position. */
static void text_escape(struct text *t, UChar32 c)
{
    static const char hex[] = "0123456789ABCDEF";
    char buf[10];
    int digits = c > 0xFFFF ? 8 : 4;
    buf[0] = '\\';
    buf[1] = c > 0xFFFF ? 'U' : 'u';
    for (int k = 0; k < digits; k++)
        buf[2 + k] = hex[((uint32_t)c >> (4 * (digits - 1 - k))) & 0xF];
    text_add(t, buf, (size_t)(2 + digits));
}

enum key_case { KEY_LOWER, KEY_FIRST_UPPER, KEY_ALL_UPPER };

/* Appends an entry's key in the given case; a "'" stands for the apostrophe set $apos. */
static void emit_key(struct text *t, const char *key, enum key_case kc)
{
    size_t i = 0;
    bool first = true;
    while (key[i] != '\0') {
        UChar32 c = utf8_next(key, &i);
        if (c == '\'') {
            text_str(t, "$apos ");
            continue;
        }
        if (kc == KEY_ALL_UPPER || (kc == KEY_FIRST_UPPER && first))
            c = u_toupper(c);
        first = false;
        text_escape(t, c);
    }
}

/* Number of Cyrillic letters in a key (apostrophes do not count). */
static size_t key_letters(const char *key)
{
    size_t i = 0, n = 0;
    while (key[i] != '\0')
        if (utf8_next(key, &i) != '\'')
            n++;
    return n;
}

/* Number of lowercase letters in an output (only they have a capital to choose). */
static size_t out_cased(const char *out)
{
    size_t i = 0, n = 0;
    while (out[i] != '\0')
        if (u_islower(utf8_next(out, &i)))
            n++;
    return n;
}

/*
 * Appends one rule "before [marks] { key } after > out ;". For a capitalised key the output is
 * in title case, followed by the case marker when it has more than one letter.
 */
static void emit_rule(struct text *t, const struct rz__translit_entry *e, enum key_case kc)
{
    if (e->before != NULL) {
        text_str(t, e->before);
        text_str(t, " [\\uFDD0]* { ");
    }
    emit_key(t, e->key, kc);
    if (e->after != NULL) {
        text_str(t, " } ");
        text_str(t, e->after);
    }
    text_str(t, " > ");
    size_t i = 0;
    bool titled = false;
    while (e->out[i] != '\0') {
        UChar32 c = utf8_next(e->out, &i);
        if (kc != KEY_LOWER && !titled && u_islower(c)) {
            c = u_toupper(c);
            titled = true;
        }
        text_escape(t, c);
    }
    if (kc != KEY_LOWER && out_cased(e->out) >= 2)
        text_escape(t, CASE_MARK);
    text_str(t, " ;\n");
}

/* Appends the lowercase rule of an entry and its capitalised forms (Щ; Ль and ЛЬ for ль). */
static void emit_entry(struct text *t, const struct rz__translit_entry *e)
{
    emit_rule(t, e, KEY_LOWER);
    emit_rule(t, e, KEY_FIRST_UPPER);
    if (key_letters(e->key) > 1)
        emit_rule(t, e, KEY_ALL_UPPER);
}

/* Builds the full ICU rule text of a scheme into `t`. */
static void build_rules(struct text *t, const struct rz__translit_scheme *sc)
{
    text_str(t, "::NFC;\n$apos = [\\u0027\\u2019\\u02BC];\n");
    text_str(t, sc->variables);
    for (size_t k = 0; k < RZ__TRANSLIT_MAX_TABLES; k++)
        for (size_t i = 0; i < sc->tables[k].count; i++)
            emit_entry(t, &sc->tables[k].entries[i]);
    text_str(t, sc->apostrophe_rules);
    text_str(t, "::[:Cyrillic:] Cyrillic-Latin;\n");
}

/* ------------------------------------------------------------------ open and close */

static const struct rz__translit_scheme *find_scheme(const char *name)
{
    for (size_t i = 0; i < rz__translit_scheme_total; i++)
        if (strcmp(rz__translit_schemes[i].name, name) == 0)
            return &rz__translit_schemes[i];
    return NULL;
}

/* Compiles a scheme's rules with ICU. */
static rz_status compile(const struct rz__translit_scheme *sc, UTransliterator **out, rz_error *err)
{
    struct text t = {0};
    UChar *rules = NULL;
    UChar id[64];
    rz_status st = RZ_OK;
    build_rules(&t, sc);
    if (t.failed) {
        st = rz_error_set(err, RZ_ENOMEM, "out of memory building the rules of %s", sc->name);
        goto done;
    }
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, t.s, (int32_t)t.len, &uerr);
    uerr = U_ZERO_ERROR;
    rules = malloc(((size_t)n + 1) * sizeof *rules);
    if (rules == NULL) {
        st = rz_error_set(err, RZ_ENOMEM, "out of memory building the rules of %s", sc->name);
        goto done;
    }
    u_strFromUTF8(rules, n + 1, NULL, t.s, (int32_t)t.len, &uerr);
    char id_utf8[64];
    snprintf(id_utf8, sizeof id_utf8, "rozshuk-%s", sc->name);
    u_uastrncpy(id, id_utf8, 63);
    id[63] = 0;
    UParseError pe;
    *out = utrans_openU(id, -1, UTRANS_FORWARD, rules, n, &pe, &uerr);
    if (U_FAILURE(uerr)) {
        *out = NULL;
        st = rz_error_set(err, RZ_EICU, "the rules of scheme %s do not compile: %s at line %d",
                          sc->name, u_errorName(uerr), (int)pe.line);
    }
done:
    free(rules);
    free(t.s);
    return st;
}

rz_status rz_translit_open(const char *scheme, rz_translit **out, rz_error *err)
{
    if (scheme == NULL || out == NULL)
        return rz_error_set(err, RZ_EINVAL, "rz_translit_open: scheme and out are required");
    *out = NULL;
    const struct rz__translit_scheme *sc = find_scheme(scheme);
    if (sc == NULL)
        return rz_error_set(err, RZ_ENOTFOUND,
                            "unknown transliteration scheme '%s' (see 'rozshuk translit --list')",
                            scheme);
    rz_translit *tr = calloc(1, sizeof *tr);
    if (tr == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening scheme %s", scheme);
    tr->scheme = sc;
    rz_status st = compile(sc, &tr->icu, err);
    if (st != RZ_OK) {
        free(tr);
        return st;
    }
    *out = tr;
    return RZ_OK;
}

void rz_translit_close(rz_translit *tr)
{
    if (tr == NULL)
        return;
    if (tr->icu != NULL)
        utrans_close(tr->icu);
    free(tr->work);
    free(tr->norm);
    free(tr);
}

/* ------------------------------------------------------------------ apply */

static bool grow(UChar **buf, int32_t *cap, int32_t need)
{
    if (need <= *cap)
        return true;
    UChar *p = realloc(*buf, (size_t)need * sizeof *p);
    if (p == NULL)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

static bool is_mark(UChar c)
{
    return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/*
 * Skipped when looking for the letter next to a capital: accents, the BGN dot, markers, and
 * the caseless renderings of the signs and the apostrophe (' ’ ” ʼ ` ʹ ʺ), so that ЮЛЬЕ
 * (YUL'YE) is seen as one word in capitals.
 */
static bool is_transparent(UChar c)
{
    switch (c) {
    case 0x0027:
    case 0x0060:
    case 0x00B7:
    case 0x02B9:
    case 0x02BA:
    case 0x02BC:
    case 0x2019:
    case 0x201D:
    case CASE_MARK:
        return true;
    default:
        return is_mark(c);
    }
}

/*
 * Step 3 of the pipeline: for each marker, upper-case the title-case rendering before it when
 * the scheme's case convention says so, and drop the marker. Works in place; returns the new
 * length. Renderings are Latin, so UTF-16 units are code points here; a surrogate simply
 * counts as "not a letter".
 */
static int32_t settle_case(UChar *s, int32_t n, enum rz__translit_case style)
{
    int32_t j = 0;
    for (int32_t i = 0; i < n; i++) {
        if (s[i] != CASE_MARK) {
            s[j++] = s[i];
            continue;
        }
        int32_t k = j; /* start of the rendering: back to its capital */
        while (k > 0 && !u_isupper(s[k - 1]) && (u_islower(s[k - 1]) || s[k - 1] == 0x00B7))
            k--;
        if (k > 0 && u_isupper(s[k - 1]))
            k--;
        int32_t nx = i + 1;
        while (nx < n && is_transparent(s[nx]))
            nx++;
        bool next_lower = nx < n && u_islower(s[nx]);
        bool next_upper = nx < n && u_isupper(s[nx]);
        bool upper;
        if (style == RZ__CASE_NEXT_LOWER) {
            upper = !next_lower;
        } else {
            int32_t pv = k - 1;
            while (pv >= 0 && is_transparent(s[pv]))
                pv--;
            upper = next_upper || (pv >= 0 && u_isupper(s[pv]));
        }
        if (upper)
            for (int32_t m = k; m < j; m++)
                s[m] = (UChar)u_toupper(s[m]);
    }
    return j;
}

/* Converts validated UTF-8 into tr->work (capacity for the longest rendering). */
static rz_status load_text(rz_translit *tr, const char *text, int32_t bytes, int32_t *len,
                           rz_error *err)
{
    UErrorCode uerr = U_ZERO_ERROR;
    /* Every UTF-16 unit renders as at most 5 (Щ -> Shch + marker); 8x leaves room for NFC. */
    if (!grow(&tr->work, &tr->work_cap, bytes * 8 + 16))
        return rz_error_set(err, RZ_ENOMEM, "out of memory transliterating %d bytes", bytes);
    u_strFromUTF8(tr->work, tr->work_cap, len, text, bytes, &uerr);
    if (U_FAILURE(uerr))
        return rz_error_set(err, RZ_EUTF8, "invalid UTF-8 (%s)", u_errorName(uerr));
    for (int32_t i = 0; i < *len; i++)
        if (tr->work[i] == CASE_MARK) /* the marker is ours: a stray one in the input goes */
            tr->work[i] = 0xFFFD;
    return RZ_OK;
}

/* NFC of tr->work[0..len) into tr->norm, then UTF-8 into a new string. */
static rz_status finish(rz_translit *tr, int32_t len, char **out, rz_error *err)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&uerr);
    if (U_FAILURE(uerr))
        return rz_error_set(err, RZ_EICU, "ICU NFC unavailable: %s", u_errorName(uerr));
    if (!grow(&tr->norm, &tr->norm_cap, len * 3 + 16))
        return rz_error_set(err, RZ_ENOMEM, "out of memory normalising the rendering");
    int32_t n = unorm2_normalize(nfc, tr->work, len, tr->norm, tr->norm_cap, &uerr);
    if (U_FAILURE(uerr))
        return rz_error_set(err, RZ_EICU, "NFC failed: %s", u_errorName(uerr));
    int32_t bytes = 0;
    uerr = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &bytes, tr->norm, n, &uerr);
    char *s = malloc((size_t)bytes + 1);
    if (s == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for the rendering");
    uerr = U_ZERO_ERROR;
    u_strToUTF8(s, bytes + 1, NULL, tr->norm, n, &uerr);
    if (U_FAILURE(uerr)) {
        free(s);
        return rz_error_set(err, RZ_EICU, "UTF-8 conversion failed: %s", u_errorName(uerr));
    }
    *out = s;
    return RZ_OK;
}

rz_status rz_translit_apply(rz_translit *tr, const char *text, char **out, rz_error *err)
{
    if (tr == NULL || text == NULL || out == NULL)
        return rz_error_set(err, RZ_EINVAL, "rz_translit_apply: tr, text and out are required");
    *out = NULL;
    size_t bytes = strlen(text);
    if (bytes > RZ_TRANSLIT_MAX_BYTES)
        return rz_error_set(err, RZ_ETOOLONG,
                            "text of %zu bytes is longer than the %d-byte limit of "
                            "transliteration",
                            bytes, RZ_TRANSLIT_MAX_BYTES);
    size_t bad_at = 0;
    if (!utf8_valid(text, bytes, &bad_at))
        return rz_error_set(err, RZ_EUTF8, "invalid UTF-8 at byte %zu (0x%02X)", bad_at + 1,
                            (unsigned)(unsigned char)text[bad_at]);
    int32_t len = 0;
    rz_status st = load_text(tr, text, (int32_t)bytes, &len, err);
    if (st != RZ_OK)
        return st;
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t limit = len;
    utrans_transUChars(tr->icu, tr->work, &len, tr->work_cap, 0, &limit, &uerr);
    if (U_FAILURE(uerr))
        return rz_error_set(err, RZ_EICU, "transliteration failed: %s", u_errorName(uerr));
    len = settle_case(tr->work, len, tr->scheme->case_style);
    return finish(tr, len, out, err);
}
