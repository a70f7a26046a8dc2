/* test_match.c: blocking rules, pair generation (every pair sharing a key is generated, exactly
 * once across rules, keys and partitions), the match modes, and clustering. */
#include <criterion/criterion.h>

#include "rozshuk/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(match, rules_parse_and_reject_bad_ones)
{
    rz_block_rule rules[RZ_RULES_MAX];
    size_t n;
    cr_assert_eq(rz_block_rules_parse(RZ_RULES_DEFAULT, rules, &n, NULL), RZ_OK);
    cr_assert_eq(n, 7);
    cr_assert_str_eq(rules[0].part[0], "sur_fold");
    cr_assert_str_eq(rules[5].part[0], "word_skel"); /* names in the wrong columns */
    /* the canonical given name: Сергій = Сергей = Serhii, which given_skel does not join */
    cr_assert_str_eq(rules[6].part[0], "given_canon");
    cr_assert_str_eq(rules[6].part[1], "birth_day");
    cr_assert_str_eq(rules[0].part[1], "birth_year");
    rz_error err;
    cr_assert_eq(rz_block_rules_parse("birth_year+sur_dm", rules, &n, &err), RZ_EPARSE);
    cr_assert(strstr(err.message, "first part"));
    cr_assert_eq(rz_block_rules_parse("sur_dm+Given", rules, &n, &err), RZ_EPARSE);
    cr_assert_eq(rz_block_rules_parse("a+b+c+d", rules, &n, &err), RZ_EPARSE);
    cr_assert_eq(rz_block_rules_parse("sur_dm;;id", rules, &n, &err), RZ_EPARSE);
    cr_assert_eq(rz_block_rules_parse("", rules, &n, &err), RZ_EPARSE);
}

Test(match, modes_decide_which_sides_pair)
{
    cr_assert(rz_match_mode_pairs(RZ_MODE_DEDUPE, RZ_SIDE_A, RZ_SIDE_A));
    cr_assert_not(rz_match_mode_pairs(RZ_MODE_DEDUPE, RZ_SIDE_A, RZ_SIDE_B));
    cr_assert(rz_match_mode_pairs(RZ_MODE_LINK, RZ_SIDE_B, RZ_SIDE_A));
    cr_assert_not(rz_match_mode_pairs(RZ_MODE_LINK, RZ_SIDE_A, RZ_SIDE_A));
    cr_assert(rz_match_mode_pairs(RZ_MODE_NEW, RZ_SIDE_A, RZ_SIDE_B));
    cr_assert(rz_match_mode_pairs(RZ_MODE_NEW, RZ_SIDE_A, RZ_SIDE_A));
    cr_assert_not(rz_match_mode_pairs(RZ_MODE_NEW, RZ_SIDE_B, RZ_SIDE_B));
}

/* A synthetic population: each record has 1-2 surname keys out of 12, one given key out of 6,
 * a birth year out of 8 (or unknown). */
enum { N = 300, PARTS = 4 };

typedef struct synth {
    int sur[2], nsur, given, year;
} synth;

static synth pop[N];
static rz_match_record recs[N];

static void make_population(void)
{
    unsigned seed = 99;
    for (int i = 0; i < N; i++) {
        pop[i].nsur = 1 + (rand_r(&seed) % 4 == 0);
        pop[i].sur[0] = rand_r(&seed) % 12;
        pop[i].sur[1] = rand_r(&seed) % 12;
        pop[i].given = rand_r(&seed) % 6;
        pop[i].year = rand_r(&seed) % 10 < 8 ? 1960 + rand_r(&seed) % 8 : 0;
        rz_match_record_init(&recs[i]);
        recs[i].id = i + 1;
        if (pop[i].year) {
            recs[i].birth.from = rz_days_from_ymd(pop[i].year, 1, 1);
            recs[i].birth.to = rz_days_from_ymd(pop[i].year, 12, 31);
            recs[i].birth.precision = RZ_PREC_YEAR;
        }
    }
}

static bool shares_surname(int a, int b)
{
    for (int i = 0; i < pop[a].nsur; i++)
        for (int j = 0; j < pop[b].nsur; j++)
            if (pop[a].sur[i] == pop[b].sur[j])
                return true;
    return false;
}

/* The truth for rules "sur_fold+birth_year;given_canon+sur_fold" */
static bool should_pair(int a, int b)
{
    bool r1 = pop[a].year && pop[a].year == pop[b].year && shares_surname(a, b);
    bool r2 = pop[a].given == pop[b].given && shares_surname(a, b);
    return r1 || r2;
}

static unsigned char seen[N][N];

static int count_pair(size_t a, size_t b, int rule, void *user)
{
    (void)rule;
    (void)user;
    seen[a][b]++;
    return 0;
}

static int partition_of(const char *key)
{
    unsigned h = 0;
    for (const char *p = key; *p; p++)
        h = h * 31 + (unsigned char)*p;
    return (int)(h % PARTS);
}

static void add_keys(rz_blocker *b, int p)
{
    char key[32];
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < pop[i].nsur; k++) {
            snprintf(key, sizeof key, "sur%d", pop[i].sur[k]);
            if (rz_blocker_add_key(b, (size_t)i, "sur_fold", key, partition_of(key) == p, NULL))
                cr_assert_fail("add_key failed");
        }
        snprintf(key, sizeof key, "given%d", pop[i].given);
        if (rz_blocker_add_key(b, (size_t)i, "given_canon", key, partition_of(key) == p, NULL))
            cr_assert_fail("add_key failed");
        /* a kind no rule uses is ignored */
        if (rz_blocker_add_key(b, (size_t)i, "word_skel", "x", true, NULL))
            cr_assert_fail("add_key failed");
    }
}

Test(match, blocking_generates_every_pair_exactly_once_across_partitions)
{
    make_population();
    memset(seen, 0, sizeof seen);
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    cr_assert_eq(
        rz_block_rules_parse("sur_fold+birth_year;given_canon+sur_fold", rules, &nrules, NULL),
        RZ_OK);
    size_t total = 0;
    for (int p = 0; p < PARTS; p++) {
        rz_blocker *b;
        cr_assert_eq(rz_blocker_new(rules, nrules, &b, NULL), RZ_OK);
        add_keys(b, p);
        rz_block_stats st;
        cr_assert_eq(
            rz_blocker_pairs(b, recs, NULL, N, RZ_MODE_DEDUPE, count_pair, NULL, &st, NULL), RZ_OK);
        total += st.pairs;
        cr_assert_eq(st.blocks_skipped, 0);
        rz_blocker_free(b);
    }
    size_t expected = 0, wrong = 0;
    for (int a = 0; a < N; a++)
        for (int b = a + 1; b < N; b++) {
            bool want = should_pair(a, b);
            expected += want;
            wrong += seen[a][b] != (want ? 1 : 0) || seen[b][a] != 0;
        }
    cr_assert_eq(wrong, 0, "%zu pairs generated a wrong number of times", wrong);
    cr_assert_eq(total, expected);
    cr_assert_gt(expected, 1000, "the population should make many pairs (%zu)", expected);
}

/* A rule with a split key: its blocks over the split size compare only the records that also
 * share a key of that kind, each such pair once across partitions, and the pairs left out are
 * counted; blocks at or under the size are compared whole. */
Test(match, oversized_blocks_of_a_split_rule_compare_only_records_sharing_the_split_key)
{
    make_population();
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    cr_assert_eq(rz_block_rules_parse("given_canon/sur_fold", rules, &nrules, NULL), RZ_OK);
    cr_assert_str_eq(rules[0].split, "sur_fold");
    cr_assert_str_eq(rules[0].part[0], "given_canon");
    rz_error err;
    cr_assert_eq(rz_block_rules_parse("given_canon/birth_year", rules + 1, &nrules, &err),
                 RZ_EPARSE);
    cr_assert(strstr(err.message, "split"), "%s", err.message);
    cr_assert_eq(rz_block_rules_parse("given_canon/sur_fold", rules, &nrules, NULL), RZ_OK);
    /* about 50 records share each of the 6 given keys: over 20, every block is split; with
     * 1000 none is */
    size_t limits[] = {20, 1000};
    for (size_t l = 0; l < 2; l++) {
        memset(seen, 0, sizeof seen);
        size_t total = 0, left_out = 0, split = 0;
        for (int p = 0; p < PARTS; p++) {
            rz_blocker *b;
            cr_assert_eq(rz_blocker_new(rules, nrules, &b, NULL), RZ_OK);
            rz_blocker_set_split_block(b, limits[l]);
            add_keys(b, p);
            rz_block_stats st;
            cr_assert_eq(
                rz_blocker_pairs(b, recs, NULL, N, RZ_MODE_DEDUPE, count_pair, NULL, &st, NULL),
                RZ_OK);
            total += st.pairs;
            left_out += st.pairs_split;
            split += st.blocks_split;
            rz_blocker_free(b);
        }
        size_t expected = 0, same_given = 0, wrong = 0;
        for (int a = 0; a < N; a++)
            for (int b = a + 1; b < N; b++) {
                bool given = pop[a].given == pop[b].given;
                bool want = given && (l == 1 || shares_surname(a, b));
                same_given += given;
                expected += want;
                wrong += seen[a][b] != (want ? 1 : 0) || seen[b][a] != 0;
            }
        cr_assert_eq(wrong, 0, "limit %zu: %zu pairs generated a wrong number of times", limits[l],
                     wrong);
        cr_assert_eq(total, expected);
        cr_assert_eq(split, l == 0 ? 6 : 0);
        cr_assert_eq(left_out, same_given - expected, "the pairs left out are counted");
        cr_assert_gt(expected, 100);
    }
}

Test(match, link_mode_only_pairs_across_sides_and_oversized_blocks_are_counted)
{
    make_population();
    memset(seen, 0, sizeof seen);
    uint8_t sides[N];
    for (int i = 0; i < N; i++)
        sides[i] = i % 2 ? RZ_SIDE_B : RZ_SIDE_A;
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    cr_assert_eq(rz_block_rules_parse("given_canon", rules, &nrules, NULL), RZ_OK);
    rz_blocker *b;
    cr_assert_eq(rz_blocker_new(rules, nrules, &b, NULL), RZ_OK);
    add_keys(b, -1); /* nothing in the partition */
    char key[32];
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "given%d", pop[i].given);
        if (rz_blocker_add_key(b, (size_t)i, "given_canon", key, true, NULL))
            cr_assert_fail("add_key failed");
    }
    rz_block_stats st;
    cr_assert_eq(rz_blocker_pairs(b, recs, sides, N, RZ_MODE_LINK, count_pair, NULL, &st, NULL),
                 RZ_OK);
    size_t wrong = 0;
    for (int a = 0; a < N; a++)
        for (int c = a + 1; c < N; c++)
            wrong += seen[a][c] != (pop[a].given == pop[c].given && (a % 2) != (c % 2));
    cr_assert_eq(wrong, 0);
    rz_blocker_free(b);

    /* the same with a cap of 10 records per block: every block (about 50 records) is skipped */
    cr_assert_eq(rz_blocker_new(rules, nrules, &b, NULL), RZ_OK);
    rz_blocker_set_max_block(b, 10);
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof key, "given%d", pop[i].given);
        if (rz_blocker_add_key(b, (size_t)i, "given_canon", key, true, NULL))
            cr_assert_fail("add_key failed");
    }
    cr_assert_eq(rz_blocker_pairs(b, recs, sides, N, RZ_MODE_LINK, count_pair, NULL, &st, NULL),
                 RZ_OK);
    cr_assert_eq(st.pairs, 0);
    cr_assert_eq(st.blocks_skipped, 6);
    cr_assert_gt(st.pairs_skipped, 0);
    rz_blocker_free(b);
}

/* A key given many times for one record (by each of its names, as a match task that makes the
 * keys from the names it reads does) counts once: the record's other keys still make blocks,
 * however many copies come first. */
Test(match, a_key_repeated_for_a_record_counts_once)
{
    rz_match_record r[3];
    uint8_t sides[3] = {RZ_SIDE_A, RZ_SIDE_A, RZ_SIDE_A};
    for (int i = 0; i < 3; i++) {
        rz_match_record_init(&r[i]);
        r[i].id = i + 1;
    }
    rz_block_rule rules[RZ_RULES_MAX];
    size_t nrules;
    cr_assert_eq(rz_block_rules_parse("sur_fold", rules, &nrules, NULL), RZ_OK);
    rz_blocker *b;
    cr_assert_eq(rz_blocker_new(rules, nrules, &b, NULL), RZ_OK);
    for (int copy = 0; copy < 100; copy++) {
        cr_assert_eq(rz_blocker_add_key(b, 0, "sur_fold", "klimenko", true, NULL), RZ_OK);
        cr_assert_eq(rz_blocker_add_key(b, 0, "sur_fold", "shevchenko", true, NULL), RZ_OK);
    }
    cr_assert_eq(rz_blocker_add_key(b, 1, "sur_fold", "klimenko", true, NULL), RZ_OK);
    cr_assert_eq(rz_blocker_add_key(b, 2, "sur_fold", "shevchenko", true, NULL), RZ_OK);
    memset(seen, 0, sizeof seen);
    rz_block_stats st;
    cr_assert_eq(rz_blocker_pairs(b, r, sides, 3, RZ_MODE_DEDUPE, count_pair, NULL, &st, NULL),
                 RZ_OK);
    cr_assert_eq(st.pairs, 2);
    cr_assert_eq(seen[0][1] + seen[1][0], 1, "Клименко with Klimenko");
    cr_assert_eq(seen[0][2] + seen[2][0], 1, "Шевченко with Shevchenko");
    rz_blocker_free(b);
}

Test(match, clusters_are_connected_components_named_by_smallest_id)
{
    /* 5-9-3 chain, 20-21, 7 alone with 8 */
    int64_t a[] = {5, 9, 21, 8};
    int64_t b[] = {9, 3, 20, 7};
    int64_t *ids, *cl;
    size_t n;
    cr_assert_eq(rz_cluster_pairs(a, b, 4, &ids, &cl, &n, NULL), RZ_OK);
    cr_assert_eq(n, 7);
    int64_t want_ids[] = {3, 5, 7, 8, 9, 20, 21};
    int64_t want_cl[] = {3, 3, 7, 7, 3, 20, 20};
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(ids[i], want_ids[i]);
        cr_assert_eq(cl[i], want_cl[i], "record %lld in cluster %lld", (long long)ids[i],
                     (long long)cl[i]);
    }
    free(ids);
    free(cl);
    cr_assert_eq(rz_cluster_pairs(NULL, NULL, 0, &ids, &cl, &n, NULL), RZ_OK);
    cr_assert_eq(n, 0);
    free(ids);
    free(cl);
}
