/* records.c: comparing two whole records: their best-agreeing names and every other field. */
#include "rozshuk/compare.h"

#include <assert.h>
#include <string.h>

/* ---- whole records ---------------------------------------------------------------------- */

static void compare_names(const rz_match_record *a, const rz_match_record *b, rz_comparison *out)
{
    double best = -1.0;
    memset(&out->names, 0, sizeof out->names);
    out->name_a = out->name_b = 0;
    for (size_t i = 0; i < a->nnames; i++)
        for (size_t j = 0; j < b->nnames; j++) {
            rz_name_comparison c;
            rz_name_compare(a->names[i], b->names[j], &c);
            double s = c.score + 0.01 * (double)c.level;
            if (s > best) {
                best = s;
                out->names = c;
                out->name_a = i;
                out->name_b = j;
            }
        }
    out->level[RZ_MF_SURNAME] = (int)out->names.parts[RZ_PART_SURNAME].level;
    out->level[RZ_MF_GIVEN] = (int)out->names.parts[RZ_PART_GIVEN].level;
    out->level[RZ_MF_PATRONYMIC] = (int)out->names.parts[RZ_PART_PATRONYMIC].level;
    out->surname_term = out->given_term = NULL;
    if (best < 0.0)
        return;
    const rz_name *na = a->names[out->name_a], *nb = b->names[out->name_b];
    if (!out->names.swapped && out->level[RZ_MF_SURNAME] >= RZ_LEVEL_EQUIVALENT) {
        const char *fa = rz_name_surname_folded(na), *fb = rz_name_surname_folded(nb);
        if (fa && fb && strcmp(fa, fb) == 0)
            out->surname_term = fa;
    }
    if (!out->names.swapped && out->level[RZ_MF_GIVEN] >= RZ_LEVEL_EQUIVALENT) {
        const char *ga = rz_name_given_canonical(na), *gb = rz_name_given_canonical(nb);
        if (ga && gb && strcmp(ga, gb) == 0)
            out->given_term = ga;
    }
}

rz_name *rz_name_columns_swapped(const rz_name_ctx *ctx, const rz_name *name, const char *surname,
                                 const char *given, const char *patronymic)
{
    rz_name *swapped = NULL;
    if (surname == NULL || given == NULL || rz_name_given_canonical(name) != NULL ||
        rz_name_from_parts(ctx, given, surname, patronymic, &swapped, NULL) != RZ_OK)
        return NULL;
    if (rz_name_given_canonical(swapped) == NULL) {
        rz_name_free(swapped);
        return NULL;
    }
    return swapped;
}

void rz_compare_records(const rz_match_record *a, const rz_match_record *b, rz_comparison *out)
{
    assert(a && b && out);
    compare_names(a, b, out);
    out->level[RZ_MF_BIRTH] = (int)rz_compare_birth(&a->birth, &b->birth);
    out->level[RZ_MF_SEX] = (int)rz_compare_sex(a->sex, b->sex);
    out->level[RZ_MF_BIRTH_PLACE] = (int)rz_compare_place(a->birth_place, b->birth_place);
    out->level[RZ_MF_EVENT_PLACE] = (int)rz_compare_place(a->event_place, b->event_place);
    out->level[RZ_MF_IDENTIFIER] = (int)rz_compare_identifiers(a->ids, a->nids, b->ids, b->nids);
    out->level[RZ_MF_TIMELINE] = (int)rz_compare_timeline(a, b);
}
