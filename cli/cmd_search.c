/*
 * cmd_search.c: `rozshuk search NAME` and `rozshuk search --queries FILE`: who could this be?
 * Errors never quote the name searched for (it is personal data); they name the option, or the
 * file, line and field.
 */
#include "cli.h"

#include "rozshuk/names.h"
#include "rozshuk/record.h"
#include "rozshuk/search.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char HELP[] =
    "usage: rozshuk search [options] NAME\n"
    "       rozshuk search [options] --queries FILE\n\n"
    "Finds the records that could be this person: the name in any script and order\n"
    "(\"Олександр Клименко\", \"KLIMENKO Aleksandr\", \"Klymenko Oleksandr Ivanovych\") is\n"
    "normalised, its keys looked up, the candidates scored, and the best printed with a score\n"
    "(match weight in bits), a probability, the names as written, birth date, source and the\n"
    "reason. Every search is recorded in the audit trail.\n\n"
    "Options:\n"
    "  --born WHEN      birth date: 1985-03-12, 12.03.1985, 1985-03, 1985, or a range\n"
    "                   1980..1985\n"
    "  --sex m|f        sex, if known\n"
    "  --kind KIND      only records of this kind: missing, remains, living, list\n"
    "  --source NAME    only records of this source\n"
    "  --limit N        results to show (default 10, at most 150: every record compared)\n"
    "  --json           print a JSON array of results\n"
    "  --queries FILE   a CSV of queries (name[,born[,sex]], a header line naming the columns\n"
    "                   name, born, sex is optional): one JSON line of results per query\n"
    "  --timing         with --queries: add each query's time in milliseconds\n"
    "  --by NAME        your name, for the audit trail\n"
    "  --db CONNINFO    libpq connection string (default: PG* environment variables)\n";

/* ---- birth dates ---------------------------------------------------------------------------- */

static int current_year(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/* Reads all of `text` as an unsigned number of exactly `digits` digits (0: any length 1-4). */
static bool read_num(const char **p, size_t digits, int *out)
{
    size_t n = 0;
    int v = 0;
    while ((*p)[n] >= '0' && (*p)[n] <= '9' && n < 4) {
        v = v * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n == 0 || (digits && n != digits))
        return false;
    *p += n;
    *out = v;
    return true;
}

/* One date: YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY, MM.YYYY. */
static const char *parse_one_date(const char *text, rz_date_range *out, char *why, size_t cap)
{
    const char *p = text;
    int a, b, c;
    int y = 0, m = 0, d = 0;
    bool has_m = false, has_d = false; /* written: "1985-00" or "00.03.1985" is no date */
    if (read_num(&p, 4, &a)) {
        y = a;
        if (*p == '-' && p[1] >= '0' && p[1] <= '9') {
            p++;
            if (!read_num(&p, 2, &m))
                return NULL;
            has_m = true;
            if (*p == '-') {
                p++;
                if (!read_num(&p, 2, &d))
                    return NULL;
                has_d = true;
            }
        }
    } else {
        p = text;
        if (!read_num(&p, 0, &a) || *p != '.')
            return NULL;
        p++;
        if (!read_num(&p, 0, &b))
            return NULL;
        if (*p == '.') {
            p++;
            if (!read_num(&p, 4, &c))
                return NULL;
            d = a, m = b, y = c;
            has_d = true;
        } else {
            m = a, y = b;
            if (y < 1000)
                return NULL;
        }
        has_m = true;
    }
    int last_year = current_year();
    if (y < 1880 || y > last_year) {
        snprintf(why, cap, "year %d is outside 1880-%d", y, last_year);
        return NULL;
    }
    if (has_m && (m < 1 || m > 12)) {
        snprintf(why, cap, "there is no month %d", m);
        return NULL;
    }
    if (has_d && !rz_date_valid(y, m, d)) {
        snprintf(why, cap, "%04d-%02d-%02d is not a calendar date", y, m, d);
        return NULL;
    }
    if (d != 0) {
        out->from = out->to = rz_days_from_ymd(y, m, d);
        out->precision = RZ_PREC_DAY;
    } else if (m != 0) {
        out->from = rz_days_from_ymd(y, m, 1);
        out->to = rz_days_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
        out->precision = RZ_PREC_MONTH;
    } else {
        out->from = rz_days_from_ymd(y, 1, 1);
        out->to = rz_days_from_ymd(y, 12, 31);
        out->precision = RZ_PREC_YEAR;
    }
    out->dm_ambiguous = false;
    return p;
}

/* A date or a range "A..B"; `why` says what is wrong on failure. */
static bool parse_born(const char *text, rz_date_range *out, char *why, size_t cap)
{
    why[0] = '\0';
    if (strlen(text) > 40) {
        snprintf(why, cap, "it is too long for a date");
        return false;
    }
    const char *p = parse_one_date(text, out, why, cap);
    if (p == NULL)
        goto bad;
    if (p[0] == '.' && p[1] == '.') {
        rz_date_range to;
        const char *q = parse_one_date(p + 2, &to, why, cap);
        if (q == NULL || *q != '\0')
            goto bad;
        if (to.to < out->from) {
            snprintf(why, cap, "the range ends before it starts");
            return false;
        }
        out->to = to.to;
        out->precision = RZ_PREC_RANGE;
        return true;
    }
    if (*p == '\0')
        return true;
bad:
    if (why[0] == '\0')
        snprintf(why, cap, "write 1985-03-12, 12.03.1985, 1985-03, 1985 or 1980..1985");
    return false;
}

static bool parse_sex(const char *text, rz_sex *out)
{
    if (strcmp(text, "m") == 0 || strcmp(text, "M") == 0)
        *out = RZ_SEX_MALE;
    else if (strcmp(text, "f") == 0 || strcmp(text, "F") == 0)
        *out = RZ_SEX_FEMALE;
    else
        return false;
    return true;
}

/* ---- output --------------------------------------------------------------------------------- */

static void print_hit_json(const rz_search_hit *h)
{
    printf("{\"person_id\":%" PRId64 ",\"source\":", h->person_id);
    rz_cli_json_string(h->source);
    fputs(",\"source_id\":", stdout);
    rz_cli_json_string(h->source_record_id);
    fputs(",\"kind\":", stdout);
    rz_cli_json_string(h->kind);
    printf(",\"score\":%.2f,\"probability\":%.4f,\"names\":[", h->score, h->probability);
    for (size_t i = 0; i < h->nwritten; i++) {
        if (i)
            putchar(',');
        rz_cli_json_string(h->written[i]);
    }
    fputs("],\"birth\":", stdout);
    if (h->birth[0])
        rz_cli_json_string(h->birth);
    else
        fputs("null", stdout);
    fputs(",\"sex\":", stdout);
    if (h->sex)
        printf("\"%c\"", h->sex);
    else
        fputs("null", stdout);
    fputs(",\"reason\":", stdout);
    rz_cli_json_string(h->reason);
    putchar('}');
}

static void print_hits_json(const rz_search_result *res)
{
    putchar('[');
    for (size_t i = 0; i < res->count; i++) {
        if (i)
            putchar(',');
        print_hit_json(&res->hits[i]);
    }
    putchar(']');
}

static void print_table(const rz_search_result *res)
{
    if (res->count == 0) {
        printf("no records found (%zu compared)\n", res->candidates);
        return;
    }
    for (size_t i = 0; i < res->count; i++) {
        const rz_search_hit *h = &res->hits[i];
        printf("%2zu. %6.1f  p=%.3f  %s  born %s  %s %s (%s)\n      %s\n", i + 1, h->score,
               h->probability, h->names, h->birth[0] ? h->birth : "?", h->source,
               h->source_record_id, h->kind, h->reason);
    }
}

/* Says once, on stderr, that records with keys of an older names engine may be missed. */
static void warn_stale(const rz_search_result *res, bool *warned)
{
    if (res->stale_key_version == 0 || *warned)
        return;
    *warned = true;
    fprintf(stderr,
            "rozshuk: search: warning: some records were loaded with search keys of version %d "
            "(this rozshuk makes version %d); a search may miss them until their keys are "
            "remade: run 'rozshuk db rekey'\n",
            res->stale_key_version, RZ_KEY_VERSION);
}

/* ---- one query ------------------------------------------------------------------------------ */

static int report_error(const char *context, const rz_error *err)
{
    rz_cli_error(context, err);
    switch (err->status) {
    case RZ_EEMPTY:
    case RZ_EUTF8:
    case RZ_ETOOLONG:
    case RZ_EINVAL:
        return RZ_EXIT_USAGE;
    default:
        return RZ_EXIT_FAIL;
    }
}

static int search_one(const char *conninfo, const rz_search_query *q, bool json)
{
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK)
        return report_error("search: names engine", &err);
    /* Check the query before connecting: bad input is a usage error whatever the database. */
    if (rz_search_check(ctx, q, &err) != RZ_OK) {
        rz_name_ctx_close(ctx);
        return report_error("search: the name", &err);
    }
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL) {
        rz_name_ctx_close(ctx);
        return RZ_EXIT_FAIL;
    }
    rz_search_result *res = NULL;
    int rc = RZ_EXIT_OK;
    bool warned = false;
    if (rz_search_run(db, ctx, q, &res, &err) != RZ_OK) {
        rc = report_error("search", &err);
    } else {
        warn_stale(res, &warned);
        if (json) {
            print_hits_json(res);
            putchar('\n');
        } else {
            print_table(res);
        }
    }
    rz_search_result_free(res);
    rz_db_close(db);
    rz_name_ctx_close(ctx);
    return rc;
}

/* ---- a file of queries ---------------------------------------------------------------------- */

#define QUERY_FIELDS   3
#define QUERY_LINE_MAX 20000 /* bytes of one CSV record; longer is an error for that line */

typedef struct batch {
    rz_db *db;
    rz_name_ctx *ctx;
    const rz_search_query *base;
    const char *path;
    bool timing;
    bool header_seen;
    int col[QUERY_FIELDS]; /* column of name, born, sex */
    char *field[8];
    size_t nfield;
    bool too_many, too_long;
    size_t bytes;
    unsigned long line, queries, failed;
    int fatal;
    bool warned_stale;
} batch;

static void free_fields(batch *b)
{
    for (size_t i = 0; i < b->nfield; i++)
        free(b->field[i]);
    b->nfield = 0;
    b->too_many = b->too_long = false;
    b->bytes = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    batch *b = data;
    b->bytes += len;
    if (b->bytes > QUERY_LINE_MAX) {
        b->too_long = true;
        return;
    }
    if (b->nfield >= 8) {
        b->too_many = true;
        return;
    }
    char *f = malloc(len + 1);
    if (f == NULL) {
        b->fatal = 1;
        return;
    }
    if (len > 0 && s != NULL) /* libcsv passes NULL for an empty field */
        memcpy(f, s, len);
    f[len] = '\0';
    b->field[b->nfield++] = f;
}

static void line_error(batch *b, const char *field, const char *what)
{
    b->failed++;
    printf("{\"line\":%lu,\"error\":", b->line);
    char msg[600];
    snprintf(msg, sizeof msg, "%s, line %lu%s%s: %s", b->path, b->line, field ? ", field " : "",
             field ? field : "", what);
    rz_cli_json_string(msg);
    puts("}");
    fprintf(stderr, "rozshuk: search: %s\n", msg);
}

static bool is_header(batch *b)
{
    bool any = false;
    for (int i = 0; i < QUERY_FIELDS; i++)
        b->col[i] = -1;
    for (size_t i = 0; i < b->nfield; i++) {
        const char *f = b->field[i];
        if (strcmp(f, "name") == 0 || strcmp(f, "full_name") == 0)
            b->col[0] = (int)i, any = true;
        else if (strcmp(f, "born") == 0 || strcmp(f, "birth_date") == 0)
            b->col[1] = (int)i, any = true;
        else if (strcmp(f, "sex") == 0)
            b->col[2] = (int)i, any = true;
    }
    if (!any)
        for (int i = 0; i < QUERY_FIELDS; i++)
            b->col[i] = i;
    return any;
}

static const char *field_at(const batch *b, int which)
{
    int c = b->col[which];
    return c >= 0 && (size_t)c < b->nfield && b->field[c][0] ? b->field[c] : NULL;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void run_query_line(batch *b)
{
    rz_search_query q = *b->base;
    q.name = field_at(b, 0);
    const char *born = field_at(b, 1), *sex = field_at(b, 2);
    char why[200];
    if (born && !parse_born(born, &q.birth, why, sizeof why))
        return line_error(b, "born", why);
    if (sex && !parse_sex(sex, &q.sex))
        return line_error(b, "sex", "write m or f");
    if (q.name == NULL)
        return line_error(b, "name", "the name is empty");
    b->queries++;
    rz_error err;
    rz_error_clear(&err);
    rz_search_result *res = NULL;
    double t0 = now_ms();
    rz_status st = rz_search_run(b->db, b->ctx, &q, &res, &err);
    double ms = now_ms() - t0;
    if (st != RZ_OK) {
        line_error(b, st == RZ_EDB || st == RZ_EDBCONN ? NULL : "name", err.message);
        if (st == RZ_EDBCONN)
            b->fatal = 1;
        return;
    }
    warn_stale(res, &b->warned_stale);
    printf("{\"line\":%lu", b->line);
    if (b->timing)
        printf(",\"ms\":%.3f,\"lookup_ms\":%.3f,\"score_ms\":%.3f,\"candidates\":%zu", ms,
               res->lookup_ms, res->score_ms, res->candidates);
    fputs(",\"results\":", stdout);
    print_hits_json(res);
    puts("}");
    rz_search_result_free(res);
}

static void on_row(int c, void *data)
{
    (void)c;
    batch *b = data;
    b->line++;
    if (b->fatal) {
        free_fields(b);
        return;
    }
    if (!b->header_seen) {
        b->header_seen = true;
        if (is_header(b)) {
            free_fields(b);
            return;
        }
    }
    if (b->too_long) {
        char why[80];
        snprintf(why, sizeof why, "the line is longer than %d bytes", QUERY_LINE_MAX);
        line_error(b, NULL, why);
    } else if (b->too_many) {
        line_error(b, NULL, "more than 8 fields");
    } else {
        run_query_line(b);
    }
    free_fields(b);
}

static int search_file(const char *conninfo, const char *path, const rz_search_query *base,
                       bool timing)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        rz_cli_errorf("search: cannot read %s: %s", path, strerror(errno));
        return RZ_EXIT_FAIL;
    }
    rz_error err;
    rz_error_clear(&err);
    batch b;
    memset(&b, 0, sizeof b);
    b.base = base;
    b.path = path;
    b.timing = timing;
    int rc = RZ_EXIT_OK;
    struct csv_parser parser;
    bool parser_ready = false;
    if (rz_name_ctx_open(&b.ctx, &err) != RZ_OK) {
        rc = report_error("search: names engine", &err);
        goto done;
    }
    b.db = rz_cli_connect(conninfo);
    if (b.db == NULL) {
        rc = RZ_EXIT_FAIL;
        goto done;
    }
    if (csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        rz_cli_errorf("search: out of memory");
        rc = RZ_EXIT_FAIL;
        goto done;
    }
    parser_ready = true;
    char buf[65536];
    size_t n;
    while (!b.fatal && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&parser, buf, n, on_field, on_row, &b) != n) {
            rz_cli_errorf("search: %s, line %lu: malformed CSV (%s); stopped there", path,
                          b.line + 1, csv_strerror(csv_error(&parser)));
            rc = RZ_EXIT_FAIL;
            break;
        }
    }
    if (rc == RZ_EXIT_OK && csv_fini(&parser, on_field, on_row, &b) != 0) {
        rz_cli_errorf("search: %s, line %lu: malformed CSV at the end (%s)", path, b.line + 1,
                      csv_strerror(csv_error(&parser)));
        rc = RZ_EXIT_FAIL;
    }
    if (ferror(f)) {
        rz_cli_errorf("search: reading %s failed", path);
        rc = RZ_EXIT_FAIL;
    }
    free_fields(&b);
    if (b.fatal)
        rc = RZ_EXIT_FAIL;
    if (rc == RZ_EXIT_OK && b.failed > 0)
        rc = RZ_EXIT_FAIL;
    fprintf(stderr, "rozshuk: search: %lu queries run, %lu lines with errors\n", b.queries,
            b.failed);
done:
    if (parser_ready)
        csv_free(&parser);
    rz_db_close(b.db);
    rz_name_ctx_close(b.ctx);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ---- options -------------------------------------------------------------------------------- */

int rz_cli_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"born", required_argument, NULL, 'b'},    {"sex", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},    {"source", required_argument, NULL, 'S'},
        {"limit", required_argument, NULL, 'n'},   {"json", no_argument, NULL, 'j'},
        {"queries", required_argument, NULL, 'q'}, {"timing", no_argument, NULL, 't'},
        {"by", required_argument, NULL, 'B'},      {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    rz_search_query q;
    rz_search_query_defaults(&q);
    const char *conninfo = NULL, *queries = NULL;
    bool json = false, timing = false;
    char why[200];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            if (!parse_born(optarg, &q.birth, why, sizeof why))
                return rz_cli_usage("search", "--born '%s' is not a birth date: %s", optarg, why);
            break;
        case 's':
            if (!parse_sex(optarg, &q.sex))
                return rz_cli_usage("search", "--sex must be m or f");
            break;
        case 'k':
            q.kind = optarg;
            break;
        case 'S':
            q.source = optarg;
            break;
        case 'n': {
            char *end = NULL;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || errno || v < 1 ||
                v > RZ_SEARCH_LIMIT_MAX)
                return rz_cli_usage("search", "--limit must be a whole number from 1 to %d",
                                    RZ_SEARCH_LIMIT_MAX);
            q.limit = (size_t)v;
            break;
        }
        case 'j':
            json = true;
            break;
        case 'q':
            queries = optarg;
            break;
        case 't':
            timing = true;
            break;
        case 'B':
            q.actor = optarg;
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("search", c, argv);
        }
    }
    if (q.kind != NULL) {
        rz_kind k;
        if (rz_kind_parse(q.kind, &k) != RZ_OK)
            return rz_cli_usage("search", "--kind must be missing, remains, living or list");
    }
    if (queries != NULL) {
        if (optind < argc)
            return rz_cli_usage("search", "give either NAME or --queries FILE, not both");
        return search_file(conninfo, queries, &q, timing);
    }
    if (optind >= argc)
        return rz_cli_usage("search", "say whom to search for: rozshuk search NAME");
    if (optind + 1 < argc)
        return rz_cli_usage("search", "one name at a time: quote a name of several words "
                                      "(rozshuk search \"Олександр Клименко\")");
    q.name = argv[optind];
    return search_one(conninfo, &q, json);
}
