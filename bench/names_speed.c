/*
 * names_speed.c: throughput of the names engine on one core.
 *
 *   build/bench/names_speed [-n NAMES] [-p PAIRS] [--pairs-out FILE]
 *
 * Rates are per second of CPU time of the one thread (CLOCK_THREAD_CPUTIME_ID), so that other
 * work on a shared machine does not count against them. Prints names prepared per second
 * (rz_name_parse keeping every name, and rz_name_parse + rz_name_keys + rz_name_free as
 * loading does), name pairs compared per second on prepared names (rz_name_compare), and
 * rz_jaro_winkler per second on the clean forms of the same pairs. With --pairs-out it writes
 * those clean-form pairs (one "A<TAB>B" per line) so that bench/names_speed.sh can time the same
 * Jaro-Winkler workload with python3-jellyfish as the baseline.
 *
 * Names: full names built from the evaluation's real surnames and given names, a third each in
 * Ukrainian Cyrillic, Russian Cyrillic and the Latin KMU 2010 rendering.
 */
#include "rozshuk/names.h"
#include "rozshuk/similarity.h"
#include "rozshuk/translit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NAMES_EVAL_DIR
#define NAMES_EVAL_DIR "bench/data/names_eval"
#endif

#define TEXT 256

/* CPU time of this thread: the machine is shared, and "per core" means per second of CPU. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

static const char *const GIVEN_UK[] = {"Олександр", "Іван",   "Ольга",  "Наталія", "Сергій",
                                       "Андрій",    "Тетяна", "Микола", "Юлія",    "Григорій"};
static const char *const GIVEN_RU[] = {"Александр", "Иван",    "Ольга",   "Наталья", "Сергей",
                                       "Андрей",    "Татьяна", "Николай", "Юлия",    "Григорий"};
static const char *const PATR_UK[] = {"Іванович", "Петрівна", "Олексійович", "Миколаївна"};
static const char *const PATR_RU[] = {"Иванович", "Петровна", "Алексеевич", "Николаевна"};

static void usage(void)
{
    fprintf(stderr, "usage: names_speed [-n NAMES] [-p PAIRS] [--pairs-out FILE]\n");
}

/* Reads the evaluation's surname pairs and builds `n` full names. */
static char (*make_names(size_t n))[TEXT]
{
    FILE *f = fopen(NAMES_EVAL_DIR "/uk_ru_surnames.tsv", "r");
    if (f == NULL) {
        perror(NAMES_EVAL_DIR "/uk_ru_surnames.tsv");
        return NULL;
    }
    static char uk[10000][64], ru[10000][64];
    size_t ns = 0;
    char line[512];
    while (fgets(line, sizeof line, f) && ns < 10000) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (tab == NULL || strlen(line) >= 64 || strlen(tab + 1) >= 64)
            continue;
        *tab = '\0';
        memcpy(uk[ns], line, strlen(line) + 1);
        memcpy(ru[ns], tab + 1, strlen(tab + 1) + 1);
        ns++;
    }
    fclose(f);
    char(*names)[TEXT] = calloc(n, TEXT);
    rz_translit *kmu = NULL;
    if (names == NULL || ns == 0 || rz_translit_open("uk-kmu-2010", &kmu, NULL) != RZ_OK) {
        free(names);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t s = pick(ns), g = pick(10), p = pick(4);
        if (i % 3 == 1) {
            snprintf(names[i], TEXT, "%s %s %s", ru[s], GIVEN_RU[g], PATR_RU[p]);
        } else {
            snprintf(names[i], TEXT, "%s %s %s", uk[s], GIVEN_UK[g], PATR_UK[p]);
            char *latin = NULL;
            if (i % 3 == 2 && rz_translit_apply(kmu, names[i], &latin, NULL) == RZ_OK)
                snprintf(names[i], TEXT, "%s", latin);
            free(latin);
        }
    }
    rz_translit_close(kmu);
    return names;
}

static void count_key(const char *kind, const char *key, void *user)
{
    (void)kind;
    (void)key;
    (*(size_t *)user)++;
}

int main(int argc, char **argv)
{
    size_t n = 20000, npairs = 2000000;
    const char *pairs_out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
            npairs = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--pairs-out") == 0 && i + 1 < argc)
            pairs_out = argv[++i];
        else {
            usage();
            return 2;
        }
    }
    if (n < 2 || npairs == 0) {
        usage();
        return 2;
    }
    rz_name_ctx *ctx = NULL;
    double t0 = now();
    if (rz_name_ctx_open(&ctx, NULL) != RZ_OK)
        return 1;
    double t_open = now() - t0;
    char(*texts)[TEXT] = make_names(n);
    rz_name **names = calloc(n, sizeof *names);
    if (texts == NULL || names == NULL)
        return 1;

    /* preparing: parse only, then parse + keys (what loading stores) */
    t0 = now();
    for (size_t i = 0; i < n; i++)
        if (rz_name_parse(ctx, texts[i], &names[i], NULL) != RZ_OK)
            return 1;
    double t_parse = now() - t0;
    size_t keys = 0;
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        rz_name *tmp = NULL;
        if (rz_name_parse(ctx, texts[i], &tmp, NULL) != RZ_OK)
            return 1;
        rz_name_keys(tmp, count_key, &keys);
        rz_name_free(tmp);
    }
    double t_keys = now() - t0;

    /* comparing prepared names, as the matcher does: every pair within blocks of BLOCK names
     * prepared one after the other (so a block sits together in memory), and, for the
     * worst case of memory access, random pairs over all names */
    enum { BLOCK = 64 };
    size_t *pa = malloc(npairs * sizeof *pa), *pb = malloc(npairs * sizeof *pb);
    if (pa == NULL || pb == NULL)
        return 1;
    for (size_t i = 0; i < npairs; i++) {
        pa[i] = pick(n);
        pb[i] = pick(n);
    }
    size_t levels[5] = {0}, done = 0;
    t0 = now();
    while (done < npairs)
        for (size_t blk = 0; blk + BLOCK <= n && done < npairs; blk += BLOCK)
            for (size_t i = blk; i < blk + BLOCK && done < npairs; i++)
                for (size_t j = i + 1; j < blk + BLOCK && done < npairs; j++, done++) {
                    rz_name_comparison c;
                    rz_name_compare(names[i], names[j], &c);
                    levels[c.level]++;
                }
    double t_cmp = now() - t0;
    t0 = now();
    for (size_t i = 0; i < npairs; i++) {
        rz_name_comparison c;
        rz_name_compare(names[pa[i]], names[pb[i]], &c);
        levels[c.level] += 0;
    }
    double t_cmp_random = now() - t0;

    /* Jaro-Winkler on the surnames' clean forms of the same pairs, as code points */
    size_t njw = npairs < 1000000 ? npairs : 1000000;
    uint32_t(*cps)[64] = calloc(n, sizeof *cps);
    uint8_t *lens = calloc(n, 1);
    if (cps == NULL || lens == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)rz_name_clean(names[i], RZ_PART_SURNAME);
        size_t k = 0;
        while (s && *s && k < 64) { /* valid UTF-8 from the engine */
            uint32_t c = *s;
            size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            c = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
            for (size_t j = 1; j < len; j++)
                c = (c << 6) | (s[j] & 0x3F);
            cps[i][k++] = c;
            s += len;
        }
        lens[i] = (uint8_t)k;
    }
    double jw_sum = 0.0;
    t0 = now();
    for (size_t i = 0; i < njw; i++)
        jw_sum += rz_jaro_winkler(cps[pa[i]], lens[pa[i]], cps[pb[i]], lens[pb[i]]);
    double t_jw = now() - t0;

    if (pairs_out) {
        FILE *f = fopen(pairs_out, "w");
        if (f == NULL) {
            perror(pairs_out);
            return 1;
        }
        for (size_t i = 0; i < njw; i++)
            fprintf(f, "%s\t%s\n", rz_name_clean(names[pa[i]], RZ_PART_SURNAME),
                    rz_name_clean(names[pb[i]], RZ_PART_SURNAME));
        fclose(f);
    }

    printf("names engine, one core (%zu names: Ukrainian, Russian, Latin KMU; %zu pairs)\n", n,
           npairs);
    printf("  open (dictionary)           %10.1f ms\n", t_open * 1000.0);
    printf("  names prepared and kept     %10.0f /s\n", (double)n / t_parse);
    printf("  names prepared + keys, freed%10.0f /s  (%.1f keys per name)\n", (double)n / t_keys,
           (double)keys / (double)n);
    printf("  name pairs compared         %10.0f /s  within blocks of %d (far %zu, close %zu, "
           "equivalent %zu, exact %zu)\n",
           (double)npairs / t_cmp, (int)BLOCK, levels[RZ_LEVEL_FAR], levels[RZ_LEVEL_CLOSE],
           levels[RZ_LEVEL_EQUIVALENT], levels[RZ_LEVEL_EXACT]);
    printf("  name pairs compared         %10.0f /s  random pairs over all names\n",
           (double)npairs / t_cmp_random);
    printf("  rz_jaro_winkler (surnames)  %10.0f /s  (mean %.4f over %zu pairs)\n",
           (double)njw / t_jw, jw_sum / (double)njw, njw);
    for (size_t i = 0; i < n; i++)
        rz_name_free(names[i]);
    free(names);
    free(texts);
    free(pa);
    free(pb);
    free(cps);
    free(lens);
    rz_name_ctx_close(ctx);
    return 0;
}
