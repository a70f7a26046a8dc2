/*
 * keys.c: the blocking and search keys of a prepared name (format RZ_KEY_VERSION):
 *   sur_skel     each skeleton of the surname            klimenko
 *   sur_fold     the same with the gender ending folded  petrov (Петрова, Petrova, Petrow)
 *   sur_dm       Daitch-Mokotoff codes of sur_fold, all branches; for Latin that may be ISO 9
 *                without diacritics also those of its plain skeleton (Scerbak: as Щербак)
 *   given_canon  the canonical given name                oleksandr (Саша, Aleksandr, Alexander);
 *                for a given name that is no dictionary form, the names one typing error
 *                away (Aleksndr: oleksandr)
 *   given_skel   each skeleton of the given name (also when it is not in the dictionary)
 *   given_dm     Daitch-Mokotoff codes of the given name's first skeleton
 *   patr_canon   the base name of the patronymic          ivan (Іванович, Ивановна, Ivanovych)
 *   word_skel    the first skeleton of every word of the surname and the given name, so that
 *                a name parsed in the wrong order still meets its match
 * The other surname (maiden or former: Іваненко (дів. Петренко)) gives the surname's kinds as
 * the surname does; each part of a double surname (Петренко-Іваненко) its sur_fold and sur_dm,
 * so that the name meets a record under one of the parts.
 */
#include "names/names_internal.h"

#include <string.h>

#define MAX_EMITTED 64

typedef struct emitter {
    rz_name_key_fn fn;
    void *user;
    size_t n;
    char seen[MAX_EMITTED][2 * RZ__SKEL_MAX + 16];
} emitter;

static void emit(emitter *e, const char *kind, const char *key)
{
    if (key[0] == '\0')
        return;
    char both[2 * RZ__SKEL_MAX + 16];
    size_t lk = strlen(kind), lv = strlen(key);
    if (lk + 1 + lv + 1 > sizeof both)
        return;
    memcpy(both, kind, lk);
    both[lk] = '\t';
    memcpy(both + lk + 1, key, lv + 1);
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->seen[i], both) == 0)
            return;
    if (e->n < MAX_EMITTED)
        memcpy(e->seen[e->n++], both, lk + lv + 2);
    e->fn(kind, key, e->user);
}

static void to_skel(const uint8_t *s, size_t len, rz__skel *out)
{
    out->len = (uint8_t)(len > RZ__SKEL_MAX ? RZ__SKEL_MAX : len);
    memcpy(out->s, s, out->len);
}

static void emit_dm(emitter *e, const char *kind, const char *rendered)
{
    char codes[8][7];
    size_t n = rz__dm_soundex(rendered, codes, 8);
    for (size_t i = 0; i < n; i++)
        emit(e, kind, codes[i]);
}

static void emit_words(emitter *e, const rz__part *p)
{
    size_t start = 0, len = p->skel_len[0];
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p->skel[0][i] != ' ')
            continue;
        rz__skel w;
        char text[2 * RZ__SKEL_MAX + 1];
        to_skel(p->skel[0] + start, i - start, &w);
        rz__skeleton_render(&w, text, sizeof text);
        emit(e, "word_skel", text);
        start = i + 1;
    }
}

/* sur_fold and sur_dm of each word of a double surname's first skeleton (folded one by one:
 * Petrenko-Ivanova gives ivanov). */
static void emit_double_parts(emitter *e, const rz__part *p)
{
    size_t start = 0, len = p->skel_len[0];
    char text[2 * RZ__SKEL_MAX + 1];
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p->skel[0][i] != ' ')
            continue;
        rz__skel w;
        to_skel(p->skel[0] + start, i - start, &w);
        start = i + 1;
        if (w.len < 3)
            continue;
        rz__skeleton_fold_gender(&w);
        rz__skeleton_render(&w, text, sizeof text);
        emit(e, "sur_fold", text);
        emit_dm(e, "sur_dm", text);
    }
}

/* The surname kinds of one surname (the surname or the other surname). */
static void emit_surname(emitter *e, const rz__part *s)
{
    if (s == NULL || !s->present || s->initial)
        return;
    char text[2 * RZ__SKEL_MAX + 1];
    for (size_t v = 0; v < s->nskel; v++) {
        rz__skel sk;
        to_skel(s->skel[v], s->skel_len[v], &sk);
        rz__skeleton_render(&sk, text, sizeof text);
        emit(e, "sur_skel", text);
        rz__skeleton_fold_gender(&sk);
        rz__skeleton_render(&sk, text, sizeof text);
        emit(e, "sur_fold", text);
        emit_dm(e, "sur_dm", text);
        if (s->plain_latin) { /* Scerbak meets Щербак: the codes of its plain reading */
            rz__skeleton_plain(sk.s, sk.len, &sk);
            rz__skeleton_render(&sk, text, sizeof text);
            emit_dm(e, "sur_dm", text);
        }
    }
    if (s->hyphen) /* a double surname */
        emit_double_parts(e, s);
    emit_words(e, s);
}

void rz_name_keys(const rz_name *name, rz_name_key_fn fn, void *user)
{
    if (name == NULL || fn == NULL)
        return;
    emitter e; /* 13 KiB on the stack */
    e.fn = fn;
    e.user = user;
    e.n = 0;
    char text[2 * RZ__SKEL_MAX + 1];
    emit_surname(&e, &name->part[RZ_PART_SURNAME]);
    emit_surname(&e, name->other);
    const rz__part *g = &name->part[RZ_PART_GIVEN];
    if (g->present && !g->initial) {
        if (g->canon >= 0)
            emit(&e, "given_canon", name->ctx->given[g->canon].canonical);
        for (size_t k = 0; k < RZ__NEAR_MAX && g->canon < 0; k++) /* Aleksndr: oleksandr */
            if (name->given_near[k] >= 0)
                emit(&e, "given_canon", name->ctx->given[name->given_near[k]].canonical);
        for (size_t v = 0; v < g->nskel; v++) {
            rz__skel sk;
            to_skel(g->skel[v], g->skel_len[v], &sk);
            rz__skeleton_render(&sk, text, sizeof text);
            emit(&e, "given_skel", text);
            if (v == 0)
                emit_dm(&e, "given_dm", text);
        }
        emit_words(&e, g);
    }
    const rz__part *p = &name->part[RZ_PART_PATRONYMIC];
    if (p->present && p->canon >= 0)
        emit(&e, "patr_canon", name->ctx->given[p->canon].canonical);
}
