/*
 * compare.c: comparing two prepared names part by part, and the overall verdict.
 *
 * Per part, the strongest agreement that holds:
 *   exact       the same clean form;
 *   equivalent  a skeleton in common (another script or transliteration), the same canonical
 *               given name (another language or a diminutive), the same patronymic base, or
 *               for surnames the same folded form (Петров/Петрова, Левицький/Levytska);
 *   close       a typing error: Damerau-Levenshtein distance 1 between skeletons of 4 symbols
 *               or more, or 2 between skeletons of 8 or more with Jaro-Winkler >= 0.9 (the
 *               usual one-edit-per-short-word rule of record linkage); an initial that agrees
 *               with the full name; the masculine and feminine forms of one given name
 *               (Олександр/Олександра) or one patronymic (Іванович/Іванівна);
 *   far         anything else, and two different names of the dictionary even when they are
 *               one letter apart (Юрій/Юлій are different names, not a typo).
 * The overall level is the weakest level among the parts both names have (a patronymic on
 * one side only weighs nothing); the score is the mean of the part scores weighted surname
 * 0.5, given name 0.35, patronymic 0.15 over those parts. Both alignments of surname and given
 * name are tried and the better kept, so a name parsed in the wrong order still matches.
 * Allocates nothing, calls no ICU: about a microsecond per pair.
 */
#include "compare/similarity_impl.h"
#include "names/names_internal.h"

#include <string.h>

static bool same_syms(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    return na > 0 && na == nb && memcmp(a, b, na) == 0;
}

static bool any_skeleton_equal(const rz__part *a, const rz__part *b)
{
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++)
            if (same_syms(a->skel[i], a->skel_len[i], b->skel[j], b->skel_len[j]))
                return true;
    return false;
}

/* Best Jaro-Winkler and smallest edit distance over the skeleton variants. */
static void best_similarity(const rz__part *a, const rz__part *b, double *jw, size_t *dl,
                            size_t *minlen)
{
    *jw = 0.0;
    *dl = SIZE_MAX;
    *minlen = 0;
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++) {
            double s = rz__jaro_winkler_sym(a->skel[i], a->skel_len[i], b->skel[j], b->skel_len[j]);
            size_t d =
                rz__damerau_levenshtein_sym(a->skel[i], a->skel_len[i], b->skel[j], b->skel_len[j]);
            if (s > *jw)
                *jw = s;
            if (d < *dl) {
                *dl = d;
                *minlen = a->skel_len[i] < b->skel_len[j] ? a->skel_len[i] : b->skel_len[j];
            }
        }
}

static bool typo_distance(size_t dl, size_t minlen, double jw)
{
    return (dl <= 1 && minlen >= 4) || (dl <= 2 && minlen >= 8 && jw >= 0.9);
}

static void set(rz_part_comparison *out, rz_level level, double score, const char *reason)
{
    out->level = level;
    out->score = score;
    out->reason = reason;
}

/* An initial against a name: the first skeleton symbol agrees or not. */
static bool initial_agrees(const rz__part *a, const rz__part *b)
{
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++)
            if (a->skel_len[i] > 0 && b->skel_len[j] > 0 && a->skel[i][0] == b->skel[j][0])
                return true;
    return false;
}

/* Whether two dictionary names are the masculine and feminine forms of one name:
 * oleksandr/oleksandra, ivan/ivanna, stanislav/stanislava. */
static bool gender_pair(const char *x, const char *y)
{
    size_t lx = strlen(x), ly = strlen(y);
    if (lx > ly) {
        const char *t = x;
        x = y;
        y = t;
        size_t tl = lx;
        lx = ly;
        ly = tl;
    }
    if (strncmp(x, y, lx) != 0)
        return false;
    return strcmp(y + lx, "a") == 0 || strcmp(y + lx, "na") == 0 || strcmp(y + lx, "ia") == 0 ||
           (lx > 2 && x[lx - 1] == 'i' && strcmp(y + lx - 1, "ia") == 0);
}

static void compare_part(const rz_name_ctx *ctx, const rz__part *a, const rz__part *b,
                         rz_name_part which, rz_part_comparison *out)
{
    if (a == NULL || b == NULL || !a->present || !b->present) {
        set(out, RZ_LEVEL_MISSING, 0.0, "missing on one side");
        return;
    }
    if (strcmp(a->clean, b->clean) == 0) {
        set(out, RZ_LEVEL_EXACT, 1.0, "same name");
        return;
    }
    if (a->initial || b->initial) {
        if (initial_agrees(a, b))
            set(out, RZ_LEVEL_CLOSE, 0.8, "initial agrees");
        else
            set(out, RZ_LEVEL_FAR, 0.0, "initial disagrees");
        return;
    }
    if (any_skeleton_equal(a, b)) {
        set(out, RZ_LEVEL_EQUIVALENT, 0.97, "same name in another script or transliteration");
        return;
    }
    bool both_known = a->canon >= 0 && b->canon >= 0;
    if (which != RZ_PART_SURNAME && both_known && a->canon == b->canon) {
        if (which == RZ_PART_PATRONYMIC && a->sex && b->sex && a->sex != b->sex)
            set(out, RZ_LEVEL_CLOSE, 0.85, "same father's name, patronymics of the other sex");
        else
            set(out, RZ_LEVEL_EQUIVALENT, 0.95,
                which == RZ_PART_PATRONYMIC ? "patronymics of the same name"
                                            : (a->via_diminutive || b->via_diminutive
                                                   ? "same given name: a diminutive"
                                                   : "same given name in another language"));
        return;
    }
    if (which == RZ_PART_SURNAME && same_syms(a->folded, a->folded_len, b->folded, b->folded_len)) {
        set(out, RZ_LEVEL_EQUIVALENT, 0.93, "same surname with the other gender's ending");
        return;
    }
    double jw;
    size_t dl, minlen;
    best_similarity(a, b, &jw, &dl, &minlen);
    if (which != RZ_PART_SURNAME && both_known) {
        const char *x = ctx->given[a->canon].canonical, *y = ctx->given[b->canon].canonical;
        if (gender_pair(x, y))
            set(out, RZ_LEVEL_CLOSE, jw, "masculine and feminine forms of one name");
        else
            set(out, RZ_LEVEL_FAR, jw, "different names");
        return;
    }
    if (which == RZ_PART_SURNAME && a->folded_len > 0 && b->folded_len > 0) {
        double fjw = rz__jaro_winkler_sym(a->folded, a->folded_len, b->folded, b->folded_len);
        size_t fdl =
            rz__damerau_levenshtein_sym(a->folded, a->folded_len, b->folded, b->folded_len);
        size_t fmin = a->folded_len < b->folded_len ? a->folded_len : b->folded_len;
        if (fdl < dl) {
            dl = fdl;
            minlen = fmin;
        }
        if (fjw > jw)
            jw = fjw;
    }
    if (typo_distance(dl, minlen, jw))
        set(out, RZ_LEVEL_CLOSE, jw, "spelling differs by a typing error");
    else
        set(out, RZ_LEVEL_FAR, jw, "different names");
}

static const double WEIGHT[RZ__PART_COUNT] = {0.5, 0.35, 0.15};

/* Combines the parts into the overall level and score. */
static void combine(rz_name_comparison *out)
{
    double sum = 0.0, weights = 0.0;
    rz_level level = RZ_LEVEL_EXACT;
    bool any = false;
    for (int i = 0; i < RZ__PART_COUNT; i++) {
        const rz_part_comparison *p = &out->parts[i];
        if (p->level == RZ_LEVEL_MISSING)
            continue;
        any = true;
        sum += WEIGHT[i] * p->score;
        weights += WEIGHT[i];
        if (p->level < level)
            level = p->level;
    }
    out->level = any ? level : RZ_LEVEL_MISSING;
    out->score = any ? sum / weights : 0.0;
}

static void compare_aligned(const rz_name *a, const rz_name *b, bool swap, rz_name_comparison *out)
{
    const rz__part *as = &a->part[RZ_PART_SURNAME], *ag = &a->part[RZ_PART_GIVEN];
    const rz__part *bs = &b->part[swap ? RZ_PART_GIVEN : RZ_PART_SURNAME];
    const rz__part *bg = &b->part[swap ? RZ_PART_SURNAME : RZ_PART_GIVEN];
    /* swapped parts are compared under the stricter surname rules both ways */
    compare_part(a->ctx, as, bs, RZ_PART_SURNAME, &out->parts[RZ_PART_SURNAME]);
    compare_part(a->ctx, ag, bg, swap ? RZ_PART_SURNAME : RZ_PART_GIVEN,
                 &out->parts[RZ_PART_GIVEN]);
    compare_part(a->ctx, &a->part[RZ_PART_PATRONYMIC], &b->part[RZ_PART_PATRONYMIC],
                 RZ_PART_PATRONYMIC, &out->parts[RZ_PART_PATRONYMIC]);
    out->swapped = swap;
    combine(out);
}

void rz_name_compare(const rz_name *a, const rz_name *b, rz_name_comparison *out)
{
    memset(out, 0, sizeof *out);
    if (a == NULL || b == NULL) {
        for (int i = 0; i < RZ__PART_COUNT; i++)
            set(&out->parts[i], RZ_LEVEL_MISSING, 0.0, "missing on one side");
        out->level = RZ_LEVEL_MISSING;
        return;
    }
    compare_aligned(a, b, false, out);
    if (out->level >= RZ_LEVEL_EQUIVALENT)
        return;
    bool can_swap = a->part[RZ_PART_SURNAME].present && a->part[RZ_PART_GIVEN].present &&
                    b->part[RZ_PART_SURNAME].present && b->part[RZ_PART_GIVEN].present;
    if (!can_swap)
        return;
    rz_name_comparison swapped;
    compare_aligned(a, b, true, &swapped);
    if (swapped.level > out->level ||
        (swapped.level == out->level && swapped.score > out->score + 1e-9))
        *out = swapped;
}
