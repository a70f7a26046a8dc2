/*
 * dict.c: the given-name dictionary (data/names/given_names.tsv, compiled in; see data/NOTICE)
 * as a hash table from skeleton keys to names: every form and its Latin skeleton variants,
 * diminutives, and the stems patronymics are made from (Олександр -> Олександрович,
 * Олексій -> Олексійович/Олексіївна, Микола -> Миколайович, Алексей -> Алексеевич);
 * and, for typing errors, every form's skeleton with one sound left out (rz__dict_near_names).
 */
#include "names/names_internal.h"
#include "text/text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

extern const char rz__given_names_tsv[];

static uint32_t hash_key(int kind, const uint8_t *key, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t)kind; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= key[i];
        h *= 16777619u;
    }
    return h;
}

int32_t rz__dict_find(const rz_name_ctx *ctx, int kind, const uint8_t *key, size_t len)
{
    uint32_t h = hash_key(kind, key, len);
    for (size_t i = h & (ctx->nslots - 1);; i = (i + 1) & (ctx->nslots - 1)) {
        const rz__dict_slot *s = &ctx->slots[i];
        if (s->given < 0)
            return -1;
        if (s->hash == h && s->kind == kind && s->len == len && memcmp(s->key, key, len) == 0)
            return s->given;
    }
}

/*
 * Doubles the table when it is half full. The table starts small: the dictionary's ~1,400
 * keys fill 4,096 slots of ~100 bytes (0.4 MB); a fixed 32,768 slots meant initialising
 * 3.5 MB at every process start, most of the time `rozshuk search` spent opening the
 * names engine (the page faults of a fresh process). Returns false when out of memory.
 */
static bool grow(rz_name_ctx *ctx)
{
    size_t n = ctx->nslots * 2;
    rz__dict_slot *slots = malloc(n * sizeof *slots);
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        slots[i].given = -1;
    for (size_t j = 0; j < ctx->nslots; j++) {
        const rz__dict_slot *s = &ctx->slots[j];
        if (s->given < 0)
            continue;
        size_t i = s->hash & (n - 1);
        while (slots[i].given >= 0)
            i = (i + 1) & (n - 1);
        slots[i] = *s;
    }
    free(ctx->slots);
    ctx->slots = slots;
    ctx->nslots = n;
    return true;
}

/* Inserts (kind, key) -> given; an existing key keeps the entry with the better priority
 * (lower number), then the earlier one (the file lists common names first). */
static void put(rz_name_ctx *ctx, int kind, const uint8_t *key, size_t len, int32_t given,
                uint8_t prio, size_t *used)
{
    if (len == 0 || len > RZ__SKEL_MAX)
        return;
    if ((*used + 1) * 2 > ctx->nslots && !grow(ctx)) {
        ctx->oom = true;
        return;
    }
    uint32_t h = hash_key(kind, key, len);
    for (size_t i = h & (ctx->nslots - 1);; i = (i + 1) & (ctx->nslots - 1)) {
        rz__dict_slot *s = &ctx->slots[i];
        if (s->given < 0) {
            *s = (rz__dict_slot){.hash = h,
                                 .given = given,
                                 .kind = (uint8_t)kind,
                                 .len = (uint8_t)len,
                                 .prio = prio};
            memcpy(s->key, key, len);
            (*used)++;
            return;
        }
        if (s->hash == h && s->kind == kind && s->len == len && memcmp(s->key, key, len) == 0) {
            if (prio < s->prio) {
                s->given = given;
                s->prio = prio;
            }
            return;
        }
    }
}

/* ---- forms with one sound left out (typing errors of dictionary names) --------------------- */

enum { NEAR_KIND = 4, NEAR_MIN = 4 }; /* forms of 4 sounds or more: Іван, not Ян */

static bool near_grow(rz_name_ctx *ctx)
{
    size_t n = ctx->nnear ? ctx->nnear * 2 : 1 << 13;
    rz__dict_near *t = malloc(n * sizeof *t);
    if (t == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        t[i].given = -1;
    for (size_t j = 0; j < ctx->nnear; j++) {
        if (ctx->near[j].given < 0)
            continue;
        size_t i = ctx->near[j].hash & (n - 1);
        while (t[i].given >= 0)
            i = (i + 1) & (n - 1);
        t[i] = ctx->near[j];
    }
    free(ctx->near);
    ctx->near = t;
    ctx->nnear = n;
    return true;
}

/* Adds (hash, given) unless it is there: one hash may lead to several names. */
static void near_put(rz_name_ctx *ctx, uint32_t h, int32_t given)
{
    if ((ctx->near_used + 1) * 2 > ctx->nnear && !near_grow(ctx)) {
        ctx->oom = true;
        return;
    }
    size_t i = h & (ctx->nnear - 1);
    for (; ctx->near[i].given >= 0; i = (i + 1) & (ctx->nnear - 1))
        if (ctx->near[i].hash == h && ctx->near[i].given == given)
            return;
    ctx->near[i] = (rz__dict_near){.hash = h, .given = given};
    ctx->near_used++;
}

/* The skeleton without the symbol at `at`. */
static size_t without(const uint8_t *s, size_t len, size_t at, uint8_t *out)
{
    memcpy(out, s, at);
    memcpy(out + at, s + at + 1, len - at - 1);
    return len - 1;
}

/* Puts every one-symbol deletion of a form's skeleton. */
static void near_put_form(rz_name_ctx *ctx, const rz__skel *sk, int32_t given)
{
    if (sk->len < NEAR_MIN || memchr(sk->s, ' ', sk->len) != NULL)
        return;
    uint8_t d[RZ__SKEL_MAX];
    for (size_t at = 0; at < sk->len; at++) {
        size_t n = without(sk->s, sk->len, at, d);
        near_put(ctx, hash_key(NEAR_KIND, d, n), given);
    }
}

/* Adds the names stored under `key`'s hash to out[0..*n), distinct, up to cap. */
static void near_collect(const rz_name_ctx *ctx, const uint8_t *key, size_t len, int32_t *out,
                         size_t cap, size_t *n)
{
    if (ctx->nnear == 0)
        return;
    uint32_t h = hash_key(NEAR_KIND, key, len);
    for (size_t i = h & (ctx->nnear - 1); ctx->near[i].given >= 0 && *n < cap;
         i = (i + 1) & (ctx->nnear - 1))
        if (ctx->near[i].hash == h)
            for (size_t k = 0;; k++) {
                if (k == *n) {
                    out[(*n)++] = ctx->near[i].given;
                    break;
                }
                if (out[k] == ctx->near[i].given)
                    break;
            }
}

static void add_distinct(int32_t g, int32_t *out, size_t cap, size_t *n)
{
    for (size_t k = 0; k < *n; k++)
        if (out[k] == g)
            return;
    if (*n < cap)
        out[(*n)++] = g;
}

/*
 * One edit in the sense of a deletion dictionary (Garbe's SymSpell): a key one edit from a
 * form has the form's deletions among its own deletions or is one of them. The key is a form
 * less one sound (near table), a form with one sound more (one of its deletions is a form),
 * or a form with one sound replaced or two swapped (a deletion of each agrees). 2n + 1
 * lookups for a key of n sounds.
 */
size_t rz__dict_near_names(const rz_name_ctx *ctx, const uint8_t *key, size_t len, int32_t *out,
                           size_t cap)
{
    size_t n = 0;
    if (len < NEAR_MIN - 1 || len > RZ__SKEL_MAX || memchr(key, ' ', len) != NULL)
        return 0;
    near_collect(ctx, key, len, out, cap, &n);
    uint8_t d[RZ__SKEL_MAX];
    for (size_t at = 0; at < len && len >= NEAR_MIN; at++) {
        size_t dn = without(key, len, at, d);
        int32_t g = rz__dict_find(ctx, RZ__DICT_FORM, d, dn);
        if (g >= 0)
            add_distinct(g, out, cap, &n);
        near_collect(ctx, d, dn, out, cap, &n);
    }
    return n;
}

static bool vowel(uint8_t c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The stems a patronymic of this name can have (see the top of this file). */
static void put_stems(rz_name_ctx *ctx, const rz__skel *sk, int32_t g, size_t *used)
{
    size_t n = sk->len;
    put(ctx, RZ__DICT_STEM, sk->s, n, g, 0, used);
    if (n > 3 && vowel(sk->s[n - 1]))
        put(ctx, RZ__DICT_STEM, sk->s, n - 1, g, 1, used);
    if (n > 4 && sk->s[n - 1] == 'i' && vowel(sk->s[n - 2]))
        put(ctx, RZ__DICT_STEM, sk->s, n - 2, g, 1, used);
    if (n > 4 && sk->s[n - 1] == 'a' && sk->s[n - 2] == 'i')
        put(ctx, RZ__DICT_STEM, sk->s, n - 2, g, 2, used);
}

/* Adds every skeleton variant of one form (a word or two). */
static void put_form(rz_name_ctx *ctx, const char *form, int kind, int32_t g, uint8_t prio,
                     bool stems, size_t *used)
{
    rz__cleaned *c = malloc(sizeof *c);
    if (c == NULL) {
        ctx->oom = true;
        return;
    }
    if (rz__text_clean(form, strlen(form), c, NULL) == RZ_OK && c->ntok == 1) {
        rz__skel sk[RZ__SKEL_VARIANTS];
        size_t nv = rz__skeleton_word(c->cp + c->tok[0].start, c->tok[0].len, sk);
        for (size_t v = 0; v < nv; v++) {
            put(ctx, kind, sk[v].s, sk[v].len, g, prio, used);
            if (stems)
                put_stems(ctx, &sk[v], g, used);
            if (kind == RZ__DICT_FORM)
                near_put_form(ctx, &sk[v], g);
        }
    }
    free(c);
}

/* Splits `s` at `sep` in place; returns the next field or NULL. */
static char *field(char **s, char sep)
{
    if (*s == NULL)
        return NULL;
    char *start = *s, *end = strchr(start, sep);
    if (end) {
        *end = '\0';
        *s = end + 1;
    } else {
        *s = NULL;
    }
    return start;
}

/* Whether y is the feminine of x: oleksandr/oleksandra, ivan/ivanna, stanislav/stanislava,
 * yulii/yuliia. */
static bool feminine_of(const char *x, const char *y)
{
    size_t lx = strlen(x);
    if (strncmp(x, y, lx) != 0)
        return lx > 1 && x[lx - 1] == 'i' && strncmp(x, y, lx - 1) == 0 &&
               strcmp(y + lx - 1, "ia") == 0;
    return strcmp(y + lx, "a") == 0 || strcmp(y + lx, "na") == 0 || strcmp(y + lx, "ia") == 0;
}

/* Links each masculine name to its feminine form and back. */
static void link_sexes(rz_name_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ngiven; i++)
        ctx->given[i].other_sex = -1;
    for (size_t i = 0; i < ctx->ngiven; i++)
        for (size_t j = 0; j < ctx->ngiven; j++)
            if (ctx->given[i].sex == 'm' && ctx->given[j].sex == 'f' &&
                feminine_of(ctx->given[i].canonical, ctx->given[j].canonical)) {
                ctx->given[i].other_sex = (int32_t)j;
                ctx->given[j].other_sex = (int32_t)i;
            }
}

rz_status rz_name_ctx_open(rz_name_ctx **out, rz_error *err)
{
    *out = NULL;
    rz_name_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening the names engine");
    size_t lines = 0;
    for (const char *p = rz__given_names_tsv; *p; p++)
        lines += *p == '\n';
    ctx->text = strdup(rz__given_names_tsv);
    ctx->given = calloc(lines + 1, sizeof *ctx->given);
    ctx->nslots = 1 << 12;
    ctx->slots = malloc(ctx->nslots * sizeof *ctx->slots);
    if (ctx->text == NULL || ctx->given == NULL || ctx->slots == NULL) {
        rz_name_ctx_close(ctx);
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening the names engine");
    }
    for (size_t i = 0; i < ctx->nslots; i++)
        ctx->slots[i].given = -1;
    size_t used = 0;
    char *rest = ctx->text;
    for (char *line = field(&rest, '\n'); line; line = field(&rest, '\n')) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *cols = line;
        char *canonical = field(&cols, '\t'), *sex = field(&cols, '\t');
        char *forms = field(&cols, '\t'), *dims = field(&cols, '\t');
        if (canonical == NULL || sex == NULL || forms == NULL)
            continue;
        int32_t g = (int32_t)ctx->ngiven++;
        ctx->given[g] = (rz__given){.canonical = canonical, .sex = sex[0], .other_sex = -1};
        for (char *f = field(&forms, ','); f; f = field(&forms, ','))
            put_form(ctx, f, RZ__DICT_FORM, g, 0, true, &used);
        for (char *d = field(&dims, ','); d; d = field(&dims, ','))
            put_form(ctx, d, RZ__DICT_DIMINUTIVE, g, 0, false, &used);
    }
    if (ctx->oom) {
        rz_name_ctx_close(ctx);
        return rz_error_set(err, RZ_ENOMEM, "out of memory opening the names engine");
    }
    link_sexes(ctx);
    *out = ctx;
    return RZ_OK;
}

void rz_name_ctx_close(rz_name_ctx *ctx)
{
    if (ctx == NULL)
        return;
    free(ctx->text);
    free(ctx->given);
    free(ctx->slots);
    free(ctx->near);
    free(ctx);
}

size_t rz__patronymic_stem(const uint8_t *s, size_t len, char *sex)
{
    static const struct {
        const char *suffix;
        char sex;
    } SUFFIXES[] = {
        {"iniCna", 'f'}, {"oviC", 'm'}, {"eviC", 'm'}, {"ivna", 'f'},
        {"ovna", 'f'},   {"evna", 'f'}, {"iCna", 'f'}, {"iC", 'm'},
    };
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
        size_t k = strlen(SUFFIXES[i].suffix);
        /* "ic" alone (Ілліч, Кузьмич) only when the dictionary confirms it: caller checks */
        if (len >= k + 2 && memcmp(s + len - k, SUFFIXES[i].suffix, k) == 0) {
            *sex = SUFFIXES[i].sex;
            return len - k;
        }
    }
    return 0;
}
