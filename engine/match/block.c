/*
 * block.c: blocking rules and the in-memory blocker of one partition.
 *
 * Each record's composite keys are made per rule (the product of its keys of each component,
 * hashed with XXH3 to 64 bits), kept in (record, rule, key) order to test in O(k) which rules
 * and keys two records share; the blocks are 4-byte indices into them grouped by (rule, key).
 * A pair is emitted only from the block of the first rule that catches it, under the smallest
 * key the two share for that rule, so it is generated exactly once in the whole job (the key's
 * first component decides the partition). Memory: 16 bytes per composite key, 4 more per
 * composite in the partition, 4 per record and rule.
 */
#include "grow.h"
#include "rozshuk/match.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define KINDS_MAX      (RZ_RULES_MAX * RZ_RULE_PARTS_MAX)
#define COMPOSITES_MAX 64 /* composite keys of one record under one rule */
#define KEY_TEXT_MAX   200

enum { PART_KEY, PART_BIRTH_YEAR, PART_BIRTH_DAY };

typedef struct key_entry {
    uint64_t hash;
    uint32_t record;
    uint8_t kind;
    uint8_t in_partition;
} key_entry;

typedef struct comp_entry {
    uint64_t hash;
    uint32_t record;
    uint8_t rule;
    uint8_t in_partition;
} comp_entry;

struct rz_blocker {
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    char kinds[KINDS_MAX][33];
    size_t nkinds;
    int part_type[RZ_RULES_MAX][RZ_RULE_PARTS_MAX];
    int part_kind[RZ_RULES_MAX][RZ_RULE_PARTS_MAX];
    size_t max_block, split_block;
    int split_kind[RZ_RULES_MAX]; /* kind index of each rule's split key, or -1 */
    key_entry *keys;
    size_t nkeys, capkeys;
};

/* A record's key of a split kind (the blocker keeps them after the other keys are freed). */
typedef struct sub_key {
    uint64_t hash;
    uint8_t kind;
} sub_key;

static bool valid_kind(const char *s, size_t n)
{
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return false;
    return true;
}

static rz_status parse_rule(const char *text, size_t len, rz_block_rule *r, rz_error *err)
{
    if (len == 0 || len > RZ_RULE_TEXT_MAX)
        return rz_error_set(err, RZ_EPARSE, "blocking rule '%.*s': empty or longer than %d bytes",
                            (int)(len > 200 ? 200 : len), text, RZ_RULE_TEXT_MAX);
    memset(r, 0, sizeof *r);
    memcpy(r->text, text, len);
    const char *slash = memchr(text, '/', len);
    if (slash != NULL) {
        size_t sl = len - (size_t)(slash - text) - 1;
        if (!valid_kind(slash + 1, sl) || strncmp(slash + 1, "birth_", 6) == 0 ||
            (sl == 2 && memcmp(slash + 1, "id", 2) == 0))
            return rz_error_set(err, RZ_EPARSE,
                                "blocking rule '%s': the split after '/' is not a name key kind",
                                r->text);
        memcpy(r->split, slash + 1, sl);
        r->split[sl] = '\0';
        len = (size_t)(slash - text);
    }
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '+')
            continue;
        if (r->nparts == RZ_RULE_PARTS_MAX)
            return rz_error_set(err, RZ_EPARSE, "blocking rule '%s': more than %d parts", r->text,
                                RZ_RULE_PARTS_MAX);
        if (!valid_kind(text + start, i - start))
            return rz_error_set(err, RZ_EPARSE,
                                "blocking rule '%s': part %d is not a key kind (letters and _)",
                                r->text, r->nparts + 1);
        memcpy(r->part[r->nparts], text + start, i - start);
        r->part[r->nparts][i - start] = '\0';
        r->nparts++;
        start = i + 1;
    }
    if (strcmp(r->part[0], "birth_year") == 0 || strcmp(r->part[0], "birth_day") == 0)
        return rz_error_set(err, RZ_EPARSE,
                            "blocking rule '%s': the first part must be a name key or id, not a "
                            "birth date",
                            r->text);
    return RZ_OK;
}

rz_status rz_block_rules_parse(const char *text, rz_block_rule *rules, size_t *nrules,
                               rz_error *err)
{
    *nrules = 0;
    if (text == NULL || text[0] == '\0')
        return rz_error_set(err, RZ_EPARSE, "no blocking rules");
    size_t len = strlen(text), start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != ';')
            continue;
        if (*nrules == RZ_RULES_MAX)
            return rz_error_set(err, RZ_EPARSE, "more than %d blocking rules", RZ_RULES_MAX);
        rz_status s = parse_rule(text + start, i - start, &rules[*nrules], err);
        if (s != RZ_OK)
            return s;
        (*nrules)++;
        start = i + 1;
    }
    return RZ_OK;
}

const char *rz_match_mode_name(rz_match_mode mode)
{
    switch (mode) {
    case RZ_MODE_DEDUPE:
        return "dedupe";
    case RZ_MODE_LINK:
        return "link";
    case RZ_MODE_NEW:
        return "new";
    }
    return "unknown";
}

bool rz_match_mode_pairs(rz_match_mode mode, unsigned side_a, unsigned side_b)
{
    switch (mode) {
    case RZ_MODE_DEDUPE:
        return (side_a & RZ_SIDE_A) && (side_b & RZ_SIDE_A);
    case RZ_MODE_LINK:
        return ((side_a & RZ_SIDE_A) && (side_b & RZ_SIDE_B)) ||
               ((side_a & RZ_SIDE_B) && (side_b & RZ_SIDE_A));
    case RZ_MODE_NEW:
        return (side_a & RZ_SIDE_A) || (side_b & RZ_SIDE_A);
    }
    return false;
}

static int kind_index(rz_blocker *b, const char *kind, bool add)
{
    for (size_t i = 0; i < b->nkinds; i++)
        if (strcmp(b->kinds[i], kind) == 0)
            return (int)i;
    if (!add || b->nkinds == KINDS_MAX)
        return -1;
    memcpy(b->kinds[b->nkinds], kind, strlen(kind) + 1);
    return (int)b->nkinds++;
}

rz_status rz_blocker_new(const rz_block_rule *rules, size_t nrules, rz_blocker **out, rz_error *err)
{
    *out = NULL;
    if (nrules == 0 || nrules > RZ_RULES_MAX)
        return rz_error_set(err, RZ_EINVAL, "between 1 and %d blocking rules", RZ_RULES_MAX);
    rz_blocker *b = calloc(1, sizeof *b);
    if (b == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for the blocker");
    memcpy(b->rules, rules, nrules * sizeof *rules);
    b->nrules = nrules;
    b->max_block = RZ_BLOCK_DEFAULT_MAX;
    b->split_block = RZ_BLOCK_DEFAULT_SPLIT;
    for (size_t r = 0; r < nrules; r++) {
        b->split_kind[r] = rules[r].split[0] ? kind_index(b, rules[r].split, true) : -1;
        for (int p = 0; p < rules[r].nparts; p++) {
            const char *part = rules[r].part[p];
            if (strcmp(part, "birth_year") == 0)
                b->part_type[r][p] = PART_BIRTH_YEAR;
            else if (strcmp(part, "birth_day") == 0)
                b->part_type[r][p] = PART_BIRTH_DAY;
            else {
                b->part_type[r][p] = PART_KEY;
                b->part_kind[r][p] = kind_index(b, part, true);
            }
        }
    }
    *out = b;
    return RZ_OK;
}

void rz_blocker_free(rz_blocker *b)
{
    if (b == NULL)
        return;
    free(b->keys);
    free(b);
}

void rz_blocker_set_max_block(rz_blocker *b, size_t max_records)
{
    b->max_block = max_records < 2 ? 2 : max_records;
}

void rz_blocker_set_split_block(rz_blocker *b, size_t max_records)
{
    b->split_block = max_records;
}

rz_status rz_blocker_add_key(rz_blocker *b, size_t record, const char *kind, const char *key,
                             bool in_partition, rz_error *err)
{
    int k = kind_index(b, kind, false);
    if (k < 0)
        return RZ_OK;
    if (record > UINT32_MAX)
        return rz_error_set(err, RZ_ERANGE, "more than %u records in one partition", UINT32_MAX);
    size_t len = strlen(key);
    if (len > KEY_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "blocking key longer than %d bytes", KEY_TEXT_MAX);
    if (b->nkeys == b->capkeys) {
        key_entry *keys = rz__grow(b->keys, &b->capkeys, sizeof *keys, 4096);
        if (keys == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for blocking keys");
        b->keys = keys;
    }
    key_entry *e = &b->keys[b->nkeys++];
    e->hash = XXH3_64bits(key, len);
    e->record = (uint32_t)record;
    e->kind = (uint8_t)k;
    e->in_partition = in_partition;
    return RZ_OK;
}

static int cmp_key(const void *x, const void *y)
{
    const key_entry *a = x, *b = y;
    if (a->record != b->record)
        return a->record < b->record ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return (int)b->in_partition - (int)a->in_partition;
}

/* Drops the repeats of a (record, kind, key) from the sorted keys, keeping the first copy
 * (in the partition when any copy is): a key given twice, by two names of a record or twice
 * by the caller, counts once, as a row of person_key does. */
static size_t drop_repeats(key_entry *k, size_t n)
{
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (k[i].record != k[m - 1].record || k[i].kind != k[m - 1].kind ||
            k[i].hash != k[m - 1].hash)
            k[m++] = k[i];
    return m;
}

/* One component's values for a record: key hashes with their partition flags. */
typedef struct values {
    uint64_t hash[COMPOSITES_MAX];
    uint8_t in_partition[COMPOSITES_MAX];
    size_t n;
} values;

static void birth_values(const rz_match_record *r, int type, values *v)
{
    v->n = 0;
    const rz_date_range *d = &r->birth;
    if (d->precision == RZ_PREC_NONE)
        return;
    if (type == PART_BIRTH_DAY) {
        if (d->precision != RZ_PREC_DAY)
            return;
        v->hash[v->n] = (uint64_t)(int64_t)d->from;
        v->in_partition[v->n++] = 1;
        int y, m, dd;
        rz_days_to_ymd(d->from, &y, &m, &dd);
        if (d->dm_ambiguous && m != dd && rz_date_valid(y, dd, m)) {
            v->hash[v->n] = (uint64_t)(int64_t)rz_days_from_ymd(y, dd, m);
            v->in_partition[v->n++] = 1;
        }
        return;
    }
    int y0, y1, m, dd;
    rz_days_to_ymd(d->from, &y0, &m, &dd);
    rz_days_to_ymd(d->to, &y1, &m, &dd);
    if (y1 - y0 + 1 > RZ_BIRTH_YEARS_MAX)
        return;
    for (int y = y0; y <= y1; y++) {
        v->hash[v->n] = (uint64_t)y;
        v->in_partition[v->n++] = 1;
    }
}

typedef struct builder {
    comp_entry *comps;
    size_t n, cap;
} builder;

static rz_status push(builder *bl, uint64_t hash, uint32_t record, uint8_t rule, uint8_t inpart,
                      rz_error *err)
{
    if (bl->n == bl->cap) {
        comp_entry *c = rz__grow(bl->comps, &bl->cap, sizeof *c, 4096);
        if (c == NULL)
            return rz_error_set(err, RZ_ENOMEM, "out of memory for blocking keys");
        bl->comps = c;
    }
    bl->comps[bl->n++] = (comp_entry){hash, record, rule, inpart};
    return RZ_OK;
}

/* The composite keys of one record under one rule. `kr`: the record's keys, sorted by kind. */
static rz_status record_rule(const rz_blocker *b, size_t rule, const rz_match_record *rec,
                             uint32_t record, const key_entry *kr, size_t nkr, builder *bl,
                             rz_error *err)
{
    const rz_block_rule *r = &b->rules[rule];
    values v[RZ_RULE_PARTS_MAX];
    for (int p = 0; p < r->nparts; p++) {
        v[p].n = 0;
        if (b->part_type[rule][p] != PART_KEY) {
            birth_values(rec, b->part_type[rule][p], &v[p]);
        } else {
            for (size_t i = 0; i < nkr && v[p].n < COMPOSITES_MAX; i++)
                if (kr[i].kind == b->part_kind[rule][p]) {
                    v[p].hash[v[p].n] = kr[i].hash;
                    v[p].in_partition[v[p].n++] = kr[i].in_partition;
                }
        }
        if (v[p].n == 0)
            return RZ_OK;
    }
    size_t idx[RZ_RULE_PARTS_MAX] = {0}, made = 0;
    for (;;) {
        uint64_t h[RZ_RULE_PARTS_MAX + 1];
        h[0] = rule;
        for (int p = 0; p < r->nparts; p++)
            h[p + 1] = v[p].hash[idx[p]];
        uint64_t hash = XXH3_64bits(h, (size_t)(r->nparts + 1) * sizeof h[0]);
        rz_status s = push(bl, hash, record, (uint8_t)rule, v[0].in_partition[idx[0]], err);
        if (s != RZ_OK)
            return s;
        if (++made == COMPOSITES_MAX)
            return RZ_OK;
        int p = r->nparts - 1;
        while (p >= 0 && ++idx[p] == v[p].n)
            idx[p--] = 0;
        if (p < 0)
            return RZ_OK;
    }
}

/* Sorts the composites of one (record, rule) run by hash and drops duplicates, keeping the
 * partition flag when any copy has it. Runs are short (COMPOSITES_MAX at the most). */
static size_t sort_run(comp_entry *c, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        comp_entry e = c[i];
        size_t j = i;
        while (j > 0 && c[j - 1].hash > e.hash) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = e;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && c[k - 1].hash == c[i].hash) {
            c[k - 1].in_partition |= c[i].in_partition;
            continue;
        }
        c[k++] = c[i];
    }
    return k;
}

/* The smallest hash two sorted runs share, or 0 with *found false. */
static uint64_t first_shared(const comp_entry *x, size_t nx, const comp_entry *y, size_t ny,
                             bool *found)
{
    size_t i = 0, j = 0;
    while (i < nx && j < ny) {
        if (x[i].hash == y[j].hash) {
            *found = true;
            return x[i].hash;
        }
        if (x[i].hash < y[j].hash)
            i++;
        else
            j++;
    }
    *found = false;
    return 0;
}

typedef struct walk {
    const rz_blocker *b;
    const comp_entry *by_record;
    const uint32_t *off;
    const sub_key *sub;      /* split-kind keys in record order */
    const uint32_t *sub_off; /* per record: its first sub key; n + 1 entries */
    const uint8_t *sides;
    rz_match_mode mode;
    rz_pair_fn fn;
    void *user;
    rz_block_stats *stats;
} walk;

/* Whether the pair (x, y) is owned by rule `rule` under key `hash`. */
static bool owns(const walk *w, uint32_t x, uint32_t y, size_t rule, uint64_t hash)
{
    size_t nr = w->b->nrules;
    for (size_t q = 0; q <= rule; q++) {
        const comp_entry *cx = w->by_record + w->off[(size_t)x * nr + q];
        const comp_entry *cy = w->by_record + w->off[(size_t)y * nr + q];
        size_t nx = w->off[(size_t)x * nr + q + 1] - w->off[(size_t)x * nr + q];
        size_t ny = w->off[(size_t)y * nr + q + 1] - w->off[(size_t)y * nr + q];
        bool found;
        uint64_t h = first_shared(cx, nx, cy, ny, &found);
        if (found)
            return q == rule && h == hash;
    }
    return false;
}

/* Whether records x and y share a key of kind `kind` (the split of an oversized block). */
static bool share_sub(const walk *w, uint32_t x, uint32_t y, int kind)
{
    for (uint32_t i = w->sub_off[x]; i < w->sub_off[x + 1]; i++)
        for (uint32_t j = w->sub_off[y]; j < w->sub_off[y + 1]; j++)
            if (w->sub[i].kind == kind && w->sub[j].kind == kind &&
                w->sub[i].hash == w->sub[j].hash)
                return true;
    return false;
}

static rz_status walk_block(const walk *w, const uint32_t *blk, size_t n)
{
    const comp_entry *c = w->by_record;
    uint8_t rule = c[blk[0]].rule;
    uint64_t hash = c[blk[0]].hash;
    int split = w->b->split_block > 0 && n > w->b->split_block ? w->b->split_kind[rule] : -1;
    if (split < 0 && n > w->b->max_block) {
        w->stats->blocks_skipped++;
        w->stats->pairs_skipped += n * (n - 1) / 2;
        return RZ_OK;
    }
    w->stats->blocks++;
    w->stats->blocks_split += split >= 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            uint32_t x = c[blk[i]].record, y = c[blk[j]].record;
            unsigned sx = w->sides ? w->sides[x] : RZ_SIDE_A,
                     sy = w->sides ? w->sides[y] : RZ_SIDE_A;
            if (!rz_match_mode_pairs(w->mode, sx, sy))
                continue;
            if (split >= 0 && !share_sub(w, x, y, split)) {
                w->stats->pairs_split++;
                continue;
            }
            if (!owns(w, x, y, rule, hash)) {
                w->stats->pairs_duplicate++;
                continue;
            }
            w->stats->pairs++;
            w->stats->pairs_by_rule[rule]++;
            if (w->fn(x, y, rule, w->user) != 0)
                return RZ_ECANCELLED;
        }
    return RZ_OK;
}

/* Sorts one hash bucket's indices by (hash, rule), stably: they come in record order, which
 * stays the order inside each block. Insertion: a bucket holds a few blocks, mostly one. */
static void sort_bucket(const comp_entry *c, uint32_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t e = idx[i];
        size_t j = i;
        while (j > 0 && (c[idx[j - 1]].hash > c[e].hash ||
                         (c[idx[j - 1]].hash == c[e].hash && c[idx[j - 1]].rule > c[e].rule))) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = e;
    }
}

/*
 * The blocks: the composites in the partition, grouped by (rule, hash) as 4-byte indices into
 * `c` (record order). A counting pass spreads them over about m/4 hash buckets (record order
 * kept inside each), then each bucket is sorted and its groups walked.
 */
static rz_status walk_blocks(const walk *w, const comp_entry *c, size_t nc, rz_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < nc; i++)
        m += c[i].in_partition;
    if (m < 2)
        return RZ_OK;
    size_t nb = 1;
    while (nb < m / 4)
        nb <<= 1;
    uint32_t *start = calloc(nb + 1, sizeof *start);
    uint32_t *idx = malloc(m * sizeof *idx);
    rz_status s = RZ_OK;
    if (start == NULL || idx == NULL) {
        s = rz_error_set(err, RZ_ENOMEM, "out of memory for %zu blocking keys", m);
        goto done;
    }
    for (size_t i = 0; i < nc; i++)
        if (c[i].in_partition)
            start[(c[i].hash & (nb - 1)) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < nc; i++)
        if (c[i].in_partition)
            idx[start[c[i].hash & (nb - 1)]++] = (uint32_t)i; /* start[b]: now bucket b's end */
    for (size_t b = 0, lo = 0; b < nb && s == RZ_OK; lo = start[b++]) {
        size_t hi = start[b];
        if (hi - lo < 2)
            continue;
        sort_bucket(c, idx + lo, hi - lo);
        for (size_t i = lo; i < hi && s == RZ_OK;) {
            size_t j = i + 1;
            while (j < hi && c[idx[j]].hash == c[idx[i]].hash && c[idx[j]].rule == c[idx[i]].rule)
                j++;
            if (j - i >= 2)
                s = walk_block(w, idx + i, j - i);
            i = j;
        }
    }
done:
    free(start);
    free(idx);
    return s;
}

/* The keys of the rules' split kinds, per record (the keys are sorted by record): the only
 * keys needed once the composites are made. NULL arrays when no rule splits. */
static rz_status keep_split_keys(const rz_blocker *b, size_t n, sub_key **sub, uint32_t **sub_off,
                                 rz_error *err)
{
    bool is_split[KINDS_MAX] = {false}, any = false;
    for (size_t r = 0; r < b->nrules; r++)
        if (b->split_kind[r] >= 0)
            any = is_split[b->split_kind[r]] = true;
    if (!any || b->split_block == 0)
        return RZ_OK;
    size_t m = 0;
    for (size_t i = 0; i < b->nkeys; i++)
        m += is_split[b->keys[i].kind];
    *sub = malloc((m ? m : 1) * sizeof **sub);
    *sub_off = calloc(n + 1, sizeof **sub_off);
    if (*sub == NULL || *sub_off == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory for %zu split keys", m);
    size_t k = 0;
    for (size_t i = 0; i < b->nkeys; i++) {
        const key_entry *e = &b->keys[i];
        if (!is_split[e->kind])
            continue;
        (*sub)[k++] = (sub_key){e->hash, e->kind};
        (*sub_off)[e->record + 1]++;
    }
    for (size_t r = 1; r <= n; r++)
        (*sub_off)[r] += (*sub_off)[r - 1];
    return RZ_OK;
}

rz_status rz_blocker_pairs(rz_blocker *b, const rz_match_record *records, const uint8_t *sides,
                           size_t n, rz_match_mode mode, rz_pair_fn fn, void *user,
                           rz_block_stats *stats, rz_error *err)
{
    memset(stats, 0, sizeof *stats);
    builder bl = {0};
    uint32_t *off = NULL, *sub_off = NULL;
    sub_key *sub = NULL;
    rz_status s = RZ_OK;
    size_t slots = n * b->nrules + 1;
    if (n > UINT32_MAX || (off = malloc(slots * sizeof *off)) == NULL) {
        s = rz_error_set(err, RZ_ENOMEM, "out of memory for the block index of %zu records", n);
        goto done;
    }
    if (b->nkeys > 0) { /* an empty partition: qsort must not get NULL */
        qsort(b->keys, b->nkeys, sizeof *b->keys, cmp_key);
        b->nkeys = drop_repeats(b->keys, b->nkeys);
    }
    /* the composites come out in record order, rule by rule; each (record, rule) run is sorted
     * by hash on the spot, so `off` indexes them without a sort of the whole array */
    for (size_t i = 0, r = 0; r < n; r++) {
        size_t start = i;
        while (i < b->nkeys && b->keys[i].record == r)
            i++;
        for (size_t rule = 0; rule < b->nrules && s == RZ_OK; rule++) {
            size_t at = bl.n;
            off[r * b->nrules + rule] = (uint32_t)at;
            s = record_rule(b, rule, &records[r], (uint32_t)r, b->keys + start, i - start, &bl,
                            err);
            if (s == RZ_OK)
                bl.n = at + sort_run(bl.comps + at, bl.n - at);
            if (s == RZ_OK && bl.n >= UINT32_MAX)
                s = rz_error_set(err, RZ_ERANGE, "more than %u blocking keys in one partition",
                                 UINT32_MAX - 1);
        }
        if (s != RZ_OK)
            goto done;
    }
    off[slots - 1] = (uint32_t)bl.n;
    if ((s = keep_split_keys(b, n, &sub, &sub_off, err)) != RZ_OK)
        goto done;
    /* the keys are in the composites now: give their memory back before the blocks take theirs
     * (a million records hold about ten million keys) */
    free(b->keys);
    b->keys = NULL;
    b->nkeys = b->capkeys = 0;
    if (bl.n > 0 && bl.n < bl.cap) {
        comp_entry *c = realloc(bl.comps, bl.n * sizeof *c);
        if (c != NULL)
            bl.comps = c;
    }
    walk w = {b, bl.comps, off, sub, sub_off, sides, mode, fn, user, stats};
    s = walk_blocks(&w, bl.comps, bl.n, err);
    if (s == RZ_ECANCELLED)
        rz_error_set(err, s, "pair generation stopped");
done:
    free(sub);
    free(sub_off);
    free(off);
    free(bl.comps);
    return s;
}
