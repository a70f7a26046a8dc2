/* translit_vectors.c: loading and mapping the authority transliteration vectors. */
#include "translit_vectors.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* interscript system ids and the scheme that implements each (NULL: none, with the reason). */
static const struct {
    const char *system;
    const char *scheme;
    const char *why;
} system_map[] = {
    {"ua-ukr-Cyrl-Latn-2010", "uk-kmu-2010", NULL},
    /* In 2019 BGN and PCGN adopted the Ukrainian national system of 2010. */
    {"bgnpcgn-ukr-Cyrl-Latn-2019", "uk-kmu-2010", NULL},
    {"ua-ukr-Cyrl-Latn-2007", "uk-passport-2007", NULL},
    {"ua-ukr-Cyrl-Latn-1996", "uk-passport-1996", NULL},
    {"bgnpcgn-ukr-Cyrl-Latn-1965", "uk-bgn-pcgn", NULL},
    {"bgnpcgn-rus-Cyrl-Latn-1947", "ru-bgn-pcgn", NULL},
    /* These vectors are GOST 7.79-2000 system A, which is ISO 9:1995 (ŝ, û, â, è). */
    {"gost-rus-Cyrl-Latn-7.79-2000-2002", "ru-iso-9", NULL},
    {"by-bel-Cyrl-Latn-2007", "be-national", NULL},
    {"bgnpcgn-bel-Cyrl-Latn-1979", "be-bgn-pcgn", NULL},
    {"gost-rus-Cyrl-Latn-16876-71-1983", NULL,
     "GOST 16876-71 (щ šč) is not a built-in scheme; its successor ISO 9 is"},
    {"mvd-rus-Cyrl-Latn-2008", NULL,
     "a Russian MVD table (Adjutantov, ĺ) that matches none of the passport rules"},
    {"mvd-rus-Cyrl-Latn-2010", NULL,
     "an MVD table (Adjutantov) that is not the FMS 2010 passport table (ts as tc, iu)"},
    {"icao-bel-Cyrl-Latn-9303", "be-icao-9303", NULL},
    /* The Belarusian MVD 2010 passport table is the ICAO one (Aliaksandr, Mikhail). */
    {"mvd-bel-Cyrl-Latn-2010", "be-icao-9303", NULL},
    {"mvd-bel-Cyrl-Latn-2008", NULL,
     "Belarusian MVD 2008 table (Jeva, Vasiĺjeva, ŭ as w): no built-in scheme"},
    /* standards-tables.tsv: written for rozshuk from the standards' own tables */
    {"icao-rus-Cyrl-Latn-9303", "ru-icao-9303", NULL},
    {"fms-rus-Cyrl-Latn-2010", "ru-passport-2010", NULL},
    {"mvd-rus-Cyrl-Latn-1997", "ru-passport-1997", NULL},
    {"gost-rus-Cyrl-Latn-7.79-2000-B", "ru-gost-7.79-b", NULL},
};

/*
 * Vectors that are wrong according to the standard they claim to follow. Our rendering
 * follows the standard and differs from them; the tests check that they still differ, so the
 * list stays honest.
 */
static const struct {
    const char *system;
    const char *source_prefix;
    const char *reason;
} known_wrong[] = {
    /* ISO 9:1995 (and GOST 7.79-2000 system A) render ъ as ʺ U+02BA and ь as ʹ U+02B9; the
     * vectors use an ASCII double quote and the acute accent ´ U+00B4. */
    {"gost-rus-Cyrl-Latn-7.79-2000-2002", "съезд",
     "ISO 9 renders ъ as U+02BA (ʺ), the vector as ASCII \""},
    {"gost-rus-Cyrl-Latn-7.79-2000-2002", "альбом",
     "ISO 9 renders ь as U+02B9 (ʹ), the vector as U+00B4 (´)"},
    /* BGN/PCGN 1947 renders ъ as ” (U+201D, as the vectors' own ь ’ U+2019); the vector has
     * an ASCII double quote in "ob\"yedinennaya". */
    {"bgnpcgn-rus-Cyrl-Latn-1947", "Выборы депутатов",
     "BGN/PCGN renders ъ as U+201D (”), the vector as ASCII \" (объединенная)"},
};

const char *rzv_scheme_for(const char *system, const char **why_unmapped)
{
    for (size_t i = 0; i < sizeof system_map / sizeof system_map[0]; i++)
        if (strcmp(system_map[i].system, system) == 0) {
            if (why_unmapped != NULL)
                *why_unmapped = system_map[i].why;
            return system_map[i].scheme;
        }
    if (why_unmapped != NULL)
        *why_unmapped = "unknown system id";
    return NULL;
}

const char *rzv_known_wrong(const rzv_vector *v)
{
    for (size_t i = 0; i < sizeof known_wrong / sizeof known_wrong[0]; i++)
        if (strcmp(known_wrong[i].system, v->system) == 0 &&
            strncmp(v->source, known_wrong[i].source_prefix,
                    strlen(known_wrong[i].source_prefix)) == 0)
            return known_wrong[i].reason;
    return NULL;
}

const char *rzv_default_dir(char *buf, size_t cap)
{
    const char *root = getenv("ROZSHUK_SOURCE_ROOT");
    snprintf(buf, cap, "%s%stests/data/translit", root ? root : "", root ? "/" : "");
    return buf;
}

static int add(rzv_list *l, size_t *cap, const char *set, const char *system, char *source,
               char *expected)
{
    if (l->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        rzv_vector *p = realloc(l->items, ncap * sizeof *p);
        if (p == NULL)
            return -1;
        l->items = p;
        *cap = ncap;
    }
    rzv_vector *v = &l->items[l->count++];
    v->set = set;
    v->system = system;
    v->scheme = rzv_scheme_for(system, NULL);
    v->source = source;
    v->expected = expected;
    return 0;
}

/* Undoes the TSV escapes of the interscript export (\n \t \" \\) in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1] != '\0') {
            r++;
            *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* The system ids live as long as the program: keep one copy of each. */
static const char *intern_system(const char *s)
{
    for (size_t i = 0; i < sizeof system_map / sizeof system_map[0]; i++)
        if (strcmp(system_map[i].system, s) == 0)
            return system_map[i].system;
    return NULL;
}

/* A TSV of `system, source, expected` after a header line; lines starting with # are
 * comments (standards-tables.tsv names its sources in them). */
static int load_tsv(const char *path, const char *set, rzv_list *l, size_t *cap, char *errbuf,
                    size_t ecap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(errbuf, ecap, "cannot open %s", path);
        return -1;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    int rc = 0;
    unsigned long lineno = 0;
    while ((n = getline(&line, &lcap, f)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (lineno == 1 || n == 0 || line[0] == '#')
            continue; /* header, blank line or comment */
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t2 == NULL) {
            snprintf(errbuf, ecap, "%s:%lu: expected 3 tab-separated fields", path, lineno);
            rc = -1;
            break;
        }
        *t1 = *t2 = '\0';
        const char *system = intern_system(line);
        if (system == NULL) {
            snprintf(errbuf, ecap, "%s:%lu: unknown system '%s'", path, lineno, line);
            rc = -1;
            break;
        }
        char *src = strdup(t1 + 1), *exp = strdup(t2 + 1);
        if (src == NULL || exp == NULL || add(l, cap, set, system, src, exp) != 0) {
            free(src);
            free(exp);
            snprintf(errbuf, ecap, "out of memory");
            rc = -1;
            break;
        }
        unescape(src);
        unescape(exp);
    }
    free(line);
    fclose(f);
    return rc;
}

static int load_uklatn(const char *path, rzv_list *l, size_t *cap, char *errbuf, size_t ecap)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) {
        snprintf(errbuf, ecap, "%s:%d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *item;
    json_array_foreach(root, i, item)
    {
        const char *test = json_string_value(json_object_get(item, "test"));
        const char *cyr = json_string_value(json_object_get(item, "cyr"));
        const char *lat = json_string_value(json_object_get(item, "lat"));
        if (test == NULL || cyr == NULL || lat == NULL || strcmp(test, "cyr > lat") != 0)
            continue;
        char *src = strdup(cyr), *exp = strdup(lat);
        if (src == NULL || exp == NULL || add(l, cap, "uklatn", "uklatn-KMU_55", src, exp) != 0) {
            free(src);
            free(exp);
            snprintf(errbuf, ecap, "out of memory");
            rc = -1;
            break;
        }
        l->items[l->count - 1].scheme = "uk-kmu-2010";
    }
    json_decref(root);
    return rc;
}

int rzv_load(const char *dir, rzv_list *out, char *errbuf, size_t ecap)
{
    char path[4096];
    size_t cap = 0;
    out->items = NULL;
    out->count = 0;
    snprintf(path, sizeof path, "%s/interscript-tests.tsv", dir);
    if (load_tsv(path, "interscript", out, &cap, errbuf, ecap) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/standards-tables.tsv", dir);
    if (load_tsv(path, "standards", out, &cap, errbuf, ecap) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/uklatn-test_KMU_55.json", dir);
    if (load_uklatn(path, out, &cap, errbuf, ecap) != 0)
        goto fail;
    return 0;
fail:
    rzv_free(out);
    return -1;
}

void rzv_free(rzv_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].source);
        free(list->items[i].expected);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
