/*
 * cmd_match.c: `rozshuk match` (run a match job), `rozshuk candidates` (its ranked pairs) and
 * `rozshuk explain` (the score of one pair, field by field).
 */
#include "cli.h"

#include "rozshuk/audit.h"
#include "rozshuk/jobs.h"
#include "rozshuk/match.h"
#include "rozshuk/review.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MATCH_HELP[] =
    "usage: rozshuk match (--dedupe SEL | --link SEL --to SEL | --new BATCH) [options]\n\n"
    "Runs a match job: submits it to the job queue; waits, showing progress on stderr, while\n"
    "`rozshuk worker` processes run its tasks, or runs them here when no worker is alive. It\n"
    "compares the records that share a blocking key, scores each pair once\n"
    "with the latest model (or the built-in one), stores the pairs above --min-probability as\n"
    "candidates and joins pairs above --cluster-probability into person clusters.\n\n"
    "A selection SEL is comma-separated terms: source=NAME, kind=missing|remains|living|list,\n"
    "batch=ID, or all. Terms on one field are alternatives, different fields must all hold:\n"
    "  rozshuk match --dedupe source=npu\n"
    "  rozshuk match --link kind=missing --to kind=remains\n"
    "  rozshuk match --new 12          (batch 12 against every record, and within itself)\n\n"
    "Options:\n"
    "  --min-probability P     store pairs at or above P (default 0.01)\n"
    "  --cluster-probability P join pairs at or above P into clusters (default 0.99)\n"
    "  --rules R               blocking rules, ';'-separated (default " RZ_RULES_DEFAULT ")\n"
    "  --partitions N          split the job into N tasks (default: by record count)\n"
    "  --max-block N           skip (and count) blocks of more than N records (default 2000)\n"
    "  --split-block N         a block of more than N records of a rule written RULE/KIND\n"
    "                          compares only records that share a KIND key too (counted;\n"
    "                          default 200, 0: never split)\n"
    "  --resume JOB            queue a stopped job's failed or cancelled tasks again and follow\n"
    "                          it to the end (running its tasks here when no worker runs)\n"
    "  --detach                submit the job and print its id at once; `rozshuk worker`\n"
    "                          processes run it (rozshuk job show|wait|cancel ID)\n"
    "  --queue NAME            the workers' queue (default \"default\")\n"
    "  --priority N            higher runs first among queued jobs (-1000 to 1000, default 0)\n"
    "  --max-attempts N        tries per task before it and the job are failed: each claim\n"
    "                          counts, even one cut by a lost worker or connection (default 3)\n"
    "  --quiet                 no progress on stderr\n"
    "  --json                  print one JSON object with the job id and its counts\n"
    "  --db CONNINFO           database (default: libpq's PG* environment)\n";

static bool parse_prob(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 0.0 && v <= 1.0))
        return false;
    *out = v;
    return true;
}

static bool parse_count(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static void print_summary(const rz_job_summary *s, bool json)
{
    if (json) {
        printf("{\"job\":%lld,\"state\":", (long long)s->job_id);
        rz_cli_json_string(s->state);
        printf(",\"model\":%lld,\"records_a\":%zu,\"records_b\":%zu,\"tasks\":%zu,"
               "\"tasks_done\":%zu,\"pairs_compared\":%zu,\"candidates\":%zu,"
               "\"above_cluster_threshold\":%zu,\"clusters\":%zu,\"cluster_conflicts\":%zu,"
               "\"blocks_skipped\":%zu,\"pairs_skipped\":%zu,\"blocks_split\":%zu,"
               "\"pairs_split\":%zu,\"seconds\":%.3f}\n",
               (long long)s->model_id, s->records_a, s->records_b, s->tasks, s->tasks_done,
               s->pairs_compared, s->candidates, s->above_cluster_threshold, s->clusters,
               s->cluster_conflicts, s->blocks_skipped, s->pairs_skipped, s->blocks_split,
               s->pairs_split, s->seconds);
        return;
    }
    printf("job %lld: %s (model %lld)\n", (long long)s->job_id, s->state, (long long)s->model_id);
    printf("  records:    %zu%s", s->records_a, s->records_b ? "" : "\n");
    if (s->records_b)
        printf(" against %zu\n", s->records_b);
    printf("  tasks:      %zu of %zu done\n", s->tasks_done, s->tasks);
    printf("  pairs:      %zu compared, %zu candidates, %zu above the cluster threshold\n",
           s->pairs_compared, s->candidates, s->above_cluster_threshold);
    printf("  clusters:   %zu", s->clusters);
    if (s->cluster_conflicts)
        printf(" (%zu hold conflicting valid identifiers of one source: review them)",
               s->cluster_conflicts);
    printf("\n");
    if (s->blocks_skipped)
        printf("  skipped:    %zu oversized blocks holding %zu pairs (raise --max-block or "
               "add a narrower rule)\n",
               s->blocks_skipped, s->pairs_skipped);
    if (s->blocks_split)
        printf("  split:      %zu blocks over the split size compared by their split key; %zu of "
               "their pairs share none and were left out there (--split-block 0: never split)\n",
               s->blocks_split, s->pairs_split);
    printf("  time:       %.2f s\n", s->seconds);
    printf("Next: rozshuk candidates --job %lld\n", (long long)s->job_id);
}

static rz_status open_names(rz_name_ctx **ctx)
{
    rz_error err;
    rz_error_clear(&err);
    rz_status s = rz_name_ctx_open(ctx, &err);
    if (s != RZ_OK)
        rz_cli_error("cannot open the names engine", &err);
    return s;
}

/*
 * The options the commands of this file share: --json (when `json` is not NULL), --db, --help,
 * and getopt's errors. Returns -1 when `c` was taken and parsing goes on, else the exit code.
 */
static int common_option(int c, const char *command, const char *help, char **argv, bool *json,
                         const char **conninfo)
{
    switch (c) {
    case 'j':
        if (json == NULL)
            break;
        *json = true;
        return -1;
    case 'd':
        *conninfo = optarg;
        return -1;
    case 'h':
        fputs(help, stdout);
        return RZ_EXIT_OK;
    default:
        break;
    }
    return rz_cli_bad_option(command, c, argv);
}

int rz_cli_match(int argc, char **argv)
{
    static const struct option opts[] = {{"dedupe", required_argument, NULL, 'D'},
                                         {"link", required_argument, NULL, 'L'},
                                         {"to", required_argument, NULL, 'T'},
                                         {"new", required_argument, NULL, 'N'},
                                         {"min-probability", required_argument, NULL, 'm'},
                                         {"cluster-probability", required_argument, NULL, 'c'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"partitions", required_argument, NULL, 'p'},
                                         {"max-block", required_argument, NULL, 'b'},
                                         {"split-block", required_argument, NULL, 'S'},
                                         {"resume", required_argument, NULL, 'R'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"detach", no_argument, NULL, 'X'},
                                         {"queue", required_argument, NULL, 'q'},
                                         {"priority", required_argument, NULL, 'P'},
                                         {"max-attempts", required_argument, NULL, 'A'},
                                         {"quiet", no_argument, NULL, 'Q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *queue = NULL;
    bool detach = false, quiet = false;
    long long priority = 0, attempts = 0;
    rz_match_options o;
    rz_match_options_defaults(&o);
    const char *dedupe = NULL, *link = NULL, *to = NULL, *conninfo = NULL;
    long long newb = 0, resume = 0, v;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'D':
            dedupe = optarg;
            break;
        case 'L':
            link = optarg;
            break;
        case 'T':
            to = optarg;
            break;
        case 'N':
            if (!parse_count(optarg, 1, INT64_MAX, &newb))
                return rz_cli_usage("match", "--new needs a batch number, not '%s'", optarg);
            break;
        case 'm':
            if (!parse_prob(optarg, &o.min_probability))
                return rz_cli_usage("match", "--min-probability needs a number in [0,1]");
            break;
        case 'c':
            if (!parse_prob(optarg, &o.cluster_probability))
                return rz_cli_usage("match", "--cluster-probability needs a number in [0,1]");
            break;
        case 'r':
            if (strlen(optarg) >= sizeof o.rules)
                return rz_cli_usage("match", "--rules is too long");
            snprintf(o.rules, sizeof o.rules, "%s", optarg);
            break;
        case 'p':
            if (!parse_count(optarg, 1, 4096, &v))
                return rz_cli_usage("match", "--partitions needs a number from 1 to 4096");
            o.partitions = (int)v;
            break;
        case 'b':
            if (!parse_count(optarg, 2, 1000000, &v))
                return rz_cli_usage("match", "--max-block needs a number from 2 to 1000000");
            o.max_block = (size_t)v;
            break;
        case 'S':
            if (!parse_count(optarg, 0, 1000000, &v))
                return rz_cli_usage("match", "--split-block needs a number from 0 to 1000000");
            o.split_block = (size_t)v;
            break;
        case 'R':
            if (!parse_count(optarg, 1, INT64_MAX, &resume))
                return rz_cli_usage("match", "--resume needs a job number");
            break;
        case 'X':
            detach = true;
            break;
        case 'q':
            if (!rz_queue_name_valid(optarg))
                return rz_cli_usage("match", "--queue: 1 to 64 of a-z 0-9 _ . -");
            queue = optarg;
            break;
        case 'P':
            if (!parse_count(optarg, -1000, 1000, &priority))
                return rz_cli_usage("match", "--priority needs a number from -1000 to 1000");
            break;
        case 'A':
            if (!parse_count(optarg, 1, RZ_ATTEMPTS_MAX, &attempts))
                return rz_cli_usage("match", "--max-attempts needs a number from 1 to %d",
                                    RZ_ATTEMPTS_MAX);
            break;
        case 'Q':
            quiet = true;
            break;
        default: {
            int done = common_option(c, "match", MATCH_HELP, argv, &json, &conninfo);
            if (done >= 0)
                return done;
            break;
        }
        }
    }
    if (optind < argc)
        return rz_cli_usage("match", "unexpected argument '%s'", argv[optind]);
    int modes = (dedupe != NULL) + (link != NULL) + (newb != 0) + (resume != 0);
    if (modes != 1)
        return rz_cli_usage("match", "say what to compare: one of --dedupe SEL, --link SEL "
                                     "--to SEL, --new BATCH (or --resume JOB)");
    if ((link != NULL) != (to != NULL))
        return rz_cli_usage("match", "--link and --to go together");
    rz_error err;
    rz_error_clear(&err);
    if (dedupe || link) {
        o.mode = dedupe ? RZ_MODE_DEDUPE : RZ_MODE_LINK;
        if (rz_selection_parse(dedupe ? dedupe : link, &o.a, &err) != RZ_OK ||
            (link && rz_selection_parse(to, &o.b, &err) != RZ_OK))
            return rz_cli_usage("match", "%s", err.message);
    } else if (newb) {
        o.mode = RZ_MODE_NEW;
        o.new_batch = newb;
    }
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    int64_t job_id = resume;
    size_t requeued = 0;
    rz_status s = resume
                      ? rz_job_retry(db, resume, queue, &requeued, &err)
                      : rz_job_submit(db, &o, queue, (int)priority, (int)attempts, &job_id, &err);
    if (s == RZ_ECONFLICT && resume)
        s = RZ_OK; /* already done: show it */
    int rc = RZ_EXIT_OK;
    if (s != RZ_OK) {
        rz_cli_error("match", &err);
        rc = RZ_EXIT_FAIL;
    } else if (detach) {
        if (json)
            printf("{\"job\":%lld,\"state\":\"submitted\"}\n", (long long)job_id);
        else
            printf("job %lld submitted; follow it with 'rozshuk job wait %lld' (workers: "
                   "rozshuk worker)\n",
                   (long long)job_id, (long long)job_id);
    } else {
        rc = rz_cli_job_follow(db, conninfo, job_id, quiet, true);
        rz_job_summary sum;
        if (rc == RZ_EXIT_OK && rz_job_summary_read(db, job_id, &sum, &err) != RZ_OK) {
            rz_cli_error("match", &err);
            rc = RZ_EXIT_FAIL;
        } else if (rc == RZ_EXIT_OK) {
            rz_job_progress p;
            if (rz_job_progress_read(db, job_id, &p, NULL) == RZ_OK)
                sum.seconds = p.elapsed;
            print_summary(&sum, json);
        }
    }
    rz_db_close(db);
    return rc;
}

/* ---- candidates ----------------------------------------------------------------------------- */

static const char CANDIDATES_HELP[] =
    "usage: rozshuk candidates --job ID [--min-probability P] [--limit N]\n"
    "                          [--state STATE] [--format table|csv|jsonl]\n\n"
    "Lists a job's candidate pairs, best first: both records by source and source record id,\n"
    "their names as written, the probability, the match weight and the reasons (each field's\n"
    "comparison level and the weight it added). --limit 0 (the default for csv and jsonl)\n"
    "lists them all; the table shows 20 unless told. Each pair has an id (#1042) for\n"
    "`rozshuk review` and `rozshuk explain`, and its review state: undecided, or the latest\n"
    "decision on the pair (confirm, exclude, unsure, premature); --state lists one state.\n\n"
    "  rozshuk candidates --job 3\n"
    "  rozshuk candidates --job 3 --min-probability 0.5 --format csv > pairs.csv\n"
    "  rozshuk candidates --job 3 --state undecided\n";

enum { FMT_TABLE, FMT_CSV, FMT_JSONL };

static void csv_field(const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            putchar('"');
        putchar(*p);
    }
    putchar('"');
}

/* "surname equivalent +8.1; birth date exact +14.2" from the arrays of one row. */
static void reasons(const char *levels, const char *contrib, char *buf, size_t cap)
{
    double l[RZ__MF_COUNT], w[RZ__MF_COUNT];
    size_t nl = rz_parse_number_array(levels, l, RZ__MF_COUNT);
    size_t nw = rz_parse_number_array(contrib, w, RZ__MF_COUNT);
    size_t len = 0;
    buf[0] = '\0';
    for (size_t f = 0; f < nl && f < nw; f++) {
        if ((int)l[f] == 0)
            continue;
        int n = snprintf(buf + len, cap - len, "%s%s %s %+.1f", len ? "; " : "",
                         rz_match_field_name((rz_match_field)f),
                         rz_match_level_name((rz_match_field)f, (int)l[f]), w[f]);
        if (n < 0 || (size_t)n >= cap - len)
            break;
        len += (size_t)n;
    }
}

static void print_row(const rz_result *res, size_t i, int fmt, size_t rank)
{
    const char *sa = rz_result_value(res, i, 2), *ia = rz_result_value(res, i, 3),
               *na = rz_result_value(res, i, 4), *sb = rz_result_value(res, i, 5),
               *ib = rz_result_value(res, i, 6), *nb = rz_result_value(res, i, 7),
               *prob = rz_result_value(res, i, 8), *weight = rz_result_value(res, i, 9),
               *levels = rz_result_value(res, i, 10), *contrib = rz_result_value(res, i, 11),
               *cluster = rz_result_value(res, i, 12), *id = rz_result_value(res, i, 14),
               *state = rz_result_value(res, i, 15);
    char why[1024];
    reasons(levels, contrib, why, sizeof why);
    double p = strtod(prob, NULL), w = strtod(weight, NULL);
    if (fmt == FMT_TABLE) {
        printf("%3zu. %.4f  %+6.1f  %s:%s  %s\n", rank, p, w, sa, ia, na ? na : "");
        printf("                     %s:%s  %s\n", sb, ib, nb ? nb : "");
        printf("                     %s\n", why);
        printf("                     candidate #%s, %s\n", id, state);
        return;
    }
    if (fmt == FMT_CSV) {
        printf("%zu,", rank);
        csv_field(sa), putchar(','), csv_field(ia), putchar(','), csv_field(na), putchar(',');
        csv_field(sb), putchar(','), csv_field(ib), putchar(','), csv_field(nb), putchar(',');
        printf("%s,%s,%s,", prob, weight, cluster ? cluster : "");
        csv_field(why);
        printf(",%s,%s\n", id, state);
        return;
    }
    printf("{\"rank\":%zu,\"candidate_id\":%s,\"state\":\"%s\",\"source_a\":", rank, id, state);
    rz_cli_json_string(sa);
    fputs(",\"source_record_id_a\":", stdout);
    rz_cli_json_string(ia);
    fputs(",\"name_a\":", stdout);
    rz_cli_json_string(na ? na : "");
    fputs(",\"source_b\":", stdout);
    rz_cli_json_string(sb);
    fputs(",\"source_record_id_b\":", stdout);
    rz_cli_json_string(ib);
    fputs(",\"name_b\":", stdout);
    rz_cli_json_string(nb ? nb : "");
    printf(",\"probability\":%s,\"match_weight\":%s,\"cluster\":%s,\"fields\":{", prob, weight,
           cluster ? cluster : "null");
    double l[RZ__MF_COUNT], cw[RZ__MF_COUNT];
    size_t nl = rz_parse_number_array(levels, l, RZ__MF_COUNT);
    size_t nw = rz_parse_number_array(contrib, cw, RZ__MF_COUNT);
    for (size_t f = 0; f < nl && f < nw; f++) {
        printf("%s", f ? "," : "");
        rz_cli_json_string(rz_match_field_name((rz_match_field)f));
        printf(":{\"level\":");
        rz_cli_json_string(rz_match_level_name((rz_match_field)f, (int)l[f]));
        printf(",\"weight\":%.3f}", cw[f]);
    }
    printf("}}\n");
}

int rz_cli_candidates(int argc, char **argv)
{
    static const struct option opts[] = {
        {"job", required_argument, NULL, 'J'},   {"min-probability", required_argument, NULL, 'm'},
        {"limit", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, 's'}, {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    long long job = 0, limit = -1;
    double minp = 0.0;
    int fmt = FMT_TABLE, c;
    const char *conninfo = NULL, *state = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'J':
            if (!parse_count(optarg, 1, INT64_MAX, &job))
                return rz_cli_usage("candidates", "--job needs a job number");
            break;
        case 's':
            state = optarg;
            break;
        case 'm':
            if (!parse_prob(optarg, &minp))
                return rz_cli_usage("candidates", "--min-probability needs a number in [0,1]");
            break;
        case 'l':
            if (!parse_count(optarg, 0, INT64_MAX, &limit))
                return rz_cli_usage("candidates", "--limit needs a number");
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                fmt = FMT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                fmt = FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0)
                fmt = FMT_JSONL;
            else
                return rz_cli_usage("candidates", "--format is table, csv or jsonl");
            break;
        default: {
            int done = common_option(c, "candidates", CANDIDATES_HELP, argv, NULL, &conninfo);
            if (done >= 0)
                return done;
            break;
        }
        }
    }
    if (job == 0)
        return rz_cli_usage("candidates", "name the job: --job ID");
    if (optind < argc)
        return rz_cli_usage("candidates", "unexpected argument '%s'", argv[optind]);
    if (limit < 0)
        limit = fmt == FMT_TABLE ? 20 : 0;
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    rz_error err;
    rz_error_clear(&err);
    rz_candidate_cursor cur;
    memset(&cur, 0, sizeof cur);
    size_t rank = 0;
    int rc = RZ_EXIT_OK;
    if (fmt == FMT_CSV)
        printf("rank,source_a,source_record_id_a,name_a,source_b,source_record_id_b,name_b,"
               "probability,match_weight,cluster,reasons,candidate_id,state\n");
    for (;;) {
        size_t page = 5000;
        if (limit > 0 && (size_t)limit - rank < page)
            page = (size_t)limit - rank;
        if (page == 0)
            break;
        rz_result *res = NULL;
        if (rz_candidates_page_state(db, job, minp, state, &cur, page, &res, &err) != RZ_OK) {
            rz_cli_error("candidates", &err);
            rc = err.status == RZ_EINVAL ? RZ_EXIT_USAGE : RZ_EXIT_FAIL;
            break;
        }
        size_t n = rz_result_rows(res);
        for (size_t i = 0; i < n; i++)
            print_row(res, i, fmt, ++rank);
        rz_result_free(res);
        if (n < page)
            break;
    }
    if (rc == RZ_EXIT_OK && fmt == FMT_TABLE && rank == 0)
        printf("job %lld has no candidates at or above probability %g%s%s\n", job, minp,
               state ? " in state " : "", state ? state : "");
    rz_db_close(db);
    return rc;
}

/* ---- explain --------------------------------------------------------------------------------- */

static const char EXPLAIN_HELP[] =
    "usage: rozshuk explain [--job ID] [--json] [--by NAME] RECORD_A RECORD_B\n"
    "       rozshuk explain [--json] [--by NAME] CANDIDATE_ID\n\n"
    "Shows why two records score what they score: the prior, then each field's comparison\n"
    "level and the weight it adds or takes away, up to the match weight and probability.\n"
    "Records are named SOURCE:SOURCE_RECORD_ID, as loaded. With --job, the job's model and\n"
    "prior; otherwise the latest model and the prior of a dedupe of the whole database.\n"
    "Each view is written to the audit trail (candidate.view), with --by NAME when given.\n\n"
    "  rozshuk explain npu:1042 icrc:A-77\n";

static void explain_text(const rz_explanation *ex)
{
    const rz_record_set *set = ex->records;
    printf("A  %s:%s  %s\n", rz_record_set_source(set, 0), rz_record_set_source_id(set, 0),
           rz_record_set_written(set, 0));
    printf("B  %s:%s  %s\n\n", rz_record_set_source(set, 1), rz_record_set_source_id(set, 1),
           rz_record_set_written(set, 1));
    printf("  %+7.1f  prior: how rare a match is among all pairs (model %lld%s)\n", ex->score.prior,
           (long long)ex->model.id, ex->model.id ? "" : ", built-in");
    double total = ex->score.prior;
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int level = ex->cmp.level[f];
        total += ex->score.weight[f];
        if (level == 0) {
            printf("  %7s  %s: %s\n", "0", rz_match_field_name((rz_match_field)f),
                   rz_match_level_phrase((rz_match_field)f, 0));
            continue;
        }
        const char *detail = NULL;
        if (f <= RZ_MF_PATRONYMIC)
            detail = ex->cmp.names.parts[f].reason;
        printf("  %+7.1f  %s: %s", ex->score.weight[f], rz_match_field_name((rz_match_field)f),
               detail && *detail ? detail : rz_match_level_phrase((rz_match_field)f, level));
        if (ex->score.tf_adjust[f] != 0.0)
            printf(" (%.3f%% of records share it: %+.1f)",
                   100.0 * (f == RZ_MF_SURNAME ? ex->surname_freq : ex->given_freq),
                   ex->score.tf_adjust[f]);
        printf("\n");
    }
    if (ex->cmp.names.swapped)
        printf("           (surname and given name were swapped on one record)\n");
    printf("  -------\n  %+7.1f  match weight  ->  probability %.4f\n", total,
           ex->score.probability);
}

static void explain_json(const rz_explanation *ex)
{
    const rz_record_set *set = ex->records;
    printf("{\"a\":{\"source\":");
    rz_cli_json_string(rz_record_set_source(set, 0));
    printf(",\"source_record_id\":");
    rz_cli_json_string(rz_record_set_source_id(set, 0));
    printf(",\"name\":");
    rz_cli_json_string(rz_record_set_written(set, 0));
    printf("},\"b\":{\"source\":");
    rz_cli_json_string(rz_record_set_source(set, 1));
    printf(",\"source_record_id\":");
    rz_cli_json_string(rz_record_set_source_id(set, 1));
    printf(",\"name\":");
    rz_cli_json_string(rz_record_set_written(set, 1));
    printf("},\"model\":%lld,\"prior\":%.3f,\"fields\":[", (long long)ex->model.id,
           ex->score.prior);
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        int level = ex->cmp.level[f];
        printf("%s{\"field\":", f ? "," : "");
        rz_cli_json_string(rz_match_field_name((rz_match_field)f));
        printf(",\"level\":");
        rz_cli_json_string(rz_match_level_name((rz_match_field)f, level));
        printf(",\"reason\":");
        const char *detail = f <= RZ_MF_PATRONYMIC && level ? ex->cmp.names.parts[f].reason : NULL;
        rz_cli_json_string(detail && *detail ? detail
                                             : rz_match_level_phrase((rz_match_field)f, level));
        printf(",\"weight\":%.3f,\"tf_adjust\":%.3f}", ex->score.weight[f], ex->score.tf_adjust[f]);
    }
    printf("],\"match_weight\":%.3f,\"probability\":%.6f}\n", ex->score.match_weight,
           ex->score.probability);
}

/* The audit row of one explained pair: who, which two records, under which job. */
static rz_status audit_view(rz_db *db, const char *by, const char *ref_a, const char *ref_b,
                            long long job, rz_error *err)
{
    char object[2 * RZ_RECORD_REF_MAX + 2], detail[48];
    snprintf(object, sizeof object, "%s %s", ref_a, ref_b);
    snprintf(detail, sizeof detail, "{\"job_id\": %lld}", job);
    return rz_audit_write(db, by, "candidate.view", "pair", object, job ? detail : NULL, err);
}

int rz_cli_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        {"job", required_argument, NULL, 'J'}, {"json", no_argument, NULL, 'j'},
        {"db", required_argument, NULL, 'd'},  {"by", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    long long job = 0;
    bool json = false;
    const char *conninfo = NULL, *by = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'J':
            if (!parse_count(optarg, 1, INT64_MAX, &job))
                return rz_cli_usage("explain", "--job needs a job number");
            break;
        case 'B':
            by = optarg;
            break;
        default: {
            int done = common_option(c, "explain", EXPLAIN_HELP, argv, &json, &conninfo);
            if (done >= 0)
                return done;
            break;
        }
        }
    }
    if (argc - optind != 2 && argc - optind != 1)
        return rz_cli_usage("explain", "name two records (SOURCE:ID SOURCE:ID) or a candidate id");
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    rz_name_ctx *ctx = NULL;
    if (open_names(&ctx) != RZ_OK) {
        rz_db_close(db);
        return RZ_EXIT_FAIL;
    }
    rz_error err;
    rz_error_clear(&err);
    rz_explanation ex;
    int rc = RZ_EXIT_OK;
    rz_candidate_ref cand;
    const char *ref_a = argv[optind], *ref_b = argc - optind == 2 ? argv[optind + 1] : NULL;
    if (ref_b == NULL && rz_candidate_find(db, ref_a, &cand, &err) == RZ_OK) {
        ref_a = cand.ref_a, ref_b = cand.ref_b;
        if (job == 0)
            job = cand.job_id;
    }
    if (ref_b == NULL) {
        rz_cli_error("explain", &err);
        rc = err.status == RZ_EINVAL ? RZ_EXIT_USAGE : RZ_EXIT_FAIL;
    } else if (rz_match_explain(db, ctx, ref_a, ref_b, job, &ex, &err) != RZ_OK) {
        rz_cli_error("explain", &err);
        rc = err.status == RZ_EINVAL ? RZ_EXIT_USAGE : RZ_EXIT_FAIL;
    } else if (audit_view(db, by, ref_a, ref_b, job, &err) != RZ_OK) {
        /* no view without its audit row */
        rz_cli_error("explain: audit", &err);
        rc = err.status == RZ_EINVAL || err.status == RZ_ETOOLONG || err.status == RZ_EUTF8
                 ? RZ_EXIT_USAGE
                 : RZ_EXIT_FAIL;
        rz_explanation_free(&ex);
    } else {
        if (json)
            explain_json(&ex);
        else
            explain_text(&ex);
        rz_explanation_free(&ex);
    }
    rz_name_ctx_close(ctx);
    rz_db_close(db);
    return rc;
}
