/*
 * names_eval.c: quality of the name comparison on real names. Prints recall and precision of
 * the close-or-better verdict of rz_name_compare on:
 *
 *   matching pairs (the same person's name written another way)
 *     uk-ru      a Ukrainian surname and given name against the Russian form of both, from
 *                names-translator's pairs (bench/data/names_eval/uk_ru_surnames.tsv) and the
 *                dictionary's Ukrainian/Russian given names; half with patronymics
 *     latin-uk   the Ukrainian name against its official Latin rendering (a random Ukrainian
 *                scheme: KMU 2010, 2007, 1996, BGN/PCGN), sometimes as KLYMENKO OLEKSANDR
 *     latin-ru   the Ukrainian name against the Latin rendering of its Russian form (ICAO,
 *                passport 1997/2010, BGN/PCGN, GOST 7.79-B, ISO 9): a Russian-language list
 *                transliterated abroad
 *     typo       the name against itself with one typing error in the surname or the given
 *                name (deleted, doubled or transposed letter, a neighbouring key of the
 *                Ukrainian or the Latin keyboard), in Cyrillic or in the KMU rendering
 *   non-matching pairs, as many
 *     surname    the same given name with another real surname (of 8,000 sampled) that
 *                shares its Daitch-Mokotoff code: the neighbours blocking brings together,
 *                up to two per name
 *     given      the same surname with another given name of the same sex (any script),
 *                filling up to four non-matching pairs per name
 *
 * Each side is written surname first or given name first at random, so parsing is part of
 * what is measured. Deterministic (fixed seed). Usage:
 *   build/bench/names_eval [-v] [-n NAMES] [-s START]
 * -v prints the misses; NAMES is 2000 by default; START (0 by default) is the first surname
 * pair used. The reported figures are those of START 0 (surnames 0-1999), the held-out test
 * split: rules are developed on -s 2000 and -s 4000 (surnames 2000-5999), never on it.
 */
#include "rozshuk/names.h"
#include "rozshuk/translit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NAMES_EVAL_DIR
#define NAMES_EVAL_DIR "bench/data/names_eval"
#endif
#ifndef GIVEN_NAMES_TSV
#define GIVEN_NAMES_TSV "data/names/given_names.tsv"
#endif

#define MAX_ITEMS 10000
#define TEXT      256

typedef struct pair_text {
    char uk[TEXT], ru[TEXT];
} pair_text;

typedef struct given_name {
    char uk[TEXT], ru[TEXT];
    char sex;
} given_name;

static pair_text surnames[MAX_ITEMS];
static size_t nsurnames;
static given_name givens[MAX_ITEMS];
static size_t ngivens;

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void)
{
    rng ^= rng << 13; /* xorshift64 */
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t pick(size_t n)
{
    return (size_t)(next_random() % n);
}

static void copy(char *dst, const char *src)
{
    size_t n = strnlen(src, TEXT - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int load_surnames(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    char line[1024];
    while (fgets(line, sizeof line, f) && nsurnames < MAX_ITEMS) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (tab == NULL)
            continue;
        *tab = '\0';
        copy(surnames[nsurnames].uk, line);
        copy(surnames[nsurnames].ru, tab + 1);
        nsurnames++;
    }
    fclose(f);
    return 0;
}

static bool is_cyrillic_word(const char *s)
{
    return (unsigned char)s[0] == 0xD0 || (unsigned char)s[0] == 0xD1;
}

/* Whether a word has letters of Ukrainian or Belarusian that Russian lacks (і ї є ґ ў '). */
static bool has_non_russian(const char *s)
{
    return strstr(s, "і") || strstr(s, "ї") || strstr(s, "є") || strstr(s, "ґ") || strstr(s, "ў") ||
           strstr(s, "І") || strstr(s, "Є") || strstr(s, "'");
}

/* given_names.tsv: canonical, sex, forms (Ukrainian first; the first other Cyrillic form is
 * taken as the Russian one). */
static int load_givens(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    char line[4096];
    while (fgets(line, sizeof line, f) && ngivens < MAX_ITEMS) {
        if (line[0] == '#')
            continue;
        char *cols[4] = {0};
        char *s = line;
        for (int c = 0; c < 4 && s; c++) {
            cols[c] = s;
            s = strchr(s, '\t');
            if (s)
                *s++ = '\0';
        }
        if (cols[2] == NULL || strchr(cols[2], '\'') != NULL)
            continue;
        given_name *g = &givens[ngivens];
        g->sex = cols[1][0];
        char *form = cols[2], *comma = strchr(form, ',');
        if (comma)
            *comma = '\0';
        copy(g->uk, form);
        /* the second form is the Russian one (given_curated.txt's order) unless it is Latin
         * or has letters Russian lacks; then the Ukrainian form when Russian writes it so */
        char *second = comma ? comma + 1 : NULL;
        if (second && (comma = strchr(second, ',')) != NULL)
            *comma = '\0';
        if (second && is_cyrillic_word(second) && !has_non_russian(second))
            copy(g->ru, second);
        else if (!has_non_russian(form))
            copy(g->ru, form);
        else
            continue;
        ngivens++;
    }
    fclose(f);
    return 0;
}

/* Whether a Ukrainian surname is feminine in form (ends in а or я). */
static char surname_sex(const char *uk)
{
    size_t n = strlen(uk);
    if (n >= 2 && (strcmp(uk + n - 2, "а") == 0 || strcmp(uk + n - 2, "я") == 0))
        return 'f';
    return 'm';
}

static const given_name *pick_given(char sex)
{
    for (;;) {
        const given_name *g = &givens[pick(ngivens)];
        if (g->sex == sex)
            return g;
    }
}

/* Patronymic of a given name ending in a consonant: Іван -> Іванович/Іванівна,
 * Иван -> Иванович/Ивановна; "" for other names. */
static void patronymic(const char *given, char sex, bool russian, char *out)
{
    out[0] = '\0';
    size_t n = strlen(given);
    if (n == 0)
        return;
    const char *vowels[] = {"а", "я", "о", "й", "ь", "і", "и", "е", "є"};
    for (size_t i = 0; i < sizeof vowels / sizeof vowels[0]; i++)
        if (n >= 2 && strcmp(given + n - 2, vowels[i]) == 0)
            return;
    snprintf(out, TEXT, "%s%s", given, sex == 'm' ? "ович" : russian ? "овна" : "івна");
}

static void full_name(char *out, const char *sur, const char *given, const char *patr,
                      bool surname_first)
{
    if (surname_first)
        snprintf(out, TEXT, "%s %s%s%s", sur, given, patr[0] ? " " : "", patr);
    else
        snprintf(out, TEXT, "%s%s%s %s", given, patr[0] ? " " : "", patr, sur);
}

/* ---- typing errors ------------------------------------------------------------------------ */

static const char *const UK_ROWS[] = {"йцукенгшщзхї", "фівапролджє", "ячсмитьбю"};
static const char *const LAT_ROWS[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

/* Decodes UTF-8 to code points (the texts here are valid). */
static size_t decode(const char *s, uint32_t *cp, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < cap;) {
        uint32_t c = *p;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        c = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < len; k++)
            c = (c << 6) | (p[k] & 0x3F);
        cp[n++] = c;
        p += len;
    }
    return n;
}

static void encode(const uint32_t *cp, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < TEXT; i++) {
        uint32_t c = cp[i];
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xC0 | (c >> 6));
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[k++] = (char)(0xE0 | (c >> 12));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[k] = '\0';
}

/* A key next to c on its keyboard row, or c itself when c is not on the keyboard. */
static uint32_t neighbour(uint32_t c)
{
    const char *const *rows[2] = {UK_ROWS, LAT_ROWS};
    uint32_t lower = c < 0x80 ? (c | 0x20) : (c >= 0x410 && c < 0x430 ? c + 0x20 : c);
    for (int k = 0; k < 2; k++)
        for (int r = 0; r < 3; r++) {
            uint32_t row[16];
            size_t n = decode(rows[k][r], row, 16);
            for (size_t i = 0; i < n; i++)
                if (row[i] == lower)
                    return row[i > 0 && (i + 1 == n || next_random() % 2) ? i - 1 : i + 1];
        }
    return c;
}

/* One typing error in a word (of 3 letters or more): deleted, doubled, transposed letter or a
 * neighbouring key; never the first letter (typists see it). */
static void typo(const char *word, char *out)
{
    uint32_t cp[TEXT];
    size_t n = decode(word, cp, TEXT - 2);
    if (n < 3) {
        copy(out, word);
        return;
    }
    size_t at = 1 + pick(n - 1);
    switch (pick(4)) {
    case 0: /* deleted */
        memmove(cp + at, cp + at + 1, (n - at - 1) * sizeof cp[0]);
        n--;
        break;
    case 1: /* doubled */
        memmove(cp + at + 1, cp + at, (n - at) * sizeof cp[0]);
        n++;
        break;
    case 2: /* transposed with the next */
        if (at + 1 < n) {
            uint32_t t = cp[at];
            cp[at] = cp[at + 1];
            cp[at + 1] = t;
        } else {
            uint32_t t = cp[at];
            cp[at] = cp[at - 1];
            cp[at - 1] = t;
        }
        break;
    default:
        cp[at] = neighbour(cp[at]);
        break;
    }
    encode(cp, n, out);
}

/* ---- running -------------------------------------------------------------------------------- */

typedef struct category {
    const char *name;
    bool match;
    size_t total, close_or_better, equivalent_or_better;
} category;

static rz_name_ctx *ctx;
static bool verbose;

static void judge(category *cat, const char *a, const char *b)
{
    rz_name *x = NULL, *y = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_name_parse(ctx, a, &x, &err) != RZ_OK || rz_name_parse(ctx, b, &y, &err) != RZ_OK) {
        if (verbose)
            fprintf(stderr, "  %-8s ERROR %s | %s: %s\n", cat->name, a, b, err.message);
        cat->total++;
        rz_name_free(x);
        rz_name_free(y);
        return;
    }
    rz_name_comparison c;
    rz_name_compare(x, y, &c);
    bool close = c.level >= RZ_LEVEL_CLOSE;
    cat->total++;
    cat->close_or_better += close;
    cat->equivalent_or_better += c.level >= RZ_LEVEL_EQUIVALENT;
    if (verbose && close != cat->match)
        fprintf(stderr, "  %-8s %-10s %.3f  %s | %s  [%s %s, %s %s, %s %s]\n", cat->name,
                rz_level_name(c.level), c.score, a, b, rz_level_name(c.parts[0].level),
                c.parts[0].reason, rz_level_name(c.parts[1].level), c.parts[1].reason,
                rz_level_name(c.parts[2].level), c.parts[2].reason);
    rz_name_free(x);
    rz_name_free(y);
}

static rz_translit *open_scheme(const char *name)
{
    rz_translit *tr = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_translit_open(name, &tr, &err) != RZ_OK) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        exit(1);
    }
    return tr;
}

static void render(rz_translit *tr, const char *text, char *out)
{
    char *latin = NULL;
    if (rz_translit_apply(tr, text, &latin, NULL) == RZ_OK)
        copy(out, latin);
    else
        copy(out, text);
    free(latin);
}

static void upper_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
}

static size_t linked_by_source;

/* A same-DM-code neighbour surname with a different folded skeleton, after `after`, or -1. */
static long similar_surname(size_t i, long after, rz_name **prepared, char (*dm)[8])
{
    size_t start = after < 0 ? i : (size_t)after;
    for (size_t tries = 0; tries < nsurnames; tries++) {
        size_t j = (start + 1 + tries) % nsurnames;
        if (after >= 0 && j == i)
            break;
        if (j == i || strcmp(dm[i], dm[j]) != 0 || prepared[j] == NULL)
            continue;
        if (strcmp(rz_name_surname_folded(prepared[i]), rz_name_surname_folded(prepared[j])) == 0)
            continue;
        if (surname_sex(surnames[i].uk) != surname_sex(surnames[j].uk))
            continue;
        /* the source itself says they are one surname: Павлів/Павлов on one row, Павлов/
         * Павлов on another; such a pair is not a non-match */
        if (strcmp(surnames[i].ru, surnames[j].ru) == 0 ||
            strcmp(surnames[i].uk, surnames[j].ru) == 0 ||
            strcmp(surnames[i].ru, surnames[j].uk) == 0) {
            linked_by_source++;
            continue;
        }
        return (long)j;
    }
    return -1;
}

static void first_dm(const char *kind, const char *key, void *user)
{
    char *out = user;
    if (strcmp(kind, "sur_dm") == 0 && out[0] == '\0')
        snprintf(out, 8, "%s", key);
}

int main(int argc, char **argv)
{
    size_t per_category = 0, first = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            per_category = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            first = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: names_eval [-v] [-n PAIRS_PER_CATEGORY] [-s START]\n");
            return 2;
        }
    }
    if (load_surnames(NAMES_EVAL_DIR "/uk_ru_surnames.tsv") != 0 ||
        load_givens(GIVEN_NAMES_TSV) != 0)
        return 1;
    if (per_category == 0)
        per_category = 2000;
    if (first >= nsurnames)
        first = 0;
    if (per_category > nsurnames - first)
        per_category = nsurnames - first;
    rz_error err;
    rz_error_clear(&err);
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    static const char *const UK_SCHEMES[] = {"uk-kmu-2010", "uk-passport-2007", "uk-passport-1996",
                                             "uk-bgn-pcgn"};
    static const char *const RU_SCHEMES[] = {"ru-icao-9303", "ru-passport-2010", "ru-passport-1997",
                                             "ru-bgn-pcgn",  "ru-gost-7.79-b",   "ru-iso-9"};
    rz_translit *uk_tr[4], *ru_tr[6];
    for (size_t i = 0; i < 4; i++)
        uk_tr[i] = open_scheme(UK_SCHEMES[i]);
    for (size_t i = 0; i < 6; i++)
        ru_tr[i] = open_scheme(RU_SCHEMES[i]);

    rz_name **prepared = calloc(nsurnames, sizeof *prepared);
    char(*dm)[8] = calloc(nsurnames, sizeof *dm);
    if (prepared == NULL || dm == NULL)
        return 1;
    for (size_t i = 0; i < nsurnames; i++)
        if (rz_name_from_parts(ctx, surnames[i].uk, NULL, NULL, &prepared[i], NULL) == RZ_OK)
            rz_name_keys(prepared[i], first_dm, dm[i]);

    category cats[] = {
        {"uk-ru", true, 0, 0, 0}, {"latin-uk", true, 0, 0, 0}, {"latin-ru", true, 0, 0, 0},
        {"typo", true, 0, 0, 0},  {"given", false, 0, 0, 0},   {"surname", false, 0, 0, 0},
    };
    for (size_t i = first; i < first + per_category; i++) {
        const pair_text *s = &surnames[i];
        char sex = surname_sex(s->uk);
        const given_name *g = pick_given(sex);
        char pu[TEXT], pr[TEXT], a[TEXT], b[TEXT], t[TEXT], w[TEXT];
        bool with_patronymic = next_random() % 2;
        const given_name *father = pick_given('m');
        patronymic(with_patronymic ? father->uk : "", sex, false, pu);
        patronymic(with_patronymic ? father->ru : "", sex, true, pr);
        full_name(a, s->uk, g->uk, pu, next_random() % 2);
        full_name(b, s->ru, g->ru, pr, next_random() % 2);
        judge(&cats[0], a, b);

        char uk_sf[TEXT], ru_sf[TEXT];
        full_name(uk_sf, s->uk, g->uk, pu, true);
        full_name(ru_sf, s->ru, g->ru, pr, true);
        render(uk_tr[pick(4)], uk_sf, t);
        if (next_random() % 4 == 0) { /* passport style: surname in capitals */
            char *space = strchr(t, ' ');
            if (space) {
                *space = '\0';
                upper_ascii(t);
                *space = ' ';
            }
        }
        judge(&cats[1], a, t);
        render(ru_tr[pick(6)], ru_sf, t);
        judge(&cats[2], a, t);

        bool in_latin = next_random() % 3 == 0;
        const char *sur = s->uk, *giv = g->uk;
        char sur_l[TEXT], giv_l[TEXT];
        if (in_latin) {
            render(uk_tr[0], s->uk, sur_l);
            render(uk_tr[0], g->uk, giv_l);
            sur = sur_l;
            giv = giv_l;
        }
        bool surname_typo = next_random() % 2;
        typo(surname_typo ? sur : giv, w);
        full_name(t, surname_typo ? w : sur, surname_typo ? giv : w, "", true);
        full_name(b, sur, giv, "", true);
        judge(&cats[3], b, t);

        long j = -1;
        size_t similar = 0;
        for (int k = 0; k < 2; k++) { /* two neighbours with the same DM code */
            j = similar_surname(i, j, prepared, dm);
            if (j < 0)
                break;
            full_name(b, surnames[j].uk, g->uk, pu, next_random() % 2);
            if (next_random() % 2) {
                full_name(t, surnames[j].uk, g->uk, pu, true);
                render(uk_tr[pick(4)], t, b);
            }
            judge(&cats[5], a, b);
            similar++;
        }
        /* as many non-matching pairs as matching ones: 4 per surname in all */
        for (size_t k = similar; k < 4; k++) {
            const given_name *other = pick_given(sex);
            while (strcmp(other->uk, g->uk) == 0)
                other = pick_given(sex);
            full_name(b, s->uk, other->uk, "", next_random() % 2);
            if (next_random() % 2) {
                full_name(t, s->ru, other->ru, "", true);
                render(ru_tr[pick(6)], t, b);
            }
            judge(&cats[4], a, b);
        }
    }

    size_t tp = 0, pos = 0, fp = 0, neg = 0;
    printf("%-9s %-6s %7s %15s %17s\n", "category", "kind", "pairs", "close-or-better",
           "equivalent-or-b.");
    for (size_t c = 0; c < sizeof cats / sizeof cats[0]; c++) {
        category *k = &cats[c];
        printf("%-9s %-6s %7zu %8zu %5.1f%% %10zu %5.1f%%\n", k->name, k->match ? "match" : "non",
               k->total, k->close_or_better,
               k->total ? 100.0 * (double)k->close_or_better / (double)k->total : 0.0,
               k->equivalent_or_better,
               k->total ? 100.0 * (double)k->equivalent_or_better / (double)k->total : 0.0);
        if (k->match) {
            tp += k->close_or_better;
            pos += k->total;
        } else {
            fp += k->close_or_better;
            neg += k->total;
        }
    }
    double recall = (double)tp / (double)pos, precision = (double)tp / (double)(tp + fp);
    printf("\nmatching pairs %zu, non-matching pairs %zu\n", pos, neg);
    printf("close-or-better: recall %.4f, precision %.4f (target: recall >= 0.98 at precision "
           ">= 0.99)\n",
           recall, precision);
    printf("false-positive rate on non-matching pairs: %.4f\n", (double)fp / (double)neg);
    printf("(similar surnames skipped because the source pairs them as one surname: %zu)\n",
           linked_by_source);

    for (size_t i = 0; i < nsurnames; i++)
        rz_name_free(prepared[i]);
    free(prepared);
    free(dm);
    for (size_t i = 0; i < 4; i++)
        rz_translit_close(uk_tr[i]);
    for (size_t i = 0; i < 6; i++)
        rz_translit_close(ru_tr[i]);
    rz_name_ctx_close(ctx);
    return 0;
}
