/*
 * cmd_review.c: `rozshuk review`: record decisions on candidate pairs, one or a CSV of them,
 * and show a pair's history.
 */
#include "cli.h"

#include "rozshuk/review.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk review CANDIDATE_ID --decision D --by NAME [--note TEXT]\n"
    "       rozshuk review RECORD_A RECORD_B --decision D --by NAME [--note TEXT] [--job ID]\n"
    "       rozshuk review --file DECISIONS.csv [--by NAME]\n"
    "       rozshuk review --history (CANDIDATE_ID | RECORD_A RECORD_B) [--json]\n\n"
    "Records a decision on a candidate pair, named by the id `rozshuk candidates` prints\n"
    "(1042 or #1042) or by its two records: SOURCE:RECORD_ID (npu:NPU-0000018) or a person\n"
    "id. A decision is about the pair of records, whichever job proposed it. Decisions are\n"
    "never changed: a new one is added to the pair's history and the latest is in force. An\n"
    "excluded pair is not proposed again by later jobs unless one of its records changes; a\n"
    "confirmed pair joins the person's cluster (finished jobs are clustered again). Every\n"
    "decision is written to the audit trail.\n\n"
    "Options:\n"
    "  --decision D     confirm (same person), exclude (not the same person), unsure (parked),\n"
    "                   premature (not decidable yet)\n"
    "  --by NAME        who decides (required)\n"
    "  --note TEXT      why, for the next reviewer (at most 2000 characters)\n"
    "  --job ID         the job that proposed the pair\n"
    "  --file FILE      a CSV with a header: record_a,record_b,decision[,by][,note][,job]\n"
    "                   or candidate,decision[,by][,note];\n"
    "                   all lines are checked first and recorded in one transaction, or none\n"
    "  --history        list the pair's decisions, oldest first\n"
    "  --json           JSON output\n"
    "  --db CONNINFO    libpq connection string (default: PG* environment variables)\n";

static int fail_with(const char *context, const rz_error *err)
{
    rz_cli_error(context, err);
    if (strcmp(err->sqlstate, "42501") == 0)
        fprintf(stderr, "  Recording decisions needs the rozshuk_matcher role.\n");
    return err->status == RZ_EINVAL || err->status == RZ_ETOOLONG || err->status == RZ_EUTF8
               ? RZ_EXIT_USAGE
               : RZ_EXIT_FAIL;
}

struct history_print {
    bool json;
    size_t n;
};

static void print_decision(const rz_decision_entry *e, void *user)
{
    struct history_print *h = user;
    h->n++;
    if (h->json) {
        printf("{\"id\":%" PRId64 ",\"decision\":\"%s\",\"by\":", e->id,
               rz_decision_name(e->decision));
        rz_cli_json_string(e->decided_by);
        fputs(",\"db_role\":", stdout);
        rz_cli_json_string(e->db_role);
        fputs(",\"at\":", stdout);
        rz_cli_json_string(e->decided_at);
        fputs(",\"note\":", stdout);
        if (e->note)
            rz_cli_json_string(e->note);
        else
            fputs("null", stdout);
        printf(",\"in_force\":%s}\n", e->in_force ? "true" : "false");
        return;
    }
    printf("%s %-9s by %s (%s)%s%s%s\n", e->decided_at, rz_decision_name(e->decision),
           e->decided_by, e->db_role, e->note ? ": " : "", e->note ? e->note : "",
           e->in_force ? "   <- in force" : "");
}

/* ---- bulk ---------------------------------------------------------------------------------- */

enum { COL_A, COL_B, COL_DECISION, COL_BY, COL_NOTE, COL_JOB, COL_CANDIDATE, NCOLS };
static const char *const COLS[NCOLS] = {"record_a", "record_b", "decision", "by",
                                        "note",     "job",      "candidate"};

typedef struct row {
    unsigned long line;
    int64_t a, b, job;
    rz_decision decision;
    char *by, *note;
} row;

typedef struct bulk {
    rz_db *db;
    const char *path, *default_by;
    int col[NCOLS];
    bool header_seen;
    char *field[16];
    size_t nfield;
    bool overflow;
    unsigned long line, errors;
    row *rows;
    size_t nrows, cap;
    bool oom;
} bulk;

static void bulk_field(void *s, size_t len, void *data)
{
    bulk *b = data;
    if (b->nfield >= 16 || len > 4096) {
        b->overflow = true;
        return;
    }
    char *f = malloc(len + 1);
    if (f == NULL) {
        b->oom = true;
        return;
    }
    if (len > 0 && s != NULL)
        memcpy(f, s, len);
    f[len] = '\0';
    b->field[b->nfield++] = f;
}

static const char *get(const bulk *b, int c)
{
    int i = b->col[c];
    return i >= 0 && (size_t)i < b->nfield && b->field[i][0] ? b->field[i] : NULL;
}

static void bulk_error(bulk *b, const char *field, const char *msg)
{
    b->errors++;
    rz_cli_errorf("review: %s, line %lu%s%s: %s", b->path, b->line, field ? ", field " : "",
                  field ? field : "", msg);
}

static bool header(bulk *b)
{
    for (int c = 0; c < NCOLS; c++)
        b->col[c] = -1;
    for (size_t i = 0; i < b->nfield; i++) {
        int known = -1;
        for (int c = 0; c < NCOLS; c++)
            if (strcmp(b->field[i], COLS[c]) == 0)
                known = c;
        if (known < 0) {
            bulk_error(b, b->field[i],
                       "unknown column (candidate, record_a, record_b, decision, by, "
                       "note, job)");
            continue;
        }
        b->col[known] = (int)i;
    }
    bool pair = b->col[COL_A] >= 0 && b->col[COL_B] >= 0;
    if (pair == (b->col[COL_CANDIDATE] >= 0) || b->col[COL_DECISION] < 0) {
        bulk_error(b, NULL,
                   "the header must name decision and either candidate or record_a and "
                   "record_b");
        return false;
    }
    return true;
}

static void parse_row(bulk *b)
{
    row r = {0};
    r.line = b->line;
    rz_error err;
    rz_error_clear(&err);
    const char *a = get(b, COL_A), *bb = get(b, COL_B), *d = get(b, COL_DECISION);
    const char *by = get(b, COL_BY), *note = get(b, COL_NOTE), *job = get(b, COL_JOB);
    const char *cand = get(b, COL_CANDIDATE);
    if (by == NULL)
        by = b->default_by;
    if (b->col[COL_CANDIDATE] >= 0) {
        rz_candidate_ref ref;
        if (cand == NULL || rz_candidate_find(b->db, cand, &ref, &err) != RZ_OK)
            return bulk_error(b, "candidate", cand ? err.message : "empty");
        r.a = ref.person_a, r.b = ref.person_b, r.job = ref.job_id;
    } else if (a == NULL || rz_record_resolve(b->db, a, &r.a, &err) != RZ_OK) {
        return bulk_error(b, "record_a", a ? err.message : "empty");
    } else if (bb == NULL || rz_record_resolve(b->db, bb, &r.b, &err) != RZ_OK) {
        return bulk_error(b, "record_b", bb ? err.message : "empty");
    }
    if (r.a == r.b)
        return bulk_error(b, "record_b", "the same record as record_a");
    if (d == NULL || rz_decision_parse(d, &r.decision) != RZ_OK)
        return bulk_error(b, "decision", "write confirm, exclude, unsure or premature");
    if (by == NULL)
        return bulk_error(b, "by", "empty, and no --by given");
    if (job != NULL) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(job, &end, 10);
        if (*end != '\0' || errno || v <= 0)
            return bulk_error(b, "job", "not a job number");
        r.job = v;
    }
    r.by = strdup(by);
    r.note = note ? strdup(note) : NULL;
    if (r.by == NULL || (note && r.note == NULL) ||
        (b->nrows == b->cap && (b->cap = b->cap ? 2 * b->cap : 64,
                                b->rows = realloc(b->rows, b->cap * sizeof *b->rows)) == NULL)) {
        free(r.by);
        free(r.note);
        b->oom = true;
        return;
    }
    b->rows[b->nrows++] = r;
}

static void bulk_row(int c, void *data)
{
    (void)c;
    bulk *b = data;
    b->line++;
    if (b->overflow)
        bulk_error(b, NULL, "more than 16 fields or a field over 4096 bytes");
    else if (!b->header_seen) {
        b->header_seen = true;
        if (!header(b))
            b->errors++;
    } else if (!b->oom && b->col[COL_DECISION] >= 0)
        parse_row(b);
    for (size_t i = 0; i < b->nfield; i++)
        free(b->field[i]);
    b->nfield = 0;
    b->overflow = false;
}

static int record_all(bulk *b)
{
    rz_review_item *items = calloc(b->nrows ? b->nrows : 1, sizeof *items);
    if (items == NULL) {
        rz_cli_errorf("review: out of memory");
        return RZ_EXIT_FAIL;
    }
    for (size_t i = 0; i < b->nrows; i++) {
        const row *r = &b->rows[i];
        items[i] = (rz_review_item){r->a, r->b, r->job, r->decision, r->by, r->note};
    }
    rz_error err;
    rz_error_clear(&err);
    size_t failed = 0;
    int rc = RZ_EXIT_OK;
    if (rz_review_record_many(b->db, items, b->nrows, &failed, &err) != RZ_OK) {
        char ctx[400];
        snprintf(ctx, sizeof ctx, "review: %s, line %lu (nothing recorded)", b->path,
                 b->rows[failed < b->nrows ? failed : 0].line);
        rc = fail_with(ctx, &err);
    } else {
        printf("recorded %zu decisions from %s\n", b->nrows, b->path);
    }
    free(items);
    return rc;
}

static int review_file(rz_db *db, const char *path, const char *by)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        rz_cli_errorf("review: cannot read %s: %s", path, strerror(errno));
        return RZ_EXIT_FAIL;
    }
    bulk b;
    memset(&b, 0, sizeof b);
    b.db = db;
    b.path = path;
    b.default_by = by;
    struct csv_parser p;
    int rc = RZ_EXIT_OK;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        fclose(f);
        rz_cli_errorf("review: out of memory");
        return RZ_EXIT_FAIL;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, bulk_field, bulk_row, &b) != n) {
            rz_cli_errorf("review: %s, line %lu: malformed CSV (%s)", path, b.line + 1,
                          csv_strerror(csv_error(&p)));
            rc = RZ_EXIT_FAIL;
            break;
        }
    if (rc == RZ_EXIT_OK)
        csv_fini(&p, bulk_field, bulk_row, &b);
    csv_free(&p);
    fclose(f);
    if (b.oom) {
        rz_cli_errorf("review: out of memory");
        rc = RZ_EXIT_FAIL;
    } else if (rc == RZ_EXIT_OK && b.errors > 0) {
        rz_cli_errorf("review: %lu line(s) of %s with errors: nothing recorded", b.errors, path);
        rc = RZ_EXIT_FAIL;
    } else if (rc == RZ_EXIT_OK) {
        rc = record_all(&b);
    }
    for (size_t i = 0; i < b.nrows; i++) {
        free(b.rows[i].by);
        free(b.rows[i].note);
    }
    free(b.rows);
    return rc;
}

/* ---- one pair ------------------------------------------------------------------------------ */

/* The pair from a candidate id (rb NULL) or two record references; the candidate's job too. */
static int resolve_pair(rz_db *db, const char *ra, const char *rb, int64_t *a, int64_t *b,
                        int64_t *job)
{
    rz_error err;
    rz_error_clear(&err);
    if (rb == NULL) {
        rz_candidate_ref ref;
        if (rz_candidate_find(db, ra, &ref, &err) != RZ_OK)
            return fail_with("review", &err);
        *a = ref.person_a, *b = ref.person_b;
        if (*job == 0)
            *job = ref.job_id;
        return RZ_EXIT_OK;
    }
    if (rz_record_resolve(db, ra, a, &err) != RZ_OK || rz_record_resolve(db, rb, b, &err) != RZ_OK)
        return fail_with("review", &err);
    return RZ_EXIT_OK;
}

int rz_cli_review(int argc, char **argv)
{
    static const struct option opts[] = {
        {"decision", required_argument, NULL, 'D'}, {"by", required_argument, NULL, 'B'},
        {"note", required_argument, NULL, 'N'},     {"job", required_argument, NULL, 'J'},
        {"file", required_argument, NULL, 'F'},     {"history", no_argument, NULL, 'H'},
        {"json", no_argument, NULL, 'j'},           {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *decision = NULL, *by = NULL, *note = NULL, *file = NULL, *conninfo = NULL;
    int64_t job = 0;
    bool history = false, json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            decision = optarg;
            break;
        case 'B':
            by = optarg;
            break;
        case 'N':
            note = optarg;
            break;
        case 'J': {
            char *end = NULL;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (*end != '\0' || errno || v <= 0)
                return rz_cli_usage("review", "--job needs a job number");
            job = v;
            break;
        }
        case 'F':
            file = optarg;
            break;
        case 'H':
            history = true;
            break;
        case 'j':
            json = true;
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("review", c, argv);
        }
    }
    rz_decision d = RZ_DECISION_UNSURE;
    if (file == NULL && !history) {
        if (argc - optind != 1 && argc - optind != 2)
            return rz_cli_usage("review", "name the pair: rozshuk review CANDIDATE_ID (or "
                                          "RECORD_A RECORD_B) --decision D --by NAME");
        if (decision == NULL || rz_decision_parse(decision, &d) != RZ_OK)
            return rz_cli_usage("review",
                                "--decision must be confirm, exclude, unsure or premature");
        if (by == NULL || by[0] == '\0')
            return rz_cli_usage("review", "say who decides: --by NAME");
    } else if (file != NULL && optind != argc) {
        return rz_cli_usage("review", "with --file, give no records on the command line");
    } else if (history && argc - optind != 1 && argc - optind != 2) {
        return rz_cli_usage("review", "name the pair: rozshuk review --history CANDIDATE_ID "
                                      "(or RECORD_A RECORD_B)");
    }
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    int rc;
    if (file != NULL) {
        rc = review_file(db, file, by);
    } else {
        int64_t a = 0, b = 0;
        rc = resolve_pair(db, argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL, &a, &b,
                          &job);
        rz_error err;
        rz_error_clear(&err);
        if (rc == RZ_EXIT_OK && history) {
            struct history_print hp = {json, 0};
            if (rz_review_history(db, a, b, print_decision, &hp, &err) != RZ_OK)
                rc = fail_with("review", &err);
            else if (hp.n == 0 && !json)
                printf("no decisions on this pair\n");
        } else if (rc == RZ_EXIT_OK) {
            int64_t id = 0;
            if (rz_review_record(db, a, b, job, d, by, note, &id, &err) != RZ_OK)
                rc = fail_with("review", &err);
            else if (json)
                printf("{\"decision_id\":%" PRId64 ",\"decision\":\"%s\"}\n", id,
                       rz_decision_name(d));
            else
                printf("recorded decision %" PRId64 ": %s\n", id, rz_decision_name(d));
        }
    }
    rz_db_close(db);
    return rc;
}
