/*
 * tf.c: frequencies of surnames and given names, for the term-frequency adjustment. An
 * open-addressing hash table keyed by (field, term) with the terms copied into one block per
 * table growth; lookups allocate nothing.
 */
#include "rozshuk/model.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct tf_slot {
    uint64_t hash; /* 0: empty */
    char *term;
    double count;
} tf_slot;

struct rz_term_freq {
    tf_slot *slots;
    size_t cap, used;
    double total[RZ__MF_COUNT];
};

static uint64_t term_hash(rz_match_field field, const char *term)
{
    uint64_t h = XXH3_64bits_withSeed(term, strlen(term), (uint64_t)field + 1);
    return h ? h : 1;
}

rz_status rz_term_freq_new(rz_term_freq **out, rz_error *err)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for term frequencies");
    return RZ_OK;
}

void rz_term_freq_free(rz_term_freq *tf)
{
    if (tf == NULL)
        return;
    for (size_t i = 0; i < tf->cap; i++)
        free(tf->slots[i].term);
    free(tf->slots);
    free(tf);
}

static tf_slot *find(const rz_term_freq *tf, uint64_t h, rz_match_field field, const char *term)
{
    (void)field;
    if (tf->cap == 0)
        return NULL;
    for (size_t i = h & (tf->cap - 1);; i = (i + 1) & (tf->cap - 1)) {
        tf_slot *s = &tf->slots[i];
        if (s->hash == 0 || (s->hash == h && strcmp(s->term, term) == 0))
            return s;
    }
}

static rz_status grow(rz_term_freq *tf, rz_error *err)
{
    size_t cap = tf->cap ? tf->cap * 2 : 1024;
    tf_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for term frequencies");
    for (size_t i = 0; i < tf->cap; i++) {
        tf_slot *s = &tf->slots[i];
        if (s->hash == 0)
            continue;
        size_t j = s->hash & (cap - 1);
        while (slots[j].hash)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(tf->slots);
    tf->slots = slots;
    tf->cap = cap;
    return RZ_OK;
}

rz_status rz_term_freq_add(rz_term_freq *tf, rz_match_field field, const char *term, double count,
                           rz_error *err)
{
    if (tf == NULL || term == NULL || (field != RZ_MF_SURNAME && field != RZ_MF_GIVEN))
        return rz_error_set(err, RZ_EINVAL, "term frequencies: bad argument");
    if ((tf->used + 1) * 2 > tf->cap) {
        rz_status s = grow(tf, err);
        if (s != RZ_OK)
            return s;
    }
    uint64_t h = term_hash(field, term);
    tf_slot *s = find(tf, h, field, term);
    if (s->hash == 0) {
        s->term = strdup(term);
        if (s->term == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for term frequencies");
        s->hash = h;
        tf->used++;
    }
    s->count += count;
    return RZ_OK;
}

void rz_term_freq_set_total(rz_term_freq *tf, rz_match_field field, double records)
{
    if (tf && (unsigned)field < RZ__MF_COUNT)
        tf->total[field] = records;
}

double rz_term_freq_get(const rz_term_freq *tf, rz_match_field field, const char *term)
{
    if (tf == NULL || term == NULL || (unsigned)field >= RZ__MF_COUNT || !(tf->total[field] > 0.0))
        return 0.0;
    const tf_slot *s = find(tf, term_hash(field, term), field, term);
    return s && s->hash ? s->count / tf->total[field] : 0.0;
}
