/*
 * dm.c: Daitch-Mokotoff Soundex (Randy Daitch and Gary Mokotoff, 1985), the phonetic code
 * designed for Slavic and Yiddish surnames, with all its branches (c, ch, ck, j, rz, rs code
 * two ways). The rule table is the published one, as in Stephen P. Morse's calculator and
 * Apache Commons Codec: for each spelling, the code at the start of a word, before a vowel,
 * and elsewhere ("" means not coded; "5|4" two branches). Codes of adjacent letters that are
 * equal are written once (a vowel between them separates them); m n and n m are both coded.
 * Six digits, padded with 0. O(length * branches), at most DM_BRANCHES branches.
 */
#include "names/skeleton.h"

#include <stdbool.h>
#include <string.h>

#define DM_BRANCHES 16

typedef struct dm_rule {
    const char *pat;
    const char *code[3]; /* start, before a vowel, other */
} dm_rule;

#define R1(p, c)                                                                                   \
    {                                                                                              \
        p,                                                                                         \
        {                                                                                          \
            c, c, c                                                                                \
        }                                                                                          \
    }
#define RV(p, a, b, c)                                                                             \
    {                                                                                              \
        p,                                                                                         \
        {                                                                                          \
            a, b, c                                                                                \
        }                                                                                          \
    }

/* Longest spellings first within each initial letter. */
static const dm_rule RULES[] = {
    RV("ai", "0", "1", ""),
    RV("aj", "0", "1", ""),
    RV("ay", "0", "1", ""),
    RV("au", "0", "7", ""),
    RV("a", "0", "", ""),
    R1("b", "7"),
    RV("chs", "5", "54", "54"),
    R1("ch", "5|4"),
    R1("ck", "5|45"),
    R1("csz", "4"),
    R1("czs", "4"),
    R1("cz", "4"),
    R1("cs", "4"),
    R1("c", "5|4"),
    R1("drz", "4"),
    R1("drs", "4"),
    R1("dsh", "4"),
    R1("dsz", "4"),
    R1("dzh", "4"),
    R1("dzs", "4"),
    R1("dz", "4"),
    R1("dt", "3"),
    R1("d", "3"),
    RV("ei", "0", "1", ""),
    RV("ej", "0", "1", ""),
    RV("ey", "0", "1", ""),
    RV("eu", "1", "1", ""),
    RV("e", "0", "", ""),
    R1("fb", "7"),
    R1("f", "7"),
    R1("g", "5"),
    RV("h", "5", "5", ""),
    RV("ia", "1", "", ""),
    RV("ie", "1", "", ""),
    RV("io", "1", "", ""),
    RV("iu", "1", "", ""),
    RV("i", "0", "", ""),
    RV("j", "1|4", "|4", "|4"),
    RV("ks", "5", "54", "54"),
    R1("kh", "5"),
    R1("k", "5"),
    R1("l", "8"),
    R1("mn", "66"),
    R1("m", "6"),
    R1("nm", "66"),
    R1("n", "6"),
    RV("oi", "0", "1", ""),
    RV("oj", "0", "1", ""),
    RV("oy", "0", "1", ""),
    RV("o", "0", "", ""),
    R1("pf", "7"),
    R1("ph", "7"),
    R1("p", "7"),
    R1("q", "5"),
    R1("rz", "94|4"),
    R1("rs", "94|4"),
    R1("r", "9"),
    RV("schtsch", "2", "4", "4"),
    RV("schtsh", "2", "4", "4"),
    RV("schtch", "2", "4", "4"),
    RV("shtch", "2", "4", "4"),
    RV("shtsh", "2", "4", "4"),
    RV("stsch", "2", "4", "4"),
    RV("shch", "2", "4", "4"),
    RV("stch", "2", "4", "4"),
    RV("strz", "2", "4", "4"),
    RV("strs", "2", "4", "4"),
    RV("stsh", "2", "4", "4"),
    RV("szcz", "2", "4", "4"),
    RV("szcs", "2", "4", "4"),
    RV("sht", "2", "43", "43"),
    RV("szt", "2", "43", "43"),
    RV("shd", "2", "43", "43"),
    RV("szd", "2", "43", "43"),
    R1("sch", "4"),
    RV("sd", "2", "43", "43"),
    RV("st", "2", "43", "43"),
    R1("sh", "4"),
    R1("sz", "4"),
    R1("s", "4"),
    R1("ttsch", "4"),
    R1("ttch", "4"),
    R1("ttsz", "4"),
    R1("tsch", "4"),
    R1("tch", "4"),
    R1("trz", "4"),
    R1("trs", "4"),
    R1("tsh", "4"),
    R1("tts", "4"),
    R1("tsz", "4"),
    R1("ttz", "4"),
    R1("th", "3"),
    R1("ts", "4"),
    R1("tc", "4"),
    R1("tz", "4"),
    R1("t", "3"),
    RV("ui", "0", "1", ""),
    RV("uj", "0", "1", ""),
    RV("uy", "0", "1", ""),
    RV("ue", "0", "", ""),
    RV("u", "0", "", ""),
    R1("v", "7"),
    R1("w", "7"),
    RV("x", "5", "54", "54"),
    RV("y", "1", "", ""),
    RV("zhdzh", "2", "4", "4"),
    RV("zdzh", "2", "4", "4"),
    RV("zdz", "2", "4", "4"),
    RV("zhd", "2", "43", "43"),
    RV("zd", "2", "43", "43"),
    R1("zsch", "4"),
    R1("zsh", "4"),
    R1("zh", "4"),
    R1("zs", "4"),
    R1("z", "4"),
};

typedef struct branch {
    char code[7];
    size_t len;
    char last[4]; /* the last replacement, "" after a vowel */
    bool started;
} branch;

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static const dm_rule *match(const char *s, size_t *len)
{
    const dm_rule *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++) {
        if (RULES[i].pat[0] != s[0])
            continue;
        size_t k = strlen(RULES[i].pat);
        if (k > best_len && strncmp(s, RULES[i].pat, k) == 0) {
            best = &RULES[i];
            best_len = k;
        }
    }
    *len = best_len;
    return best;
}

static void append(branch *b, const char *rep, size_t rep_len, bool force)
{
    size_t ll = strlen(b->last);
    bool ends_with =
        b->started && ll >= rep_len && memcmp(b->last + ll - rep_len, rep, rep_len) == 0;
    if (!ends_with || force) {
        for (size_t i = 0; i < rep_len && b->len < 6; i++)
            b->code[b->len++] = rep[i];
    }
    if (rep_len < sizeof b->last) {
        memcpy(b->last, rep, rep_len);
        b->last[rep_len] = '\0';
    }
    b->started = true;
}

size_t rz__dm_soundex(const char *ascii, char (*codes)[7], size_t cap)
{
    branch br[DM_BRANCHES];
    size_t nb = 1;
    memset(&br[0], 0, sizeof br[0]);
    char last_char = 0;
    bool any = false;
    for (size_t i = 0; ascii[i];) {
        size_t len = 0;
        const dm_rule *r = match(ascii + i, &len);
        if (r == NULL) { /* not a letter of the table: spaces, digits */
            i++;
            continue;
        }
        char next = ascii[i + len];
        int ctx = !any ? 0 : is_vowel(next) ? 1 : 2;
        const char *code = r->code[ctx];
        const char *bar = strchr(code, '|');
        bool force = (last_char == 'm' && ascii[i] == 'n') || (last_char == 'n' && ascii[i] == 'm');
        if (bar == NULL) {
            for (size_t b = 0; b < nb; b++)
                append(&br[b], code, strlen(code), force);
        } else {
            size_t n0 = nb;
            for (size_t b = 0; b < n0; b++) {
                if (nb < DM_BRANCHES) {
                    br[nb] = br[b];
                    append(&br[nb], bar + 1, strlen(bar + 1), force);
                    nb++;
                }
                append(&br[b], code, (size_t)(bar - code), force);
            }
        }
        any = true;
        last_char = ascii[i + len - 1];
        i += len;
    }
    if (!any)
        return 0;
    size_t n = 0;
    for (size_t b = 0; b < nb; b++) {
        while (br[b].len < 6)
            br[b].code[br[b].len++] = '0';
        br[b].code[6] = '\0';
        bool dup = false;
        for (size_t j = 0; j < n && !dup; j++)
            dup = strcmp(codes[j], br[b].code) == 0;
        if (!dup && n < cap)
            memcpy(codes[n++], br[b].code, 7);
    }
    return n;
}
