/*
 * translit_vectors.c: how well the built-in transliteration schemes reproduce the authority
 * vectors in tests/data/translit/, and how fast they run.
 *
 *   build/bench/translit_vectors [-v] [DATA_DIR]
 *
 * Prints, per scheme and per vector system, passed/total and the vectors that are wrong
 * according to the standard (see tests/common/translit_vectors.c); with -v every failure.
 * Then transliterations per second of real full names on one core, with ICU's own built-in
 * Ukrainian BGN transliterator run through `uconv` over the same names as the baseline.
 */
#include "rozshuk/translit.h"

#include "translit_vectors.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct tally {
    size_t total, passed, known_wrong;
};

/* Runs every vector mapped to `scheme`; prints a line per system and the scheme's total. */
static int check_scheme(const char *scheme, const rzv_list *vl, bool verbose, struct tally *all)
{
    rz_error err;
    rz_error_clear(&err);
    rz_translit *tr = NULL;
    if (rz_translit_open(scheme, &tr, &err) != RZ_OK) {
        fprintf(stderr, "%s: %s\n", scheme, err.message);
        return -1;
    }
    struct tally sum = {0};
    const char *systems[16];
    struct tally per[16] = {{0}};
    size_t nsys = 0;
    for (size_t i = 0; i < vl->count; i++) {
        const rzv_vector *v = &vl->items[i];
        if (v->scheme == NULL || strcmp(v->scheme, scheme) != 0)
            continue;
        size_t s = 0;
        while (s < nsys && strcmp(systems[s], v->system) != 0)
            s++;
        if (s == nsys && nsys < 16)
            systems[nsys++] = v->system;
        char *got = NULL;
        bool ok =
            rz_translit_apply(tr, v->source, &got, &err) == RZ_OK && strcmp(got, v->expected) == 0;
        const char *wrong = rzv_known_wrong(v);
        per[s].total++;
        per[s].passed += ok;
        per[s].known_wrong += !ok && wrong != NULL;
        if (!ok && verbose)
            printf("    FAIL %s: %.60s -> %.60s (expected %.60s)%s%s\n", v->system, v->source,
                   got ? got : err.message, v->expected, wrong ? "; vector wrong: " : "",
                   wrong ? wrong : "");
        free(got);
    }
    for (size_t s = 0; s < nsys; s++) {
        printf("  %-17s %-34s %3zu/%-3zu pass %5.1f%%", scheme, systems[s], per[s].passed,
               per[s].total, 100.0 * (double)per[s].passed / (double)per[s].total);
        if (per[s].known_wrong)
            printf("  (+%zu vector(s) wrong per the standard)", per[s].known_wrong);
        putchar('\n');
        sum.total += per[s].total;
        sum.passed += per[s].passed;
        sum.known_wrong += per[s].known_wrong;
    }
    if (nsys == 0)
        printf("  %-17s %-34s no vectors\n", scheme, "-");
    all->total += sum.total;
    all->passed += sum.passed;
    all->known_wrong += sum.known_wrong;
    rz_translit_close(tr);
    return 0;
}

static void print_unmapped(const rzv_list *vl)
{
    const char *seen[32];
    size_t nseen = 0;
    for (size_t i = 0; i < vl->count; i++) {
        const rzv_vector *v = &vl->items[i];
        if (v->scheme != NULL)
            continue;
        size_t s = 0;
        while (s < nseen && strcmp(seen[s], v->system) != 0)
            s++;
        if (s < nseen || nseen == 32)
            continue;
        seen[nseen++] = v->system;
        size_t n = 0;
        for (size_t k = 0; k < vl->count; k++)
            n += vl->items[k].scheme == NULL && strcmp(vl->items[k].system, v->system) == 0;
        const char *why = NULL;
        rzv_scheme_for(v->system, &why);
        printf("  not mapped: %-34s %3zu vectors: %s\n", v->system, n, why ? why : "");
    }
}

/* Real Ukrainian full names (surname, given name, patronymic), as registers write them. */
static const char *const names[] = {
    "Клименко Олександр Іванович",   "Шевченко Тарас Григорович",
    "Згурський Юрій Олегович",       "Щербак Ярослава Петрівна",
    "Ковальчук Наталія Василівна",   "Бондаренко Андрій Миколайович",
    "Мар’яненко Юлія Сергіївна",     "Ґудзь Євген Богданович",
    "Литвиненко Олексій Вікторович", "Ткаченко Ірина Анатоліївна",
    "Поліщук Дмитро Володимирович",  "Коваленко Марина Олександрівна",
    "Кравченко Віталій Степанович",  "Савчук Людмила Григорівна",
    "Мельник Іван Іванович",         "Бойко Оксана Федорівна",
};

static double run_ours(const char *scheme, size_t reps, size_t *done)
{
    rz_translit *tr = NULL;
    if (rz_translit_open(scheme, &tr, NULL) != RZ_OK)
        return 0;
    size_t n = sizeof names / sizeof names[0];
    double t0 = now();
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++) {
            char *out = NULL;
            if (rz_translit_apply(tr, names[i], &out, NULL) == RZ_OK)
                (*done)++;
            free(out);
        }
    double dt = now() - t0;
    rz_translit_close(tr);
    return dt;
}

/* ICU's built-in uk-uk_Latn/BGN via uconv over the same names, one per line. */
static double run_uconv(size_t reps, size_t *lines)
{
    char path[] = "/tmp/rozshuk-translit-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (f == NULL)
        return -1;
    size_t n = sizeof names / sizeof names[0];
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%s\n", names[i]);
            (*lines)++;
        }
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "uconv -x 'uk-uk_Latn/BGN' < %s > /dev/null 2>&1", path);
    double t0 = now();
    int rc = system(cmd);
    double dt = now() - t0;
    remove(path);
    return rc == 0 ? dt : -1;
}

static void throughput(void)
{
    const size_t reps = 2000; /* 32,000 names: well under a second per scheme */
    printf("\nthroughput (one core, %zu full names per run):\n",
           reps * (sizeof names / sizeof names[0]));
    const char *schemes[] = {"uk-kmu-2010", "ru-icao-9303", "ru-bgn-pcgn", "be-national"};
    double kmu_rate = 0;
    for (size_t s = 0; s < sizeof schemes / sizeof schemes[0]; s++) {
        size_t done = 0;
        double dt = run_ours(schemes[s], reps, &done);
        double rate = dt > 0 ? (double)done / dt : 0;
        if (s == 0)
            kmu_rate = rate;
        printf("  rozshuk %-17s %9.0f transliterations/s\n", schemes[s], rate);
    }
    size_t lines = 0;
    double dt = run_uconv(reps, &lines);
    if (dt > 0) {
        double rate = (double)lines / dt;
        printf("  baseline: ICU uconv -x uk-uk_Latn/BGN %9.0f lines/s (process start included)\n",
               rate);
        printf("  ratio uk-kmu-2010 / ICU built-in BGN: %.2f\n", kmu_rate / rate);
    } else {
        printf("  baseline: uconv not available\n");
    }
}

int main(int argc, char **argv)
{
    bool verbose = false;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else
            dir = argv[i];
    }
    char dbuf[4096];
    if (dir == NULL)
        dir = rzv_default_dir(dbuf, sizeof dbuf);
    rzv_list vl;
    char errbuf[512];
    if (rzv_load(dir, &vl, errbuf, sizeof errbuf) != 0) {
        fprintf(stderr, "translit_vectors: %s (run from the checkout or pass DATA_DIR)\n", errbuf);
        return 1;
    }
    printf("authority vectors from %s (%zu)\n", dir, vl.count);
    struct tally all = {0};
    for (size_t i = 0; i < rz_translit_scheme_count(); i++)
        if (check_scheme(rz_translit_scheme_name(i), &vl, verbose, &all) != 0) {
            rzv_free(&vl);
            return 1;
        }
    print_unmapped(&vl);
    printf("  all mapped vectors: %zu/%zu pass (%.1f%%); %zu of the failures are vectors wrong "
           "per the standard\n",
           all.passed, all.total, 100.0 * (double)all.passed / (double)all.total, all.known_wrong);
    rzv_free(&vl);
    throughput();
    return 0;
}
