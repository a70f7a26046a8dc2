/*
 * gen_romanize.c: Latin renderings of Cyrillic names for the generator (see gen_romanize.h).
 */
#include "gen_romanize.h"

#include "gen_core.h"

#include "rozshuk/translit.h"

#include <stdlib.h>
#include <string.h>

/* Lower-case Cyrillic letter -> Latin, per language; NULL entries drop the letter. */
typedef struct letter {
    uint32_t cyr;
    const char *uk, *ru;
} letter;

static const letter letters[] = {
    {0x430, "a", "a"},   {0x431, "b", "b"},   {0x432, "v", "v"},       {0x433, "h", "g"},
    {0x491, "g", "g"},   {0x434, "d", "d"},   {0x435, "e", "e"},       {0x454, "ie", "ie"},
    {0x451, "e", "e"},   {0x436, "zh", "zh"}, {0x437, "z", "z"},       {0x438, "y", "i"},
    {0x456, "i", "i"},   {0x457, "i", "i"},   {0x439, "i", "i"},       {0x43A, "k", "k"},
    {0x43B, "l", "l"},   {0x43C, "m", "m"},   {0x43D, "n", "n"},       {0x43E, "o", "o"},
    {0x43F, "p", "p"},   {0x440, "r", "r"},   {0x441, "s", "s"},       {0x442, "t", "t"},
    {0x443, "u", "u"},   {0x444, "f", "f"},   {0x445, "kh", "kh"},     {0x446, "ts", "ts"},
    {0x447, "ch", "ch"}, {0x448, "sh", "sh"}, {0x449, "shch", "shch"}, {0x44A, "", "ie"},
    {0x44B, "y", "y"},   {0x44C, "", ""},     {0x44D, "e", "e"},       {0x44E, "iu", "iu"},
    {0x44F, "ia", "ia"}, {'\'', "", ""},      {0x2019, "", ""},
};

static const char *latin_of(uint32_t lower, bool russian)
{
    for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
        if (letters[i].cyr == lower)
            return russian ? letters[i].ru : letters[i].uk;
    return NULL;
}

static uint32_t lower_cp(uint32_t c)
{
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c == 0x490)
        return 0x491;
    return c;
}

bool gen_romanize_basic(const char *text, bool russian, char *out, size_t cap)
{
    uint32_t cp[GEN_TEXT_MAX];
    size_t n, k = 0;
    if (!gen_utf8_decode(text, cp, GEN_TEXT_MAX, &n) || cap == 0)
        return false;
    bool word_start = true;
    for (size_t i = 0; i < n; i++) {
        uint32_t lo = lower_cp(cp[i]);
        const char *lat = latin_of(lo, russian);
        char buf[8];
        if (!lat) {
            uint32_t one = cp[i];
            if (!gen_utf8_encode(&one, 1, buf, sizeof buf))
                return false;
            lat = buf;
        }
        size_t len = strlen(lat);
        if (k + len + 1 > cap)
            return false;
        memcpy(out + k, lat, len);
        if (len > 0 && lo != cp[i] && out[k] >= 'a' && out[k] <= 'z')
            out[k] = (char)(out[k] - 0x20); /* a capital stays a capital */
        k += len;
        word_start = cp[i] == ' ' || cp[i] == '-';
    }
    (void)word_start;
    out[k] = '\0';
    return true;
}

#define MAX_SCHEMES 16

/* The schemes of one language, opened once: Ukrainian names under the Ukrainian standards,
 * Russian names under the Russian ones. */
typedef struct scheme_set {
    size_t count;
    rz_translit *tr[MAX_SCHEMES];
    const char *name[MAX_SCHEMES];
} scheme_set;

struct gen_romanizer {
    bool builtin;
    scheme_set lang[2]; /* [0] uk, [1] ru */
};

rz_status gen_romanizer_open(bool builtin, gen_romanizer **out, rz_error *err)
{
    gen_romanizer *g = calloc(1, sizeof *g);
    if (!g)
        return rz_error_set(err, RZ_ENOMEM, "out of memory");
    g->builtin = builtin;
    for (size_t i = 0; !builtin && i < rz_translit_scheme_count(); i++) {
        const char *lang = rz_translit_scheme_lang(i);
        int which = strcmp(lang, "uk") == 0 ? 0 : strcmp(lang, "ru") == 0 ? 1 : -1;
        if (which < 0 || g->lang[which].count == MAX_SCHEMES)
            continue;
        scheme_set *set = &g->lang[which];
        rz_status st = rz_translit_open(rz_translit_scheme_name(i), &set->tr[set->count], err);
        if (st != RZ_OK) {
            gen_romanizer_close(g);
            return st;
        }
        set->name[set->count++] = rz_translit_scheme_name(i);
    }
    if (!builtin && (g->lang[0].count == 0 || g->lang[1].count == 0))
        g->builtin = true; /* no schemes for a language: fall back to the letter table */
    *out = g;
    return RZ_OK;
}

void gen_romanizer_close(gen_romanizer *g)
{
    if (!g)
        return;
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < g->lang[l].count; i++)
            rz_translit_close(g->lang[l].tr[i]);
    free(g);
}

size_t gen_romanizer_count(const gen_romanizer *g, bool russian)
{
    return g->builtin ? 1 : g->lang[russian ? 1 : 0].count;
}

const char *gen_romanizer_name(const gen_romanizer *g, bool russian, size_t i)
{
    if (g->builtin || i >= g->lang[russian ? 1 : 0].count)
        return russian ? "gen-basic-ru" : "gen-basic-uk";
    return g->lang[russian ? 1 : 0].name[i];
}

rz_status gen_romanizer_apply(gen_romanizer *g, bool russian, size_t i, const char *text, char *out,
                              size_t cap, rz_error *err)
{
    const scheme_set *set = &g->lang[russian ? 1 : 0];
    if (g->builtin || i >= set->count) {
        if (!gen_romanize_basic(text, russian, out, cap))
            return rz_error_set(err, RZ_ETOOLONG, "name too long to romanize");
        return RZ_OK;
    }
    char *lat = NULL;
    rz_status st = rz_translit_apply(set->tr[i], text, &lat, err);
    if (st != RZ_OK)
        return st;
    size_t n = strlen(lat);
    if (n + 1 > cap) {
        free(lat);
        return rz_error_set(err, RZ_ETOOLONG, "romanized name too long");
    }
    memcpy(out, lat, n + 1);
    free(lat);
    return RZ_OK;
}
