/*
 * name.c: preparing a name: parts from one full-name string (either order, comma, capitals,
 * patronymic recognition) or from separate fields; per part the clean form, skeleton keys,
 * canonical given name and patronymic base, folded surname; the name's language and sex hint.
 * A prepared name is one allocation (the struct, then its strings and skeletons).
 */
#include "names/names_internal.h"
#include "text/text.h"
#include "text/utf8.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- labels -------------------------------------------------------------------------------- */

const char *rz_script_name(rz_script s)
{
    static const char *const N[] = {"none", "latin", "cyrillic", "mixed", "other"};
    return (size_t)s < sizeof N / sizeof N[0] ? N[s] : "unknown";
}

const char *rz_lang_name(rz_lang l)
{
    static const char *const N[] = {"unknown", "uk", "ru", "be", "cyrillic", "latin"};
    return (size_t)l < sizeof N / sizeof N[0] ? N[l] : "unknown";
}

const char *rz_name_part_label(rz_name_part p)
{
    static const char *const N[] = {"surname", "given", "patronymic"};
    return (size_t)p < sizeof N / sizeof N[0] ? N[p] : "unknown";
}

const char *rz_level_name(rz_level l)
{
    static const char *const N[] = {"missing", "far", "close", "equivalent", "exact"};
    return (size_t)l < sizeof N / sizeof N[0] ? N[l] : "unknown";
}

/* ---- building one part --------------------------------------------------------------------- */

/* A part while the name is being prepared (on the stack). */
typedef struct part_build {
    bool present, initial, via_diminutive;
    rz_script script;
    int32_t canon;
    char sex;
    size_t ntok;
    size_t written_len, clean_len;
    size_t clean_ncp; /* 0 when longer than RZ__SKEL_MAX */
    bool clean_cp_overflow;
    size_t nskel;
    rz__skel folded;
    /* the large buffers last: part_init() clears only what comes before them */
    char written[4 * RZ__CLEAN_CP_MAX + 1];
    char clean[4 * RZ__CLEAN_CP_MAX + 1];
    uint32_t clean_cp[RZ__SKEL_MAX]; /* the clean form as code points, for typing errors */
    rz__skel skel[RZ__SKEL_VARIANTS];
} part_build;

static void parts_init(part_build *parts)
{
    for (int i = 0; i < RZ__PARTS; i++) {
        memset(&parts[i], 0, offsetof(part_build, written));
        parts[i].written[0] = parts[i].clean[0] = '\0';
    }
}

static size_t put_cps(char *out, size_t at, size_t cap, const uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n && at + 4 < cap; i++)
        at += rz__utf8_encode(cp[i], out + at);
    out[at] = '\0';
    return at;
}

static bool skel_eq(const rz__skel *a, const rz__skel *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Appends one word to a part: its written and clean text, and its skeletons combined with
 * those of the words before it (variant v of the part takes variant v of each word, or the
 * word's first when it has fewer). */
static void part_add_word(part_build *p, const rz__cleaned *c, size_t t, const rz__skel *known,
                          size_t nknown)
{
    const rz__token *tok = &c->tok[t];
    if (p->ntok > 0) {
        if (p->written_len + 1 < sizeof p->written)
            p->written[p->written_len++] = ' ';
        if (p->clean_len + 1 < sizeof p->clean)
            p->clean[p->clean_len++] = ' ';
    }
    p->written_len = put_cps(p->written, p->written_len, sizeof p->written, c->raw + tok->raw_start,
                             tok->raw_len);
    p->clean_len = put_cps(p->clean, p->clean_len, sizeof p->clean, c->cp + tok->start, tok->len);
    size_t need = p->clean_ncp + (p->ntok > 0) + tok->len;
    if (need > RZ__SKEL_MAX) {
        p->clean_cp_overflow = true;
    } else if (!p->clean_cp_overflow) {
        if (p->ntok > 0)
            p->clean_cp[p->clean_ncp++] = ' ';
        memcpy(p->clean_cp + p->clean_ncp, c->cp + tok->start, tok->len * sizeof(uint32_t));
        p->clean_ncp += tok->len;
    }
    rz__skel computed[RZ__SKEL_VARIANTS];
    const rz__skel *w = known;
    size_t nw = nknown;
    if (w == NULL) {
        nw = rz__skeleton_word(c->cp + tok->start, tok->len, computed);
        w = computed;
    }
    if (p->ntok == 0) {
        memcpy(p->skel, w, nw * sizeof w[0]);
        p->nskel = nw;
        p->script = tok->script;
    } else {
        size_t n = p->nskel > nw ? p->nskel : nw;
        for (size_t v = 0; v < n; v++) {
            rz__skel *dst = &p->skel[v];
            if (v >= p->nskel)
                *dst = p->skel[0];
            const rz__skel *src = &w[v < nw ? v : 0];
            if ((size_t)dst->len + 1 + src->len <= RZ__SKEL_MAX) {
                dst->s[dst->len++] = ' ';
                memcpy(dst->s + dst->len, src->s, src->len);
                dst->len = (uint8_t)(dst->len + src->len);
            }
        }
        p->nskel = n;
        if (p->script != tok->script)
            p->script = RZ_SCRIPT_MIXED;
    }
    p->initial = p->ntok == 0 && tok->abbreviated;
    p->present = true;
    p->ntok++;
}

/* Removes duplicate skeleton variants (words combined can make them equal). */
static void part_dedupe(part_build *p)
{
    size_t k = 0;
    for (size_t v = 0; v < p->nskel; v++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = skel_eq(&p->skel[j], &p->skel[v]);
        if (!dup)
            p->skel[k++] = p->skel[v];
    }
    p->nskel = k;
}

/* ---- dictionary lookups -------------------------------------------------------------------- */

static int32_t lookup_given(const rz_name_ctx *ctx, const part_build *p, bool *via_dim)
{
    for (int kind = RZ__DICT_FORM; kind <= RZ__DICT_DIMINUTIVE; kind++)
        for (size_t v = 0; v < p->nskel; v++) {
            int32_t g = rz__dict_find(ctx, kind, p->skel[v].s, p->skel[v].len);
            if (g >= 0) {
                *via_dim = kind == RZ__DICT_DIMINUTIVE;
                return g;
            }
        }
    return -1;
}

/* The base name of a patronymic and its sex; -1 when it is not a known name's patronymic. */
static int32_t lookup_patronymic(const rz_name_ctx *ctx, const rz__skel *sk, size_t nsk, char *sex)
{
    for (size_t v = 0; v < nsk; v++) {
        char s = 0;
        size_t stem = rz__patronymic_stem(sk[v].s, sk[v].len, &s);
        if (stem == 0)
            continue;
        int32_t g = rz__dict_find(ctx, RZ__DICT_STEM, sk[v].s, stem);
        if (g >= 0 && ctx->given[g].sex == 'm') {
            *sex = s;
            return g;
        }
    }
    return -1;
}

/* Whether a word looks like a patronymic: a patronymic suffix on a stem of 3 or more, or any
 * patronymic of a known name (Ілліч). */
static bool word_is_patronymic(const rz_name_ctx *ctx, const rz__skel *sk, size_t nsk)
{
    char sex = 0;
    if (lookup_patronymic(ctx, sk, nsk, &sex) >= 0)
        return true;
    size_t stem = rz__patronymic_stem(sk[0].s, sk[0].len, &sex);
    return stem >= 3 && sk[0].len - stem >= 4;
}

static bool ends_with(const rz__skel *sk, const char *suffix)
{
    size_t k = strlen(suffix);
    return sk->len > k + 1 && memcmp(sk->s + sk->len - k, suffix, k) == 0;
}

/* Endings of Ukrainian, Russian, Belarusian and Polish surnames (in skeleton symbols). */
static bool word_looks_like_surname(const rz__skel *sk)
{
    static const char *const ENDINGS[] = {"enko", "uk",  "ak",  "ski", "cki", "zki", "ska",
                                          "cka",  "ov",  "ova", "ev",  "eva", "in",  "ina",
                                          "iC",   "viC", "iS",  "oS",  "ic",  "ko",  "Cuk"};
    for (size_t i = 0; i < sizeof ENDINGS / sizeof ENDINGS[0]; i++)
        if (ends_with(sk, ENDINGS[i]))
            return true;
    return false;
}

/* ---- parsing a full-name string ------------------------------------------------------------ */

typedef struct word_info {
    rz__skel sk[RZ__SKEL_VARIANTS];
    size_t nsk;
    bool given, patronymic, surname_like, caps, initial;
} word_info;

static void word_infos(const rz_name_ctx *ctx, const rz__cleaned *c, word_info *wi)
{
    for (size_t t = 0; t < c->ntok; t++) {
        word_info *w = &wi[t];
        w->nsk = rz__skeleton_word(c->cp + c->tok[t].start, c->tok[t].len, w->sk);
        part_build probe = {.nskel = w->nsk};
        memcpy(probe.skel, w->sk, w->nsk * sizeof w->sk[0]);
        bool dim = false;
        w->given = !c->tok[t].abbreviated && lookup_given(ctx, &probe, &dim) >= 0;
        w->patronymic = !c->tok[t].abbreviated && word_is_patronymic(ctx, w->sk, w->nsk);
        w->surname_like = word_looks_like_surname(&w->sk[0]);
        w->caps = c->tok[t].all_caps;
        w->initial = c->tok[t].abbreviated;
    }
}

/* Whether, of two words, the first is more likely the given name and the second the surname:
 * capitals mark a surname; a dictionary given name and a surname ending say which is which;
 * else the script's habit (Cyrillic registers write the surname first, Latin lists the
 * given name first). */
static bool given_first(const word_info *a, const word_info *b, rz_script script)
{
    if (a->initial != b->initial)
        return a->initial;
    if (a->caps != b->caps)
        return b->caps;
    int s = ((int)a->given - (int)b->given) * 2 + ((int)b->surname_like - (int)a->surname_like);
    if (s != 0)
        return s > 0;
    return script == RZ_SCRIPT_LATIN;
}

/* Assigns each word a part: role[t] is an rz_name_part. */
static void assign_roles(const rz__cleaned *c, const word_info *wi, int *role)
{
    size_t n = c->ntok;
    rz_script script = c->tok[0].script;
    for (size_t t = 0; t < n; t++)
        role[t] = RZ_PART_GIVEN;
    for (size_t t = 0; t + 1 < n; t++) {
        if (!c->tok[t].comma_after)
            continue; /* "Klymenko, Oleksandr [Ivanovych]" */
        for (size_t k = 0; k <= t; k++)
            role[k] = RZ_PART_SURNAME;
        for (size_t k = t + 2; k < n; k++)
            if (wi[k].patronymic || (k == n - 1 && n - t - 1 >= 2))
                role[k] = RZ_PART_PATRONYMIC;
        return;
    }
    if (n == 1) {
        role[0] = wi[0].given && !wi[0].caps ? RZ_PART_GIVEN : RZ_PART_SURNAME;
        return;
    }
    size_t patr = n;
    for (size_t t = 1; t < n && patr == n; t++)
        if (wi[t].patronymic && !wi[t - 1].patronymic)
            patr = t;
    if (patr == n - 1 && n >= 3 &&
        !(patr == 2 && n == 3 && given_first(&wi[0], &wi[1], script) && wi[0].given &&
          !wi[1].given)) {
        /* Surname Given Patronymic (Ukrainian documents), surname of one or more words */
        for (size_t t = 0; t + 2 < n; t++)
            role[t] = RZ_PART_SURNAME;
        role[n - 1] = RZ_PART_PATRONYMIC;
        return;
    }
    if (patr == 1 && n >= 3) { /* Given Patronymic Surname (Russian habit) */
        role[1] = RZ_PART_PATRONYMIC;
        for (size_t t = 2; t < n; t++)
            role[t] = RZ_PART_SURNAME;
        return;
    }
    if (patr == n - 1 && n == 2) { /* "Іван Петрович": no surname */
        role[1] = RZ_PART_PATRONYMIC;
        return;
    }
    if (given_first(&wi[0], &wi[n - 1], script)) {
        role[n - 1] = RZ_PART_SURNAME;
        if (n == 3 && script == RZ_SCRIPT_CYRILLIC)
            role[1] = RZ_PART_PATRONYMIC; /* Іван Іванович Іванов with a misspelt patronymic */
    } else {
        role[0] = RZ_PART_SURNAME;
        if (n >= 3)
            role[n - 1] = RZ_PART_PATRONYMIC;
    }
}

/* ---- words set aside: a rank before the name, the other surname ---------------------------- */

/* Military ranks that lists of servicemen write in the full-name column before the name
 * ("солдат ШЕВЧЕНКО Тарас", "ст. лейтенант Петренко О. І."): Ukrainian, Russian and English,
 * full and in the abbreviations the lists use, case-folded. A closed list: only these whole
 * words are set aside, and only at the start. */
static const char *const RANKS[] = {
    "солдат",
    "рядовий",
    "рядовой",
    "матрос",
    "єфрейтор",
    "ефрейтор",
    "сержант",
    "штаб-сержант",
    "майстер-сержант",
    "старшина",
    "прапорщик",
    "мічман",
    "мичман",
    "лейтенант",
    "л-т",
    "капітан",
    "капитан",
    "к-н",
    "майор",
    "м-р",
    "підполковник",
    "подполковник",
    "полковник",
    "п-к",
    "генерал",
    "генерал-майор",
    "генерал-лейтенант",
    "генерал-полковник",
    "pvt",
    "pfc",
    "private",
    "cpl",
    "corporal",
    "sgt",
    "sergeant",
    "lt",
    "lieutenant",
    "capt",
    "cpt",
    "captain",
    "maj",
    "major",
    "col",
    "colonel",
};

/* Words that only qualify a rank after them: молодший/мол./мл. сержант, ст. лейтенант,
 * гв. сержант (гвардії, the lists of 1941-1945), staff sergeant. */
static const char *const RANK_MODIFIERS[] = {
    "ст", "старший", "мол",     "молодший", "мл",      "младший",
    "гв", "гвардії", "гвардии", "головний", "старшой", "staff",
};

/* Words that announce a maiden or former surname: Іваненко (дів. Петренко), Иваненко (урожд.
 * Петренко), Ivanenko (nee Petrenko), Iwanenko geb. Petrenko. */
static const char *const MARKERS[] = {
    "дів",   "дівоч",   "дівоче", "уродж", "уроджена", "урожд",    "урожденная", "урождённая",
    "девич", "девичья", "nee",    "née",   "geb",      "geborene", "born",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool token_in(const rz__cleaned *c, size_t t, const char *const *list, size_t n)
{
    char w[64];
    if (c->tok[t].len > 20) /* longer than any word of the lists */
        return false;
    put_cps(w, 0, sizeof w, c->cp + c->tok[t].start, c->tok[t].len);
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

enum { WORD_NAME, WORD_RANK, WORD_MARKER, WORD_OTHER };

/* Endings no given name has, though the dictionary may read the word as one (Андреев,
 * Андрєєв: a form of Андрій), in skeleton symbols. */
static bool surname_ending(const rz__skel *sk)
{
    static const char *const ENDINGS[] = {"ov", "ev", "ova", "eva", "enko"};
    for (size_t i = 0; i < COUNT(ENDINGS); i++)
        if (ends_with(sk, ENDINGS[i]))
            return true;
    return false;
}

/* Whether a word may be a surname: no initial, no patronymic, no given name of the dictionary
 * unless it has a surname's ending. */
static bool may_be_surname(const word_info *w)
{
    return !w->initial && !w->patronymic && (!w->given || surname_ending(&w->sk[0]));
}

/*
 * Marks the other surname (maiden or former) and the words that announce it: the first
 * bracketed group that has a marker or whose first word is no given name or patronymic of the
 * dictionary (Клименко Олександр (Сашко) keeps the diminutive where it stood), else the word
 * after a marker outside brackets (Olha Ivanenko nee Petrenko). With `wi` NULL (a surname
 * field: only surnames are written there) any bracketed group.
 */
static void mark_other_surname(const rz__cleaned *c, const word_info *wi, int *kind)
{
    for (size_t t = 0; t < c->ntok; t++) {
        if (!c->tok[t].in_parens) {
            if (t + 1 < c->ntok && !c->tok[t + 1].in_parens &&
                token_in(c, t, MARKERS, COUNT(MARKERS))) {
                kind[t] = WORD_MARKER;
                kind[t + 1] = WORD_OTHER;
                return;
            }
            continue;
        }
        size_t end = t, first = c->ntok;
        bool marker = false;
        for (; end < c->ntok && c->tok[end].in_parens; end++) {
            bool m = token_in(c, end, MARKERS, COUNT(MARKERS));
            marker = marker || m;
            if (!m && first == c->ntok)
                first = end;
        }
        if (first < c->ntok && (marker || wi == NULL || may_be_surname(&wi[first]))) {
            for (size_t k = t; k < end; k++)
                kind[k] = token_in(c, k, MARKERS, COUNT(MARKERS)) ? WORD_MARKER : WORD_OTHER;
            return;
        }
        t = end - 1;
    }
}

/* Words of the rank at the start (modifiers, then a rank), 0 when there is none. */
static size_t rank_words(const rz__cleaned *c)
{
    for (size_t t = 0; t < c->ntok && !c->tok[t].in_parens; t++) {
        if (token_in(c, t, RANKS, COUNT(RANKS)))
            return t + 1;
        if (!token_in(c, t, RANK_MODIFIERS, COUNT(RANK_MODIFIERS)))
            return 0;
    }
    return 0;
}

/*
 * Marks a rank at the start of a full name. A surname can be a rank word (Майор, Капітан,
 * Major): the rank is set aside only when a word after it may still be the surname (no
 * initial, given name or patronymic of the dictionary). So "майор Шевченко Тарас" is Шевченко
 * with the rank майор, and "Майор Іван Петрович" and "Майор І. П." keep their only possible
 * surname, Майор.
 */
static void mark_rank(const rz__cleaned *c, const word_info *wi, int *kind)
{
    size_t r = rank_words(c);
    bool surname_after = false;
    for (size_t t = r; t < c->ntok && r > 0; t++)
        surname_after = surname_after || (kind[t] == WORD_NAME && may_be_surname(&wi[t]));
    for (size_t t = 0; t < r && surname_after; t++)
        kind[t] = WORD_RANK;
}

/* Appends the word as written (with its dot: "ст.") to the title. */
static void title_add(char *title, size_t cap, const rz__cleaned *c, size_t t)
{
    size_t at = strlen(title);
    if (at > 0 && at + 1 < cap)
        title[at++] = ' ';
    at = put_cps(title, at, cap, c->raw + c->tok[t].raw_start, c->tok[t].raw_len);
    if (c->tok[t].dot_after && at + 1 < cap) {
        title[at++] = '.';
        title[at] = '\0';
    }
}

/* Sets aside the words that are not the name's own parts: the rank (into `title`), the
 * markers, and the other surname (into `other`); keeps the rest in c->tok and wi, in order. */
static void set_aside(rz__cleaned *c, word_info *wi, int *kind, part_build *other, char *title,
                      size_t cap)
{
    size_t k = 0;
    title[0] = '\0';
    for (size_t t = 0; t < c->ntok; t++) {
        if (kind[t] == WORD_RANK)
            title_add(title, cap, c, t);
        if (kind[t] == WORD_OTHER)
            part_add_word(other, c, t, wi ? wi[t].sk : NULL, wi ? wi[t].nsk : 0);
        if (kind[t] != WORD_NAME) { /* "Іваненко (Петренко), Ольга": the comma stays */
            if (c->tok[t].comma_after && k > 0)
                c->tok[k - 1].comma_after = true;
            continue;
        }
        if (k != t) {
            c->tok[k] = c->tok[t];
            if (wi)
                wi[k] = wi[t];
        }
        k++;
    }
    c->ntok = k;
}

/* ---- finishing a name ---------------------------------------------------------------------- */

static void finish_part(const rz_name_ctx *ctx, part_build *p, rz_name_part which)
{
    p->canon = -1;
    if (!p->present)
        return;
    part_dedupe(p);
    if (which == RZ_PART_GIVEN && !p->initial)
        p->canon = lookup_given(ctx, p, &p->via_diminutive);
    if (which == RZ_PART_PATRONYMIC && !p->initial)
        p->canon = lookup_patronymic(ctx, p->skel, p->nskel, &p->sex);
    if (which == RZ_PART_SURNAME || (int)which == RZ__PART_OTHER) {
        p->folded = p->skel[0];
        rz__skeleton_fold_gender(&p->folded);
    }
}

static char sex_of_surname(const part_build *p)
{
    if (!p->present)
        return 0;
    static const char *const FEM[] = {"ova", "eva", "ina", "ska", "cka", "zka", "aia"};
    static const char *const MASC[] = {"ov", "ev", "in", "ski", "cki", "zki"};
    for (size_t i = 0; i < sizeof FEM / sizeof FEM[0]; i++)
        if (ends_with(&p->skel[0], FEM[i]))
            return 'f';
    for (size_t i = 0; i < sizeof MASC / sizeof MASC[0]; i++)
        if (ends_with(&p->skel[0], MASC[i]))
            return 'm';
    return 0;
}

/* The bytes a name's parts take in its allocation, exactly (finish_part has run): a million
 * prepared names are held at once by a match job. */
static size_t arena_need(const part_build *parts)
{
    size_t need = 0;
    char text[2 * RZ__SKEL_MAX + 1];
    for (int i = 0; i < RZ__PARTS; i++) {
        const part_build *p = &parts[i];
        if (!p->present)
            continue;
        need += p->written_len + 1 + p->clean_len + 1;
        need += p->clean_ncp * sizeof(uint32_t);
        for (size_t v = 0; v < p->nskel; v++)
            need += p->skel[v].len;
        need += rz__skeleton_render(&p->skel[0], text, sizeof text) + 1;
        if (i == RZ_PART_SURNAME || i == RZ__PART_OTHER)
            need += p->folded.len + rz__skeleton_render(&p->folded, text, sizeof text) + 1;
    }
    if (parts[RZ__PART_OTHER].present) /* its part, and " (Петренко)" after the surname */
        need += sizeof(rz__part) + parts[RZ__PART_OTHER].written_len + 3;
    return need;
}

static const char *arena_str(char **at, const char *s, size_t len)
{
    char *out = *at;
    memcpy(out, s, len);
    out[len] = '\0';
    *at += len + 1;
    return out;
}

static const uint8_t *arena_sym(char **at, const uint8_t *s, size_t len)
{
    uint8_t *out = (uint8_t *)*at;
    memcpy(out, s, len);
    *at += len;
    return out;
}

/* The dictionary names one typing error from a given name that is no form of the dictionary
 * (each skeleton variant in turn); -1 in the unused places. */
static void given_near(const rz_name_ctx *ctx, const part_build *p, int32_t *out)
{
    for (size_t k = 0; k < RZ__NEAR_MAX; k++)
        out[k] = -1;
    if (!p->present || p->initial || p->canon >= 0)
        return;
    size_t n = 0;
    for (size_t v = 0; v < p->nskel && n < RZ__NEAR_MAX; v++) {
        int32_t found[RZ__NEAR_MAX];
        size_t nf = rz__dict_near_names(ctx, p->skel[v].s, p->skel[v].len, found, RZ__NEAR_MAX);
        for (size_t i = 0; i < nf && n < RZ__NEAR_MAX; i++) {
            bool seen = false;
            for (size_t k = 0; k < n; k++)
                seen = seen || out[k] == found[i];
            if (!seen)
                out[n++] = found[i];
        }
    }
}

/* The surname as written, with the other surname after it in brackets when there is one
 * ("Іваненко (Петренко)"): a name read back from its stored parts keeps both. */
static const char *arena_surname(char **at, const part_build *p, const part_build *other)
{
    if (!other->present)
        return arena_str(at, p->written, p->written_len);
    char *out = *at;
    memcpy(out, p->written, p->written_len);
    memcpy(out + p->written_len, " (", 2);
    memcpy(out + p->written_len + 2, other->written, other->written_len);
    out[p->written_len + 2 + other->written_len] = ')';
    out[p->written_len + 3 + other->written_len] = '\0';
    *at += p->written_len + other->written_len + 4;
    return out;
}

/* Copies one built part's strings and skeletons into the name's allocation. */
static void fill_part(char **at, const part_build *parts, int i, rz__part *q)
{
    const part_build *p = &parts[i];
    q->canon = p->canon;
    if (!p->present)
        return;
    q->present = true;
    q->initial = p->initial;
    q->via_diminutive = p->via_diminutive;
    q->sex = p->sex;
    q->script = p->script;
    q->plain_latin = p->script == RZ_SCRIPT_LATIN && !p->initial &&
                     rz__latin_may_be_plain(p->clean, p->clean_len);
    q->written = i == RZ_PART_SURNAME ? arena_surname(at, p, &parts[RZ__PART_OTHER])
                                      : arena_str(at, p->written, p->written_len);
    q->clean = arena_str(at, p->clean, p->clean_len);
    q->clean_len = p->clean_len;
    q->hyphen = memchr(p->clean, '-', p->clean_len) != NULL;
    q->space = memchr(p->clean, ' ', p->clean_len) != NULL;
    q->nskel = (uint8_t)p->nskel;
    for (size_t v = 0; v < p->nskel; v++) {
        q->skel[v] = arena_sym(at, p->skel[v].s, p->skel[v].len);
        q->skel_len[v] = p->skel[v].len;
    }
    char text[2 * RZ__SKEL_MAX + 1];
    size_t tl = rz__skeleton_render(&p->skel[0], text, sizeof text);
    q->skeleton_text = arena_str(at, text, tl);
    if (i == RZ_PART_SURNAME || i == RZ__PART_OTHER) {
        q->folded = arena_sym(at, p->folded.s, p->folded.len);
        q->folded_len = p->folded.len;
        tl = rz__skeleton_render(&p->folded, text, sizeof text);
        q->folded_text = arena_str(at, text, tl);
    }
}

/* Copies the built parts into one allocation: the name, the other surname's part when there
 * is one, the code points (aligned), then the strings and skeletons. `title` (a rank set aside,
 * or "") is kept too. An other surname without a surname becomes the surname. */
static rz_status build_name(const rz_name_ctx *ctx, part_build *parts, rz_lang lang,
                            const char *title, rz_name **out, rz_error *err)
{
    if (!parts[RZ_PART_SURNAME].present && parts[RZ__PART_OTHER].present) {
        parts[RZ_PART_SURNAME] = parts[RZ__PART_OTHER];
        parts[RZ__PART_OTHER].present = false;
    }
    for (int i = 0; i < RZ__PARTS; i++)
        finish_part(ctx, &parts[i], (rz_name_part)i);
    size_t title_len = strlen(title);
    rz_name *name = malloc(sizeof *name + arena_need(parts) + title_len + 1);
    if (name == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory preparing a name");
    memset(name, 0, sizeof *name);
    name->ctx = ctx;
    name->lang = lang;
    char *at = (char *)(name + 1);
    rz__part *target[RZ__PARTS] = {&name->part[0], &name->part[1], &name->part[2], NULL};
    if (parts[RZ__PART_OTHER].present) { /* after the struct: aligned as it is */
        target[RZ__PART_OTHER] = (rz__part *)(void *)at;
        memset(target[RZ__PART_OTHER], 0, sizeof(rz__part));
        name->other = target[RZ__PART_OTHER];
        at += sizeof(rz__part);
    }
    for (int i = 0; i < RZ__PARTS; i++) { /* code points first: they need alignment */
        part_build *p = &parts[i];
        if (!p->present || p->clean_cp_overflow)
            continue;
        target[i]->clean_cp = (const uint32_t *)(void *)at;
        target[i]->clean_ncp = (uint8_t)p->clean_ncp;
        memcpy(at, p->clean_cp, p->clean_ncp * sizeof(uint32_t));
        at += p->clean_ncp * sizeof(uint32_t);
    }
    for (int i = 0; i < RZ__PARTS; i++)
        if (target[i] != NULL)
            fill_part(&at, parts, i, target[i]);
    if (title_len > 0)
        name->title = arena_str(&at, title, title_len);
    given_near(ctx, &parts[RZ_PART_GIVEN], name->given_near);
    /* sex: the patronymic's grammar, else the given name's, else the surname's ending */
    const rz__part *pat = &name->part[RZ_PART_PATRONYMIC], *giv = &name->part[RZ_PART_GIVEN];
    if (pat->sex)
        name->sex_hint = pat->sex;
    else if (giv->canon >= 0)
        name->sex_hint = ctx->given[giv->canon].sex;
    else
        name->sex_hint = sex_of_surname(&parts[RZ_PART_SURNAME]);
    *out = name;
    return RZ_OK;
}

static rz_lang name_lang(const rz__cleaned *const *cs, size_t n)
{
    uint32_t all[3 * RZ__CLEAN_CP_MAX];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (cs[i] && k + cs[i]->ncp <= sizeof all / sizeof all[0]) {
            memcpy(all + k, cs[i]->cp, cs[i]->ncp * sizeof all[0]);
            k += cs[i]->ncp;
        }
    return rz__text_lang(all, k);
}

/* The working memory of rz_name_parse, allocated once per call (about 90 KiB). */
typedef struct parse_scratch {
    rz__cleaned cleaned;
    part_build parts[RZ__PARTS];
    word_info words[RZ_NAME_TOKENS_MAX];
    char title[4 * RZ__CLEAN_CP_MAX + 1];
} parse_scratch;

rz_status rz_name_parse(const rz_name_ctx *ctx, const char *text, rz_name **out, rz_error *err)
{
    *out = NULL;
    if (ctx == NULL || text == NULL)
        return rz_error_set(err, RZ_EINVAL, "rz_name_parse: NULL argument");
    parse_scratch *sc = malloc(sizeof *sc);
    if (sc == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory preparing a name");
    rz__cleaned *c = &sc->cleaned;
    parts_init(sc->parts);
    rz_status rc = rz__text_clean(text, strlen(text), c, err);
    if (rc != RZ_OK)
        goto done;
    word_infos(ctx, c, sc->words);
    const rz__cleaned *cs[1] = {c};
    rz_lang lang = name_lang(cs, 1); /* of every word, the rank's too */
    int kind[RZ_NAME_TOKENS_MAX] = {0}, role[RZ_NAME_TOKENS_MAX];
    mark_other_surname(c, sc->words, kind);
    mark_rank(c, sc->words, kind);
    set_aside(c, sc->words, kind, &sc->parts[RZ__PART_OTHER], sc->title, sizeof sc->title);
    if (c->ntok > 0)
        assign_roles(c, sc->words, role);
    for (size_t t = 0; t < c->ntok; t++)
        part_add_word(&sc->parts[role[t]], c, t, sc->words[t].sk, sc->words[t].nsk);
    rc = build_name(ctx, sc->parts, lang, sc->title, out, err);
done:
    free(sc);
    return rc;
}

static bool blank(const char *s)
{
    if (s == NULL)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

rz_status rz_name_from_parts(const rz_name_ctx *ctx, const char *surname, const char *given,
                             const char *patronymic, rz_name **out, rz_error *err)
{
    *out = NULL;
    if (ctx == NULL)
        return rz_error_set(err, RZ_EINVAL, "rz_name_from_parts: NULL context");
    const char *fields[RZ__PART_COUNT] = {surname, given, patronymic};
    if (blank(surname) && blank(given) && blank(patronymic))
        return rz_error_set(err, RZ_EEMPTY, "empty name: no surname, given name or patronymic");
    rz__cleaned *c = malloc(RZ__PART_COUNT * sizeof *c);
    part_build *parts = malloc(RZ__PARTS * sizeof *parts);
    rz_status rc = RZ_OK;
    if (c == NULL || parts == NULL) {
        rc = rz_error_set(err, RZ_ENOMEM, "out of memory preparing a name");
        goto done;
    }
    parts_init(parts);
    const rz__cleaned *cs[RZ__PART_COUNT] = {NULL, NULL, NULL};
    for (int i = 0; i < RZ__PART_COUNT; i++) {
        if (blank(fields[i]))
            continue;
        rz_error e;
        rz_error_clear(&e);
        rc = rz__text_clean(fields[i], strlen(fields[i]), &c[i], &e);
        if (rc != RZ_OK) {
            rz_error_set(err, rc, "%s: %s", rz_name_part_label((rz_name_part)i), e.message);
            goto done;
        }
        cs[i] = &c[i];
        if (i == RZ_PART_SURNAME) { /* "Іваненко (дів. Петренко)" in a surname column */
            int kind[RZ_NAME_TOKENS_MAX] = {0};
            char none[1];
            mark_other_surname(&c[i], NULL, kind);
            set_aside(&c[i], NULL, kind, &parts[RZ__PART_OTHER], none, sizeof none);
        }
        for (size_t t = 0; t < c[i].ntok; t++)
            part_add_word(&parts[i], &c[i], t, NULL, 0);
    }
    rc = build_name(ctx, parts, name_lang(cs, RZ__PART_COUNT), "", out, err);
done:
    free(c);
    free(parts);
    return rc;
}

void rz_name_free(rz_name *name)
{
    free(name);
}

/* ---- accessors ----------------------------------------------------------------------------- */

static const rz__part *get_part(const rz_name *name, rz_name_part part)
{
    if (name == NULL || (size_t)part >= RZ__PART_COUNT || !name->part[part].present)
        return NULL;
    return &name->part[part];
}

const char *rz_name_written(const rz_name *name, rz_name_part part)
{
    const rz__part *p = get_part(name, part);
    return p ? p->written : NULL;
}

const char *rz_name_clean(const rz_name *name, rz_name_part part)
{
    const rz__part *p = get_part(name, part);
    return p ? p->clean : NULL;
}

const char *rz_name_skeleton(const rz_name *name, rz_name_part part)
{
    const rz__part *p = get_part(name, part);
    return p ? p->skeleton_text : NULL;
}

rz_script rz_name_script(const rz_name *name, rz_name_part part)
{
    const rz__part *p = get_part(name, part);
    return p ? p->script : RZ_SCRIPT_NONE;
}

rz_lang rz_name_lang(const rz_name *name)
{
    return name ? name->lang : RZ_LANG_UNKNOWN;
}

const char *rz_name_given_canonical(const rz_name *name)
{
    const rz__part *p = get_part(name, RZ_PART_GIVEN);
    return p && p->canon >= 0 ? name->ctx->given[p->canon].canonical : NULL;
}

const char *rz_name_patronymic_canonical(const rz_name *name)
{
    const rz__part *p = get_part(name, RZ_PART_PATRONYMIC);
    return p && p->canon >= 0 ? name->ctx->given[p->canon].canonical : NULL;
}

const char *rz_name_surname_folded(const rz_name *name)
{
    const rz__part *p = get_part(name, RZ_PART_SURNAME);
    return p ? p->folded_text : NULL;
}

const char *rz_name_other_surname(const rz_name *name)
{
    return name && name->other ? name->other->written : NULL;
}

const char *rz_name_title(const rz_name *name)
{
    return name ? name->title : NULL;
}

char rz_name_sex_hint(const rz_name *name)
{
    return name ? name->sex_hint : 0;
}
