/*
 * skeleton.c: the skeleton key (see skeleton.h). Cyrillic letters map to phoneme classes
 * directly; Latin spellings are read with the digraphs of the transliteration standards
 * (Ukrainian KMU 2010/2007/1996, Russian ICAO/MVD/BGN/GOST/ISO 9) and of German, Polish,
 * French, Czech and Hungarian habits. Then the differences that carry no information between
 * those spellings are folded away, in this order:
 *   - т+с and т+ц are ц (ts/tz/tc); ш+ч is щ (šč, szcz); doubled symbols are one (Ілля/Illia/Ilya,
 * Анна/Ana);
 *   - the glide i/y/j before e is dropped (ye/ie/je/e: Євген/Yevhen/Evgeniy, Синєв/Sinev),
 *     before u after a consonant (lyu/liu/lju/lu: Людмила/Liudmyla/Ludmila), and before a or
 *     o after a vowel (Бугайов/Бугаев, Майя/Maia); at the start of a word and after a
 *     consonant before a or o it stays: every standard writes it there (Яна/Yana/Jana is not
 *     Анна, Юрій/Yurii/Jurij is not Урій), and Марія = Mariia = Mariya = Maria stays apart
 *     from Мара;
 *   - и і ы й, y i j are one vowel i; г ґ g h are one consonant (Ukrainian г is h, Russian g).
 * What stays apart: ш/с, ж/з, ч/ц, х/г, vowels other than i/y, the order of letters.
 */
#include "names/skeleton.h"

#include <stdbool.h>
#include <string.h>

/* ---- Cyrillic ---------------------------------------------------------------------------- */

/* Class symbols of one folded Cyrillic letter; "" for the signs (ь ъ) and unknown letters. */
static const char *cyr_symbols(uint32_t c)
{
    static const char *const BASIC[32] = {
        "a", "b", "v", "g", "d", "e", "Z", "z", "i", "i", "k", "l", "m", "n", "o",  "p",
        "r", "s", "t", "u", "f", "X", "c", "C", "S", "S", "",  "i", "",  "e", "iu", "ia",
    }; /* а..я */
    if (c >= 0x430 && c <= 0x44F)
        return BASIC[c - 0x430];
    switch (c) {
    case 0x451: /* ё: e as in ICAO and the passports */
        return "e";
    case 0x454: /* є */
        return "ie";
    case 0x456: /* і */
    case 0x457: /* ї */
    case 0x458: /* ј */
        return "i";
    case 0x491: /* ґ */
        return "g";
    case 0x45E: /* ў: Belarusian, written в in Russian and Ukrainian */
        return "v";
    case 0x452: /* ђ */
        return "d";
    case 0x45B: /* ћ */
    case 0x45F: /* џ */
        return "C";
    case 0x459: /* љ */
        return "l";
    case 0x45A: /* њ */
        return "n";
    default:
        return "";
    }
}

/* ---- Latin ------------------------------------------------------------------------------- */

/* Latin letters with diacritics: the base letter, or a class symbol when the diacritic is
 * what carries the sound (š č ž ż ŝ). Returns 0 for a letter that is not Latin. */
static const char *latin_base(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? NULL : "";
    switch (c) {
    case 0xE2: /* â: ISO 9 я */
        return "ia";
    case 0xEA: /* ê: ISO 9 є */
        return "ie";
    case 0xFB: /* û: ISO 9 ю */
        return "iu";
    case 0xE0:
    case 0xE1:
    case 0xE3:
    case 0xE4:
    case 0xE5:
    case 0x101:
    case 0x103:
    case 0x105:
        return "a";
    case 0xE6:
        return "ae";
    case 0xE7:
    case 0x107:
    case 0x109:
    case 0x10B:
        return "c";
    case 0x10D:
        return "C";
    case 0x10F:
    case 0x111:
        return "d";
    case 0xE8:
    case 0xE9:
    case 0xEB:
    case 0x113:
    case 0x115:
    case 0x117:
    case 0x119:
    case 0x11B:
        return "e";
    case 0x11D:
    case 0x11F:
    case 0x121:
    case 0x123:
    case 0x1F5:
        return "g";
    case 0x125:
    case 0x127:
        return "h";
    case 0xEC:
    case 0xED:
    case 0xEE:
    case 0xEF:
    case 0x129:
    case 0x12B:
    case 0x12D:
    case 0x12F:
    case 0x131:
        return "i";
    case 0x135:
        return "j";
    case 0x137:
        return "k";
    case 0x13A:
    case 0x13C:
    case 0x13E:
    case 0x140:
    case 0x142:
        return "l";
    case 0xF1:
    case 0x144:
    case 0x146:
    case 0x148:
        return "n";
    case 0xF2:
    case 0xF3:
    case 0xF4:
    case 0xF5:
    case 0xF6:
    case 0xF8:
    case 0x14D:
    case 0x14F:
    case 0x151:
        return "o";
    case 0x153:
        return "oe";
    case 0x155:
    case 0x157:
    case 0x159:
        return "r";
    case 0x15B:
    case 0x15F:
        return "s";
    case 0x15D:
    case 0x161:
    case 0x219:
        return "S";
    case 0xDF:
        return "ss";
    case 0x163:
    case 0x165:
    case 0x167:
        return "t";
    case 0x21B:
        return "c";
    case 0xF9:
    case 0xFA:
    case 0xFC:
    case 0x169:
    case 0x16B:
    case 0x16F:
    case 0x171:
    case 0x173:
        return "u";
    case 0x16D:
        return "v"; /* ŭ: Belarusian ў */
    case 0xFD:
    case 0xFF:
    case 0x177:
        return "y";
    case 0x17A:
        return "z";
    case 0x17C:
    case 0x17E:
    case 0x292:
        return "Z";
    case 0x2B9:
    case 0x2BA:
        return "";
    default:
        return "";
    }
}

/* The ambiguous Latin spellings met while reading a word, and the reading chosen for each. */
enum { AMB_CH = 1, AMB_GOST = 2, AMB_HU = 4, AMB_C = 8, AMB_DE = 16, AMB_FR = 32 };
typedef struct reading {
    unsigned ch;    /* ch: 0 English ч, 1 German/Polish/Czech х, 2 French ш */
    bool gost;      /* х as h (ISO 9, Czech) or x (GOST 7.79-B), ц as cz (GOST 7.79-B) */
    bool hungarian; /* s ш, sz с, cs ч, zs ж */
    bool c_k;       /* c before a/o/u/consonant: ц, or k as in Victor, Nicolai */
    bool german; /* z ц, s before a vowel з, ss с (Sintschenko = Зінченко, Zybulko = Цибулько) */
} reading;

static bool at(const uint8_t *m, size_t n, size_t i, const char *pat)
{
    if (m[i] != (uint8_t)pat[0]) /* most positions fail here, cheaply */
        return false;
    size_t k = strlen(pat);
    return i + k <= n && memcmp(m + i, pat, k) == 0;
}

/* Digraphs and longer spellings, longest first: (spelling, symbols). */
static const char *const DIGRAPHS[][2] = {
    {"schtsch", "S"}, {"chtch", "S"}, {"shtch", "S"}, {"shch", "S"}, {"szcz", "S"},
    {"shh", "S"},     {"sch", "S"},   {"tsch", "C"},  {"tch", "C"},  {"tsh", "tS"},
    {"cz", "C"},      {"zh", "Z"},    {"sh", "S"},    {"kh", "X"},   {"gh", "g"},
    {"ts", "c"},      {"tz", "c"},    {"tc", "c"},    {"ph", "f"},   {"th", "t"},
};

/* Reads intermediate Latin `m` (lowercase a-z and class symbols) into skeleton symbols. */
static void read_latin(const uint8_t *m, size_t n, const reading *r, uint8_t *out, size_t *nout,
                       size_t cap, unsigned *seen)
{
    size_t k = *nout;
    for (size_t i = 0; i < n && k < cap;) {
        const char *sym = NULL;
        size_t used = 1;
        for (size_t d = 0; d < sizeof DIGRAPHS / sizeof DIGRAPHS[0]; d++)
            if (at(m, n, i, DIGRAPHS[d][0]) && strlen(DIGRAPHS[d][0]) >= 3) {
                sym = DIGRAPHS[d][1];
                used = strlen(DIGRAPHS[d][0]);
                break;
            }
        if (at(m, n, i, "cz"))
            *seen |= AMB_GOST;
        if (sym != NULL) {
            /* a long spelling: shch, szcz, tsch, ... */
            if (m[i] == 's' || m[i] == 't')
                *seen |= m[i + 1] == 'c' ? AMB_DE : 0; /* sch, tsch, schtsch: German */
        } else if (r->german && at(m, n, i, "ss")) {
            sym = "s";
            used = 2;
        } else if (at(m, n, i, "zs")) {
            *seen |= AMB_HU;
            sym = r->hungarian ? "Z" : "zs";
            used = 2;
        } else if (at(m, n, i, "ou")) {
            *seen |= AMB_FR;
            sym = r->ch == 2 ? "u" : "ou";
            used = 2;
        } else if (at(m, n, i, "cz") && r->gost) {
            sym = "c";
            used = 2;
        } else if (at(m, n, i, "cs") || at(m, n, i, "sz")) {
            *seen |= AMB_HU;
            sym = at(m, n, i, "cs") ? "C" : r->hungarian ? "s" : "S";
            used = 2;
        } else if (at(m, n, i, "ch")) {
            *seen |= AMB_CH;
            sym = r->ch == 0 ? "C" : r->ch == 1 ? "X" : "S";
            used = 2;
        }
        for (size_t d = 0; sym == NULL && d < sizeof DIGRAPHS / sizeof DIGRAPHS[0]; d++)
            if (at(m, n, i, DIGRAPHS[d][0])) {
                sym = DIGRAPHS[d][1];
                used = strlen(DIGRAPHS[d][0]);
            }
        if (sym == NULL) {
            uint8_t c = m[i];
            bool soft = i + 1 < n && (m[i + 1] == 'e' || m[i + 1] == 'i' || m[i + 1] == 'y');
            switch (c) {
            case 'c':
                if (!soft)
                    *seen |= AMB_C;
                sym = (!soft && r->c_k) ? "k" : "c";
                break;
            case 's':
                sym = r->hungarian                                                       ? "S"
                      : r->german && i + 1 < n && strchr("aeiouy", m[i + 1]) && m[i + 1] ? "z"
                                                                                         : "s";
                break;
            case 'z':
                *seen |= AMB_DE;
                sym = r->german ? "c" : "z";
                break;
            case 'x':
                *seen |= AMB_GOST;
                sym = r->gost ? "X" : "ks";
                break;
            case 'h':
                *seen |= AMB_GOST;
                sym = r->gost ? "X" : "g";
                break;
            case 'j':
            case 'y':
                sym = "i";
                break;
            case 'w':
                sym = "v";
                break;
            case 'q':
                sym = "k";
                break;
            default:
                out[k++] = c;
                i++;
                continue;
            }
        }
        for (const char *p = sym; *p && k < cap; p++)
            out[k++] = (uint8_t)*p;
        i += used;
    }
    *nout = k;
}

/* ---- folding ------------------------------------------------------------------------------- */

static bool is_vowel(uint8_t s)
{
    return s == 'a' || s == 'e' || s == 'i' || s == 'o' || s == 'u';
}

/* The folds listed at the top of this file, on raw symbols. */
static void fold(uint8_t *s, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) { /* т+с, т+ц -> ц; ш+ч (šč, шч) -> щ */
        if (s[i] == 't' && i + 1 < *n && (s[i + 1] == 's' || s[i + 1] == 'c')) {
            s[k++] = 'c';
            i++;
            continue;
        }
        if (s[i] == 'S' && i + 1 < *n && s[i + 1] == 'C') {
            s[k++] = 'S';
            i++;
            continue;
        }
        s[k++] = s[i];
    }
    *n = k;
    for (int pass = 0; pass < 2; pass++) {
        k = 0;
        for (size_t i = 0; i < *n; i++) {
            uint8_t c = s[i];
            if (k > 0 && s[k - 1] == c)
                continue; /* doubled letters */
            if (c == 'i' && i + 1 < *n) {
                uint8_t next = s[i + 1];
                bool word_start = k == 0 || s[k - 1] == ' ';
                if (next == 'e')
                    continue;
                if (next == 'u' && !word_start && !is_vowel(s[k - 1]))
                    continue;
                if ((next == 'a' || next == 'o') && !word_start && is_vowel(s[k - 1]))
                    continue; /* Бугайов/Бугаев, Майя/Maia/Maya */
            }
            s[k++] = c;
        }
        *n = k;
    }
}

/* ---- words --------------------------------------------------------------------------------- */

static bool is_cyr(uint32_t c)
{
    return c >= 0x400 && c <= 0x52F;
}

/* Reads one word under one reading of its Latin spellings. */
static void read_word(const uint32_t *cp, size_t n, const reading *r, rz__skel *sk, unsigned *seen)
{
    uint8_t raw[3 * RZ__SKEL_MAX];
    size_t k = 0;
    const size_t cap = sizeof raw;
    for (size_t i = 0; i < n && k < cap;) {
        if (is_cyr(cp[i])) {
            for (const char *p = cyr_symbols(
                     cp[i] < 0x430 && cp[i] >= 0x400 && cp[i] < 0x410 ? cp[i] + 0x50 : cp[i]);
                 *p && k < cap; p++)
                raw[k++] = (uint8_t)*p;
            i++;
            continue;
        }
        if (cp[i] == '-' || cp[i] == ' ') {
            raw[k++] = ' ';
            i++;
            continue;
        }
        /* a run of Latin letters, read together for its digraphs */
        uint8_t m[2 * RZ__SKEL_MAX];
        size_t nm = 0;
        while (i < n && !is_cyr(cp[i]) && cp[i] != '-' && cp[i] != ' ') {
            const char *base = latin_base(cp[i]);
            if (base == NULL && nm < sizeof m)
                m[nm++] = (uint8_t)cp[i];
            for (const char *p = base; p && *p && nm < sizeof m; p++)
                m[nm++] = (uint8_t)*p;
            i++;
        }
        read_latin(m, nm, r, raw, &k, cap, seen);
    }
    fold(raw, &k);
    if (k > RZ__SKEL_MAX)
        k = RZ__SKEL_MAX;
    memcpy(sk->s, raw, k);
    sk->len = (uint8_t)k;
}

static bool same_skel(const rz__skel *a, const rz__skel *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

size_t rz__skeleton_word(const uint32_t *cp, size_t n, rz__skel *out)
{
    reading r = {0};
    unsigned seen = 0;
    read_word(cp, n, &r, &out[0], &seen);
    size_t count = 1;
    /* Alternative readings, one ambiguity at a time, in order of how often they occur in
     * registers: German/Polish ch, English c=k, German z, ISO 9/GOST h x cz, French ch,
     * Hungarian. */
    static const reading ALTS[] = {
        {.ch = 1},      {.c_k = true}, {.german = true, .ch = 1},
        {.gost = true}, {.ch = 2},     {.hungarian = true},
    };
    static const unsigned NEEDS[] = {AMB_CH, AMB_C, AMB_DE, AMB_GOST, AMB_CH | AMB_FR, AMB_HU};
    for (size_t a = 0; a < sizeof ALTS / sizeof ALTS[0] && count < RZ__SKEL_VARIANTS; a++) {
        if (!(seen & NEEDS[a]))
            continue;
        unsigned ignored = 0;
        read_word(cp, n, &ALTS[a], &out[count], &ignored);
        bool dup = false;
        for (size_t j = 0; j < count && !dup; j++)
            dup = same_skel(&out[j], &out[count]);
        if (!dup)
            count++;
    }
    return count;
}

size_t rz__skeleton_render(const rz__skel *sk, char *out, size_t cap)
{
    size_t k = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < sk->len; i++) {
        const char *r;
        char one[2] = {(char)sk->s[i], 0};
        switch (sk->s[i]) {
        case 'Z':
            r = "zh";
            break;
        case 'X':
            r = "kh";
            break;
        case 'c':
            r = "ts";
            break;
        case 'C':
            r = "ch";
            break;
        case 'S':
            r = "sh";
            break;
        default:
            r = one;
            break;
        }
        for (; *r && k + 1 < cap; r++)
            out[k++] = *r;
    }
    out[k] = '\0';
    return k;
}

void rz__skeleton_plain(const uint8_t *in, size_t n, rz__skel *out)
{
    size_t k = 0;
    if (n > RZ__SKEL_MAX)
        n = RZ__SKEL_MAX;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = in[i];
        c = c == 'S' ? 's' : c == 'C' ? 'c' : c == 'Z' ? 'z' : c;
        if (k > 0 && c == 'c' && out->s[k - 1] == 's')
            continue; /* šč written sc: щ */
        if (k > 0 && out->s[k - 1] == c)
            continue; /* doubled, as in the skeleton */
        out->s[k++] = c;
    }
    out->len = (uint8_t)k;
}

bool rz__latin_may_be_plain(const char *clean, size_t len)
{
    static const char *const HABITS[] = {"sh", "ch", "zh", "kh", "ts", "sz", "cz", "cs",
                                         "zs", "iu", "ya", "yu", "ye", "yo", "yi"};
    bool sibilant = false;
    for (size_t i = 0; i < len; i++) {
        char c = clean[i];
        if ((unsigned char)c >= 0x80)
            return false; /* diacritics or another script: the skeleton reads them */
        if (c == 's' || c == 'c' || c == 'z')
            sibilant = true;
        for (size_t h = 0; i + 1 < len && h < sizeof HABITS / sizeof HABITS[0]; h++)
            if (c == HABITS[h][0] && clean[i + 1] == HABITS[h][1])
                return false;
    }
    return sibilant;
}

static bool ends(const rz__skel *sk, const char *suffix)
{
    size_t k = strlen(suffix);
    return sk->len >= k && memcmp(sk->s + sk->len - k, suffix, k) == 0;
}

void rz__skeleton_fold_gender(rz__skel *sk)
{
    /* (feminine ending, masculine ending, shortest word it applies to), longest first */
    static const struct {
        const char *fem, *masc;
        size_t min;
    } RULES[] = {
        {"skaia", "ski", 6}, {"ckaia", "cki", 6}, {"zkaia", "zki", 6}, {"ska", "ski", 5},
        {"cka", "cki", 5},   {"zka", "zki", 5},   {"ova", "ov", 5},    {"eva", "ev", 5},
        {"ina", "in", 5},    {"aia", "i", 5},
    };
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
        size_t lf = strlen(RULES[i].fem), lm = strlen(RULES[i].masc);
        if (sk->len >= RULES[i].min && ends(sk, RULES[i].fem)) {
            memcpy(sk->s + sk->len - lf, RULES[i].masc, lm);
            sk->len = (uint8_t)(sk->len - lf + lm);
            return;
        }
    }
}
