/*
 * gen.c: bench/gen, the synthetic population generator with ground truth.
 *
 *   gen --out DIR [--records N] [--seed S] [--corruption SCALE] [--rate NAME=P ...]
 *       [--queries N] [--data DIR] [--builtin-translit] [--list-rates]
 *
 * Writes DIR/<source>.csv for each source (headers that `rozshuk load` detects), DIR/truth.csv
 * (source,record_id,person_id), DIR/manifest.csv (source,kind,file,records) and, with
 * --queries, DIR/queries.csv (name,born,person_id) for the search benchmark.
 *
 * Memory stays constant in N: families are generated one at a time and their records written
 * at once, through a small shuffle buffer per source so that the records of one person are
 * not neighbours in the files.
 */
#include "gen_pop.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef GEN_DATA_DIR
#define GEN_DATA_DIR "bench/data"
#endif

#define SHUFFLE_SLOTS  4096
#define LINE_MAX_BYTES 2048

typedef struct out_source {
    const gen_source *src;
    FILE *file;
    char *slots[SHUFFLE_SLOTS];
    size_t filled;
    uint64_t records;
} out_source;

typedef struct query_slot {
    char name[3 * GEN_TEXT_MAX];
    char born[8];
    uint64_t person_id;
} query_slot;

typedef struct options {
    const char *out_dir, *data_dir;
    uint64_t records, seed, queries;
    double scale;
    bool builtin_translit;
    gen_model model;
} options;

typedef struct run {
    options *opt;
    gen_tables tables;
    gen_rng rng, shuffle_rng, query_rng;
    out_source out[8];
    FILE *truth;
    uint64_t total, persons, pairs;
    query_slot *query;
    uint64_t query_seen, query_filled;
} run;

static void usage(FILE *f)
{
    fputs("usage: gen --out DIR [--records N] [--seed S] [--corruption SCALE]\n"
          "           [--rate NAME=P ...] [--queries N] [--data DIR] [--builtin-translit]\n"
          "           [--list-rates]\n"
          "Writes a synthetic population's records in several sources, with ground truth.\n"
          "  --records N        records in all (default 10000; 2,000,000 takes seconds)\n"
          "  --seed S           random seed (default 1): same seed, same files\n"
          "  --corruption X     multiply every corruption rate by X (0: clean records)\n"
          "  --rate NAME=P      set one rate (see --list-rates)\n"
          "  --queries N        also write N search queries with their true person\n"
          "  --data DIR         name tables (default: the project's bench/data)\n"
          "  --builtin-translit use the built-in Latin letter table, not rz_translit\n",
          f);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return false;
    *out = v;
    return true;
}

static bool parse_prob(const char *s, double *out, double max)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0 && v <= max))
        return false;
    *out = v;
    return true;
}

static int parse_rate(options *o, const char *arg)
{
    char name[64];
    const char *eq = strchr(arg, '=');
    if (!eq || (size_t)(eq - arg) >= sizeof name) {
        fprintf(stderr, "gen: --rate wants NAME=P, got '%s'\n", arg);
        return 2;
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    gen_rate_id id;
    if (!gen_rate_lookup(name, &id)) {
        fprintf(stderr, "gen: unknown rate '%s' (see --list-rates)\n", name);
        return 2;
    }
    if (!parse_prob(eq + 1, &o->model.rate[id], 1)) {
        fprintf(stderr, "gen: rate %s must be a probability in [0, 1]\n", name);
        return 2;
    }
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"records", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"corruption", required_argument, NULL, 'c'},
        {"rate", required_argument, NULL, 'r'},
        {"queries", required_argument, NULL, 'q'},
        {"data", required_argument, NULL, 'd'},
        {"builtin-translit", no_argument, NULL, 'b'},
        {"list-rates", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->records = 10000;
    o->seed = 1;
    o->scale = 1;
    o->data_dir = GEN_DATA_DIR;
    gen_model_defaults(&o->model);
    /* Rates set with --rate are absolute; --corruption scales the defaults only. */
    bool set[GEN__RATE_COUNT] = {false};
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->out_dir = optarg;
            break;
        case 'n':
            if (!parse_u64(optarg, &o->records) || o->records == 0) {
                fprintf(stderr, "gen: --records wants a positive whole number\n");
                return 2;
            }
            break;
        case 's':
            if (!parse_u64(optarg, &o->seed)) {
                fprintf(stderr, "gen: --seed wants a whole number\n");
                return 2;
            }
            break;
        case 'c':
            if (!parse_prob(optarg, &o->scale, 10)) {
                fprintf(stderr, "gen: --corruption wants a number in [0, 10]\n");
                return 2;
            }
            break;
        case 'r': {
            int rc = parse_rate(o, optarg);
            if (rc)
                return rc;
            const char *eq = strchr(optarg, '=');
            for (size_t i = 0; i < GEN__RATE_COUNT; i++)
                if (strncmp(gen_rate_name((gen_rate_id)i), optarg, (size_t)(eq - optarg)) == 0 &&
                    gen_rate_name((gen_rate_id)i)[eq - optarg] == '\0')
                    set[i] = true;
            break;
        }
        case 'q':
            if (!parse_u64(optarg, &o->queries) || o->queries > 10000000) {
                fprintf(stderr, "gen: --queries wants a whole number up to 10000000\n");
                return 2;
            }
            break;
        case 'd':
            o->data_dir = optarg;
            break;
        case 'b':
            o->builtin_translit = true;
            break;
        case 'l':
            for (size_t i = 0; i < GEN__RATE_COUNT; i++)
                printf("%-16s %.2f  %s\n", gen_rate_name((gen_rate_id)i),
                       gen_rate_default((gen_rate_id)i), gen_rate_text((gen_rate_id)i));
            exit(0);
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc || !o->out_dir) {
        fprintf(stderr, "gen: %s\n", optind < argc ? "unexpected argument" : "--out is required");
        usage(stderr);
        return 2;
    }
    for (size_t i = 0; i < GEN__RATE_COUNT; i++) {
        if (set[i] || i == GEN_RATE_duplicate)
            continue;
        o->model.rate[i] *= o->scale;
        if (o->model.rate[i] > 1)
            o->model.rate[i] = 1;
    }
    return 0;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        fprintf(stderr, "gen: output path too long\n");
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int write_line(FILE *f, const char *line)
{
    if (fputs(line, f) == EOF || fputc('\n', f) == EOF) {
        fprintf(stderr, "gen: write failed: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

/* Emits one record through the source's shuffle buffer. */
static int emit(run *rn, out_source *o, const gen_person *p)
{
    char id[32], line[LINE_MAX_BYTES];
    rz_error err;
    rz_error_clear(&err);
    o->records++;
    snprintf(id, sizeof id, "%s-%07" PRIu64, o->src->prefix, o->records);
    if (gen_render(&rn->rng, &rn->opt->model, &rn->tables, o->src, p, id, line, sizeof line,
                   &err) != RZ_OK) {
        fprintf(stderr, "gen: %s\n", err.message);
        return 1;
    }
    if (fprintf(rn->truth, "%s,%s,%" PRIu64 "\n", o->src->name, id, p->id) < 0) {
        fprintf(stderr, "gen: cannot write truth.csv: %s\n", strerror(errno));
        return 1;
    }
    char *copy = strdup(line);
    if (!copy) {
        fprintf(stderr, "gen: out of memory\n");
        return 1;
    }
    if (o->filled < SHUFFLE_SLOTS) {
        o->slots[o->filled++] = copy;
        return 0;
    }
    size_t j = gen_rng_below(&rn->shuffle_rng, SHUFFLE_SLOTS);
    int rc = write_line(o->file, o->slots[j]);
    free(o->slots[j]);
    o->slots[j] = copy;
    return rc;
}

static int flush_source(run *rn, out_source *o)
{
    int rc = 0;
    while (o->filled > 0) {
        size_t j = gen_rng_below(&rn->shuffle_rng, (uint32_t)o->filled);
        if (!rc)
            rc = write_line(o->file, o->slots[j]);
        free(o->slots[j]);
        o->slots[j] = o->slots[--o->filled];
    }
    return rc;
}

/* Reservoir sampling (Vitter's algorithm R) of the persons that became search queries. */
static int sample_query(run *rn, const gen_person *p)
{
    uint64_t k = rn->opt->queries;
    if (k == 0)
        return 0;
    uint64_t i = rn->query_seen++;
    uint64_t slot = i < k ? i : gen_rng_next(&rn->query_rng) % (i + 1);
    if (slot >= k)
        return 0;
    query_slot *q = &rn->query[slot];
    rz_error err;
    rz_error_clear(&err);
    if (gen_query(&rn->query_rng, &rn->opt->model, &rn->tables, p, q->name, sizeof q->name, q->born,
                  sizeof q->born, &err) != RZ_OK) {
        fprintf(stderr, "gen: %s\n", err.message);
        return 1;
    }
    q->person_id = p->id;
    if (i < k)
        rn->query_filled++;
    return 0;
}

static int person_records(run *rn, const gen_person *p)
{
    uint64_t before = rn->total;
    size_t k = 0;
    for (size_t s = 0; s < gen_source_count && rn->total < rn->opt->records; s++) {
        if (!gen_rng_chance(&rn->rng, gen_sources[s].coverage))
            continue;
        size_t copies = gen_rng_chance(&rn->rng, rn->opt->model.rate[GEN_RATE_duplicate]) ? 2 : 1;
        for (size_t c = 0; c < copies && rn->total < rn->opt->records; c++, k++, rn->total++)
            if (emit(rn, &rn->out[s], p))
                return 1;
    }
    if (k == 0 && rn->total < rn->opt->records) {
        if (emit(rn, &rn->out[0], p)) /* everyone missing is in some register */
            return 1;
        k++;
        rn->total++;
    }
    if (rn->total > before) {
        rn->persons++;
        rn->pairs += (uint64_t)k * (k - 1) / 2;
        return sample_query(rn, p);
    }
    return 0;
}

static int write_queries(run *rn)
{
    if (rn->opt->queries == 0)
        return 0;
    FILE *f = open_out(rn->opt->out_dir, "queries.csv");
    if (!f)
        return 1;
    int rc = write_line(f, "name,born,person_id");
    for (uint64_t i = 0; i < rn->query_filled && !rc; i++) {
        char line[LINE_MAX_BYTES], pid[24];
        size_t len = 0;
        snprintf(pid, sizeof pid, "%" PRIu64, rn->query[i].person_id);
        if (!gen_csv_field(line, sizeof line, &len, rn->query[i].name, true) ||
            !gen_csv_field(line, sizeof line, &len, rn->query[i].born, false) ||
            !gen_csv_field(line, sizeof line, &len, pid, false))
            rc = 1;
        else
            rc = write_line(f, line);
    }
    if (fclose(f) != 0)
        rc = 1;
    return rc;
}

static int write_manifest(run *rn)
{
    FILE *f = open_out(rn->opt->out_dir, "manifest.csv");
    if (!f)
        return 1;
    int rc = write_line(f, "source,kind,file,records");
    for (size_t s = 0; s < gen_source_count && !rc; s++)
        if (fprintf(f, "%s,%s,%s.csv,%" PRIu64 "\n", gen_sources[s].name, gen_sources[s].kind,
                    gen_sources[s].name, rn->out[s].records) < 0)
            rc = 1;
    if (fclose(f) != 0)
        rc = 1;
    return rc;
}

static int open_outputs(run *rn)
{
    if (mkdir(rn->opt->out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen: cannot create %s: %s\n", rn->opt->out_dir, strerror(errno));
        return 1;
    }
    for (size_t s = 0; s < gen_source_count; s++) {
        char name[128], header[256];
        rn->out[s].src = &gen_sources[s];
        snprintf(name, sizeof name, "%s.csv", gen_sources[s].name);
        if (!(rn->out[s].file = open_out(rn->opt->out_dir, name)))
            return 1;
        gen_source_header(&gen_sources[s], header, sizeof header);
        if (write_line(rn->out[s].file, header))
            return 1;
    }
    if (!(rn->truth = open_out(rn->opt->out_dir, "truth.csv")))
        return 1;
    return write_line(rn->truth, "source,record_id,person_id");
}

static int close_outputs(run *rn, int rc)
{
    for (size_t s = 0; s < gen_source_count; s++) {
        if (!rn->out[s].file)
            continue;
        if (!rc)
            rc = flush_source(rn, &rn->out[s]);
        for (size_t i = 0; i < rn->out[s].filled; i++)
            free(rn->out[s].slots[i]);
        if (fclose(rn->out[s].file) != 0 && !rc) {
            fprintf(stderr, "gen: cannot write %s.csv\n", gen_sources[s].name);
            rc = 1;
        }
    }
    if (rn->truth && fclose(rn->truth) != 0 && !rc)
        rc = 1;
    return rc;
}

int main(int argc, char **argv)
{
    options opt;
    int rc = parse_options(argc, argv, &opt);
    if (rc)
        return rc;
    run rn;
    memset(&rn, 0, sizeof rn);
    rn.opt = &opt;
    rz_error err;
    rz_error_clear(&err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (gen_tables_load(opt.data_dir, &rn.tables, &err) != RZ_OK) {
        fprintf(stderr, "gen: %s\n", err.message);
        return 1;
    }
    if (gen_romanizer_open(opt.builtin_translit, &opt.model.romanizer, &err) != RZ_OK) {
        fprintf(stderr, "gen: %s\n", err.message);
        gen_tables_free(&rn.tables);
        return 1;
    }
    gen_rng_seed(&rn.rng, opt.seed);
    gen_rng_seed(&rn.shuffle_rng, opt.seed ^ 0x53485546464c45ULL);
    gen_rng_seed(&rn.query_rng, opt.seed ^ 0x5155455259ULL);
    if (opt.queries && !(rn.query = calloc((size_t)opt.queries, sizeof *rn.query))) {
        fprintf(stderr, "gen: out of memory for %" PRIu64 " queries\n", opt.queries);
        rc = 1;
        goto done;
    }
    rc = open_outputs(&rn);
    uint64_t next_id = 1;
    while (!rc && rn.total < opt.records) {
        gen_person family[4];
        size_t n;
        gen_family(&rn.rng, &rn.tables, &next_id, family, &n);
        for (size_t i = 0; i < n && !rc; i++)
            rc = person_records(&rn, &family[i]);
    }
    rc = close_outputs(&rn, rc);
    if (!rc)
        rc = write_manifest(&rn);
    if (!rc)
        rc = write_queries(&rn);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!rc) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("gen: seed %" PRIu64 ", %" PRIu64 " records of %" PRIu64 " persons, %" PRIu64
               " true pairs, in %.2f s\n",
               opt.seed, rn.total, rn.persons, rn.pairs, secs);
        for (size_t s = 0; s < gen_source_count; s++)
            printf("  %-11s %-8s %" PRIu64 " records\n", gen_sources[s].name, gen_sources[s].kind,
                   rn.out[s].records);
        printf("  transliteration: %zu Ukrainian and %zu Russian schemes (%s, ...)\n",
               gen_romanizer_count(opt.model.romanizer, false),
               gen_romanizer_count(opt.model.romanizer, true),
               gen_romanizer_name(opt.model.romanizer, false, 0));
    }
done:
    free(rn.query);
    gen_romanizer_close(opt.model.romanizer);
    gen_tables_free(&rn.tables);
    return rc;
}
