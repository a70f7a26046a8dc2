/*
 * place.c: places prepared for comparison. A place is written many ways ("м. Бахмут,
 * Донецька обл.", "Bakhmut", "г. Бахмут"); the settlement word is found by skipping
 * settlement-type words and region words, and prepared like a surname by the names engine, so
 * that scripts and transliteration standards fold together.
 */
#include "rozshuk/compare.h"
#include "rozshuk/similarity.h"

#include <string.h>

#define PLACE_TEXT_MAX  500 /* bytes of a place as written (the person table's cap) */
#define PLACE_WORDS_MAX 16

/* Settlement-type words and abbreviations, compared case-sensitively in the forms written. */
static const char *const TYPE_WORDS[] = {
    "м",        "М",       "місто",   "Місто",   "мiсто",  "г",       "Г",       "город",
    "Город",    "с",       "С",       "село",    "Село",   "смт",     "СМТ",     "пгт",
    "ПГТ",      "сел",     "селище",  "Селище",  "пос",    "посёлок", "поселок", "Поселок",
    "хутір",    "х",       "city",    "City",    "town",   "Town",    "village", "Village",
    "m",        "s",       "smt",     "g",       "vil",    "the",     "of",      "near",
    "біля",     "поблизу", "район",   "Район",   "р-н",    "region",  "Region",  "district",
    "District", "обл",     "область", "Область", "oblast", "Oblast",  "Ukraine", "Україна",
    "Украина",  "ukraine"};

/* Words that make the word before them a region, not the settlement. */
static const char *const REGION_WORDS[] = {"обл",      "область",  "Область", "oblast", "Oblast",
                                           "region",   "Region",   "район",   "Район",  "р-н",
                                           "district", "District", "raion",   "rayon"};

static bool in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

static bool is_sep(char c)
{
    return c == ' ' || c == ',' || c == '.' || c == ';' || c == '(' || c == ')' || c == '\t' ||
           c == '/' || c == '"';
}

rz_status rz_place_prepare(const rz_name_ctx *ctx, const char *text, rz_place *out, rz_error *err)
{
    out->key[0] = '\0';
    if (text == NULL)
        return RZ_OK;
    size_t len = strlen(text);
    if (len > PLACE_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "place longer than %d bytes", PLACE_TEXT_MAX);
    char buf[PLACE_TEXT_MAX + 1];
    memcpy(buf, text, len + 1);
    char *words[PLACE_WORDS_MAX];
    size_t nw = 0;
    for (size_t i = 0; i < len && nw < PLACE_WORDS_MAX;) {
        while (i < len && is_sep(buf[i]))
            buf[i++] = '\0';
        if (i >= len)
            break;
        words[nw++] = buf + i;
        while (i < len && !is_sep(buf[i]))
            i++;
    }
    const char *settlement = NULL;
    for (size_t i = 0; i < nw && !settlement; i++) {
        if (in_list(words[i], TYPE_WORDS, sizeof TYPE_WORDS / sizeof TYPE_WORDS[0]))
            continue;
        if (i + 1 < nw &&
            in_list(words[i + 1], REGION_WORDS, sizeof REGION_WORDS / sizeof REGION_WORDS[0]))
            continue;
        settlement = words[i];
    }
    if (settlement == NULL)
        return RZ_OK;
    rz_name *n = NULL;
    rz_status s = rz_name_from_parts(ctx, settlement, NULL, NULL, &n, err);
    if (s == RZ_EEMPTY) {
        rz_error_clear(err);
        return RZ_OK;
    }
    if (s != RZ_OK)
        return s;
    const char *skel = rz_name_skeleton(n, RZ_PART_SURNAME);
    if (skel && strlen(skel) < sizeof out->key)
        memcpy(out->key, skel, strlen(skel) + 1);
    rz_name_free(n);
    return RZ_OK;
}

/* ---- places ---------------------------------------------------------------------------- */

rz_place_level rz_compare_place(const rz_place *a, const rz_place *b)
{
    if (a == NULL || b == NULL || a->key[0] == '\0' || b->key[0] == '\0')
        return RZ_PLACE_MISSING;
    if (strcmp(a->key, b->key) == 0)
        return RZ_PLACE_SAME;
    double jw = 0.0;
    if (rz_jaro_winkler_utf8(a->key, b->key, &jw, NULL) == RZ_OK && jw >= 0.9)
        return RZ_PLACE_CLOSE;
    return RZ_PLACE_FAR;
}
