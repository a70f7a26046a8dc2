/*
 * clean.c: from a name as written to its clean form: validated UTF-8, NFC (ICU unorm2), words,
 * homoglyphs repaired, case folded (ICU u_strFoldCase), apostrophe variants folded to ',
 * dashes to -, punctuation and BGN marks removed. Also script and language detection.
 * This file and the transliteration schemes are the only code that includes ICU.
 */
#include "text/text.h"
#include "text/utf8.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* ' ’ ʼ ‘ ` ´ ʻ ′, the full-width apostrophe, and ” “ (BGN/PCGN 1965 writes the Ukrainian
 * apostrophe as ”): inside a word they are the apostrophe; elsewhere quotation marks. */
static bool is_apostrophe(uint32_t c)
{
    return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0x2018 || c == 0x60 || c == 0xB4 ||
           c == 0x02BB || c == 0x2032 || c == 0xFF07 || c == 0x201D || c == 0x201C;
}

/* BGN/PCGN marks for ь and ъ (ʹ ʺ) and the middle dot BGN uses to separate letters: dropped. */
static bool is_bgn_mark(uint32_t c)
{
    return c == 0x02B9 || c == 0x02BA || c == 0xB7 || c == 0x2033 || c == 0x22;
}

static bool is_dash(uint32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2014) || c == 0x2212 || c == 0xFE63 || c == 0xFF0D;
}

bool rz__is_cyrillic(uint32_t c)
{
    return (c >= 0x0400 && c <= 0x052F) || (c >= 0x1C80 && c <= 0x1C8F) ||
           (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F);
}

bool rz__is_latin(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c < 0x250)
        return c >= 0xC0 && c != 0xD7 && c != 0xF7;
    return (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
           (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xFF21 && c <= 0xFF5A);
}

/* Letters and the combining marks that belong to them (ICU general categories L* and M*). */
static bool is_letter(uint32_t c)
{
    int8_t t = u_charType((UChar32)c);
    return t == U_UPPERCASE_LETTER || t == U_LOWERCASE_LETTER || t == U_TITLECASE_LETTER ||
           t == U_MODIFIER_LETTER || t == U_OTHER_LETTER || t == U_NON_SPACING_MARK ||
           t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

/* Latin look-alikes of Cyrillic letters, as they are typed on a mixed keyboard layout. Upper
 * case pairs (B/В, H/Н, M/М, T/Т, K/К) only look alike in capitals, so this runs before
 * folding. Pairs: Latin, Cyrillic. */
static const uint32_t HOMOGLYPHS[][2] = {
    {'a', 0x430},  {'c', 0x441},  {'e', 0x435}, {'i', 0x456}, {'o', 0x43E},  {'p', 0x440},
    {'x', 0x445},  {'y', 0x443},  {'k', 0x43A}, {'A', 0x410}, {'B', 0x412},  {'C', 0x421},
    {'E', 0x415},  {'H', 0x41D},  {'I', 0x406}, {'K', 0x41A}, {'M', 0x41C},  {'O', 0x41E},
    {'P', 0x420},  {'T', 0x422},  {'X', 0x425}, {'Y', 0x423}, {0xEF, 0x457}, {0xCF, 0x407},
    {0xEB, 0x451}, {0xCB, 0x401}, {'j', 0x458}, {'J', 0x408}, {'S', 0x405},  {'s', 0x455},
};
#define N_HOMOGLYPHS (sizeof HOMOGLYPHS / sizeof HOMOGLYPHS[0])

/* The look-alike of `c` in the other script (to == 1: Latin -> Cyrillic), or 0. */
static uint32_t homoglyph(uint32_t c, int to_cyrillic)
{
    for (size_t i = 0; i < N_HOMOGLYPHS; i++)
        if (HOMOGLYPHS[i][to_cyrillic ? 0 : 1] == c)
            return HOMOGLYPHS[i][to_cyrillic ? 1 : 0];
    return 0;
}

static void count_scripts(const uint32_t *cp, size_t n, size_t *lat, size_t *cyr, size_t *other)
{
    for (size_t i = 0; i < n; i++) {
        if (rz__is_latin(cp[i]))
            (*lat)++;
        else if (rz__is_cyrillic(cp[i]))
            (*cyr)++;
        else if (is_letter(cp[i]) && u_charType((UChar32)cp[i]) != U_NON_SPACING_MARK)
            (*other)++;
    }
}

/* Whether every letter of the other script than `to_cyr` has a look-alike in it. */
static bool repairable(const uint32_t *w, size_t n, int to_cyr)
{
    for (size_t i = 0; i < n; i++) {
        bool minority = to_cyr ? rz__is_latin(w[i]) : rz__is_cyrillic(w[i]);
        if (minority && homoglyph(w[i], to_cyr) == 0)
            return false;
    }
    return true;
}

/* Repairs a word typed in two scripts when every letter of one script has a look-alike in
 * the other: into the script of most of its letters (a tie goes to the script of the whole
 * name), else into the other one when only that works (Iгop: г has no Latin look-alike, so
 * Ігор). Returns letters replaced. */
static unsigned repair_word(uint32_t *w, size_t n, int name_prefers_cyrillic)
{
    size_t lat = 0, cyr = 0, other = 0;
    count_scripts(w, n, &lat, &cyr, &other);
    if (lat == 0 || cyr == 0 || other > 0)
        return 0;
    int to_cyr = cyr > lat || (cyr == lat && name_prefers_cyrillic);
    if (!repairable(w, n, to_cyr))
        to_cyr = !to_cyr;
    if (!repairable(w, n, to_cyr))
        return 0; /* real letters of both scripts: leave the word alone */
    unsigned fixed = 0;
    for (size_t i = 0; i < n; i++) {
        bool minority = to_cyr ? rz__is_latin(w[i]) : rz__is_cyrillic(w[i]);
        if (minority) {
            w[i] = homoglyph(w[i], to_cyr);
            fixed++;
        }
    }
    return fixed;
}

static rz_script word_script(const uint32_t *w, size_t n)
{
    size_t lat = 0, cyr = 0, other = 0;
    count_scripts(w, n, &lat, &cyr, &other);
    if (other > 0 && lat == 0 && cyr == 0)
        return RZ_SCRIPT_OTHER;
    if ((lat > 0) + (cyr > 0) + (other > 0) > 1)
        return RZ_SCRIPT_MIXED;
    return lat > 0 ? RZ_SCRIPT_LATIN : cyr > 0 ? RZ_SCRIPT_CYRILLIC : RZ_SCRIPT_NONE;
}

/* Validates, converts to UTF-16 and normalises to NFC. */
static rz_status to_nfc(const char *text, size_t len, UChar *out, int32_t cap, int32_t *n,
                        rz_error *err)
{
    size_t bad = 0;
    if (!rz__utf8_valid(text, len, &bad))
        return rz_error_set(err, RZ_EUTF8, "invalid UTF-8 at byte %zu (0x%02x)", bad,
                            (unsigned)(unsigned char)text[bad]);
    UChar raw[RZ_NAME_TEXT_MAX + 1];
    int32_t nraw = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(raw, RZ_NAME_TEXT_MAX + 1, &nraw, text, (int32_t)len, &st);
    if (U_FAILURE(st))
        return rz_error_set(err, RZ_EICU, "cannot convert the name to UTF-16: %s", u_errorName(st));
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return rz_error_set(err, RZ_EICU, "ICU NFC data unavailable: %s", u_errorName(st));
    if (unorm2_isNormalized(nfc, raw, nraw, &st) && U_SUCCESS(st)) {
        memcpy(out, raw, (size_t)nraw * sizeof(UChar));
        *n = nraw;
        return RZ_OK;
    }
    st = U_ZERO_ERROR;
    *n = unorm2_normalize(nfc, raw, nraw, out, cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR)
        return rz_error_set(err, RZ_ETOOLONG, "name too long after normalisation");
    if (U_FAILURE(st))
        return rz_error_set(err, RZ_EICU, "NFC normalisation failed: %s", u_errorName(st));
    return RZ_OK;
}

/* Case-folds one word (full Unicode case folding) and appends it to out->cp. */
static rz_status fold_word(const uint32_t *w, size_t n, rz__cleaned *out, rz_error *err)
{
    UChar src[2 * RZ_NAME_TEXT_MAX], dst[3 * RZ_NAME_TEXT_MAX];
    int32_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        UBool bad = false;
        U16_APPEND((UChar *)src, ns, (int32_t)(2 * RZ_NAME_TEXT_MAX), (UChar32)w[i], bad);
        if (bad)
            return rz_error_set(err, RZ_ETOOLONG, "name too long");
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t nd = u_strFoldCase(dst, 3 * RZ_NAME_TEXT_MAX, src, ns, U_FOLD_CASE_DEFAULT, &st);
    if (U_FAILURE(st))
        return rz_error_set(err, RZ_EICU, "case folding failed: %s", u_errorName(st));
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        U16_NEXT(dst, i, nd, c);
        if (out->ncp == RZ__CLEAN_CP_MAX)
            return rz_error_set(err, RZ_ETOOLONG, "name too long after case folding");
        out->cp[out->ncp++] = (uint32_t)c;
    }
    return RZ_OK;
}

/*
 * Digits inside a word of letters. Registers typed by hand or read by OCR put a digit for the
 * letter it looks like: ВІН1ЧЕНКО, К0ЧКАРЬОВА, Любо8, K0VALENKO. No name has a digit in it, so
 * a single digit that touches a letter (not a number: its neighbours are not digits) is read
 * as part of the word: as its look-alike in the word's script, or, when that script has none,
 * as a stray keystroke and dropped. The look-alikes are those of printed and typed text:
 * 0 О/O, 1 І/I (and l in lower case Latin, where 1 and l share a shape), 3 З, 4 Ч, 5 S,
 * 6 б/b, 8 В/B. A number on its own ("Петренко 2", "1985") is still not part of the name.
 */
static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Whether cp[i] is a single digit that touches a letter. */
static bool digit_in_word(const uint32_t *cp, size_t n, size_t i)
{
    if (!is_digit(cp[i]))
        return false;
    bool prev_digit = i > 0 && is_digit(cp[i - 1]), next_digit = i + 1 < n && is_digit(cp[i + 1]);
    bool prev_letter = i > 0 && is_letter(cp[i - 1]) && !is_apostrophe(cp[i - 1]);
    bool next_letter = i + 1 < n && is_letter(cp[i + 1]) && !is_apostrophe(cp[i + 1]);
    return !prev_digit && !next_digit && (prev_letter || next_letter);
}

/* The look-alike of digit `d` in Latin or Cyrillic, upper or lower case, or 0 (none). */
static uint32_t digit_lookalike(uint32_t d, bool cyrillic, bool upper)
{
    static const struct {
        uint32_t digit, latin_upper, latin_lower, cyr_upper, cyr_lower;
    } L[] = {
        {'0', 'O', 'o', 0x41E, 0x43E}, {'1', 'I', 'l', 0x406, 0x456}, {'3', 0, 0, 0x417, 0x437},
        {'4', 0, 0, 0x427, 0x447},     {'5', 'S', 's', 0, 0},         {'6', 'b', 'b', 0x411, 0x431},
        {'8', 'B', 'b', 0x412, 0x432},
    };
    for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
        if (L[i].digit == d)
            return cyrillic ? (upper ? L[i].cyr_upper : L[i].cyr_lower)
                            : (upper ? L[i].latin_upper : L[i].latin_lower);
    return 0;
}

/* Whether the letter a digit stands for at w[i] is a capital: at the start of a word unless
 * the word is in lower case, elsewhere when the letters beside it are capitals. */
static bool digit_is_upper(const uint32_t *w, size_t n, size_t i)
{
    bool any_upper = false, any_lower = false;
    for (size_t k = 0; k < n; k++) {
        any_upper |= (bool)u_isupper((UChar32)w[k]);
        any_lower |= (bool)u_islower((UChar32)w[k]);
    }
    if (i == 0)
        return any_upper || !any_lower;
    bool prev_lower = u_islower((UChar32)w[i - 1]);
    bool next_lower = i + 1 < n && u_islower((UChar32)w[i + 1]);
    return !prev_lower && !next_lower && any_upper;
}

/* Replaces the digits of a word by their look-alikes in the word's script (the script of most
 * of its Latin and Cyrillic letters; a tie goes to the script of the whole name) or drops them
 * (also in a word of neither script); returns the new length. */
static size_t digits_to_letters(uint32_t *w, size_t n, int name_prefers_cyrillic)
{
    size_t lat = 0, cyr = 0, other = 0, k = 0;
    count_scripts(w, n, &lat, &cyr, &other);
    bool cyrillic = cyr > lat || (cyr == lat && name_prefers_cyrillic);
    for (size_t i = 0; i < n; i++) {
        uint32_t c = w[i];
        if (is_digit(c)) /* a word of another script (王1伟) has no look-alikes here */
            c = lat + cyr == 0 ? 0 : digit_lookalike(c, cyrillic, digit_is_upper(w, n, i));
        if (c != 0)
            w[k++] = c;
    }
    return k;
}

/* A word as written, before folding: its code points and what the layout told us. */
typedef struct raw_word {
    size_t start, len;
    bool comma_after, dot_after, in_parens;
} raw_word;

static bool is_open_paren(uint32_t c)
{
    return c == '(' || c == '[' || c == 0xFF08;
}

static bool is_close_paren(uint32_t c)
{
    return c == ')' || c == ']' || c == 0xFF09;
}

/* Splits NFC text into words. Apostrophes and hyphens inside a word stay (folded to ' and -);
 * everything else that is not a letter separates words. A word inside brackets is marked (a
 * maiden or former surname: "Іваненко (дів. Петренко)"); a comma after the closing bracket
 * counts as a comma after its last word ("Іваненко (Петренко), Ольга"). */
static rz_status split_words(const uint32_t *cp, size_t n, uint32_t *w, raw_word *words,
                             size_t *nwords, size_t *nletters, rz_error *err)
{
    size_t nw = 0, k = 0, depth = 0;
    bool in_word = false, after_close = false;
    *nletters = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        bool letter = is_letter(c) && !is_apostrophe(c) && !is_bgn_mark(c);
        bool digit = digit_in_word(cp, n, i);
        bool joiner =
            (is_apostrophe(c) || is_dash(c)) && in_word && i + 1 < n && is_letter(cp[i + 1]);
        if (is_bgn_mark(c) && in_word)
            continue;
        if (letter || digit || joiner) {
            if (!in_word) {
                if (nw == RZ_NAME_TOKENS_MAX)
                    return rz_error_set(err, RZ_ETOOLONG, "more than %d words in a name",
                                        RZ_NAME_TOKENS_MAX);
                words[nw] = (raw_word){.start = k, .in_parens = depth > 0};
                in_word = true;
                nw++;
            }
            w[k++] = letter || digit ? c : is_dash(c) ? (uint32_t)'-' : (uint32_t)'\'';
            words[nw - 1].len++;
            *nletters += letter;
            after_close = false;
            continue;
        }
        if ((in_word || after_close) && (c == ',' || c == ';'))
            words[nw - 1].comma_after = true;
        if (in_word && c == '.')
            words[nw - 1].dot_after = true;
        if (is_open_paren(c))
            depth++;
        if (is_close_paren(c) && depth > 0) {
            depth--;
            after_close = nw > 0;
        } else if (c != ' ') {
            after_close = false;
        }
        in_word = false;
    }
    *nwords = nw;
    return RZ_OK;
}

static bool word_all_caps(const uint32_t *w, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_letter(w[i]) || u_charType((UChar32)w[i]) == U_NON_SPACING_MARK)
            continue;
        if (!u_isupper((UChar32)w[i]))
            return false;
        letters++;
    }
    return letters >= 2;
}

rz_status rz__text_clean(const char *text, size_t len, rz__cleaned *out, rz_error *err)
{
    if (text == NULL)
        return rz_error_set(err, RZ_EINVAL, "name is NULL");
    if (len > RZ_NAME_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "name longer than %d bytes (%zu)", RZ_NAME_TEXT_MAX,
                            len);
    UChar nfc[3 * RZ_NAME_TEXT_MAX];
    int32_t nn = 0;
    rz_status rc = to_nfc(text, len, nfc, 3 * RZ_NAME_TEXT_MAX, &nn, err);
    if (rc != RZ_OK)
        return rc;
    uint32_t cp[3 * RZ_NAME_TEXT_MAX], w[3 * RZ_NAME_TEXT_MAX];
    size_t n = 0;
    for (int32_t i = 0; i < nn;) {
        UChar32 c;
        U16_NEXT(nfc, i, nn, c);
        cp[n++] = (uint32_t)c;
    }
    raw_word words[RZ_NAME_TOKENS_MAX];
    size_t nw = 0, nletters = 0;
    rc = split_words(cp, n, w, words, &nw, &nletters, err);
    if (rc != RZ_OK)
        return rc;
    if (nletters == 0) {
        bool blank = true;
        for (size_t i = 0; i < n && blank; i++)
            blank = u_isUWhiteSpace((UChar32)cp[i]);
        return rz_error_set(err, RZ_EEMPTY,
                            blank ? "empty name"
                                  : "no letters in the name (digits or symbols only)");
    }
    size_t lat = 0, cyr = 0, other = 0;
    count_scripts(w, words[nw - 1].start + words[nw - 1].len, &lat, &cyr, &other);
    out->ncp = 0;
    out->nraw = 0;
    out->ntok = 0;
    for (size_t t = 0; t < nw; t++) {
        uint32_t *ww = w + words[t].start;
        size_t wl = words[t].len;
        rz__token *tok = &out->tok[out->ntok++];
        *tok = (rz__token){.start = out->ncp,
                           .comma_after = words[t].comma_after,
                           .dot_after = words[t].dot_after,
                           .in_parens = words[t].in_parens};
        if (out->nraw + wl > RZ__CLEAN_CP_MAX)
            return rz_error_set(err, RZ_ETOOLONG, "name too long after normalisation");
        tok->raw_start = out->nraw;
        tok->raw_len = wl;
        memcpy(out->raw + out->nraw, ww, wl * sizeof *ww);
        out->nraw += wl;
        wl = digits_to_letters(ww, wl, cyr >= lat);
        tok->all_caps = word_all_caps(ww, wl);
        tok->repaired = repair_word(ww, wl, cyr >= lat);
        tok->script = word_script(ww, wl);
        tok->abbreviated = wl == 1 || (words[t].dot_after && wl <= 2);
        rc = fold_word(ww, wl, out, err);
        if (rc != RZ_OK)
            return rc;
        tok->len = out->ncp - tok->start;
    }
    return RZ_OK;
}

rz_lang rz__text_lang(const uint32_t *cp, size_t n)
{
    bool uk = false, uk_i = false, ru = false, be = false, cyr = false, lat = false;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        if (c == 0x457 || c == 0x454 || c == 0x491) /* ї є ґ */
            uk = true;
        else if (c == 0x456) /* і: Ukrainian and Belarusian */
            uk_i = true;
        else if (c == 0x44B || c == 0x44D || c == 0x44A || c == 0x451) /* ы э ъ ё */
            ru = true;
        else if (c == 0x45E) /* ў */
            be = true;
        if (rz__is_cyrillic(c))
            cyr = true;
        else if (rz__is_latin(c))
            lat = true;
    }
    if (be || (uk_i && ru && !uk))
        return RZ_LANG_BE;
    if (uk || (uk_i && !ru))
        return RZ_LANG_UK;
    if (ru)
        return RZ_LANG_RU;
    if (cyr)
        return RZ_LANG_CYRILLIC;
    return lat ? RZ_LANG_LATIN : RZ_LANG_UNKNOWN;
}
