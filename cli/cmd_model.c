/* cmd_model.c: `rozshuk model show|train`: the match model's levels with their m, u and
 * weight, and training a new version on stored records. */
#include "cli.h"

#include "rozshuk/match.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk model show [--json]\n"
    "       rozshuk model train [--on SEL] [--max-records N] [--labels [--min-labels N]]\n\n"
    "show: the model new jobs use (the latest trained version, or the built-in one): for each\n"
    "field and comparison level, m (how often true matches show it), u (how often different\n"
    "people do) and the weight log2(m/u) it adds to a pair's match weight.\n\n"
    "train: estimates a new version from the stored records of a selection (default all;\n"
    "at most --max-records, default 300000, a reproducible sample when more): u from random\n"
    "pairs, m by expectation-maximisation on pairs born the same day (names, places,\n"
    "identifiers) and on pairs sharing given name and surname (birth date).\n\n"
    "--labels: then learns from reviewers' decisions (rozshuk review): confirmed pairs are\n"
    "matches, excluded pairs non-matches. A field's m becomes its level shares among the\n"
    "confirmed pairs that show it, when at least --min-labels do (default 30; otherwise the\n"
    "EM estimate stays); the excluded pairs join the random pairs for u. With under 100\n"
    "records EM is skipped and the labels refine the current model.\n\n"
    "Options: --db CONNINFO (default: libpq's PG* environment)\n";

static void show_text(const rz_model *m)
{
    printf("model %lld: %s (expected %.3g true pairs per record)\n", (long long)m->id,
           m->id ? m->label : "built-in defaults, not trained", m->match_rate);
    printf("%-22s %-12s %10s %10s %8s\n", "field", "level", "m", "u", "weight");
    for (int f = 0; f < RZ__MF_COUNT; f++)
        for (int l = 1; l < rz_match_field_levels((rz_match_field)f); l++)
            printf("%-22s %-12s %10.6f %10.6f %+8.2f%s\n",
                   l == 1 ? rz_match_field_name((rz_match_field)f) : "",
                   rz_match_level_name((rz_match_field)f, l), m->m[f][l], m->u[f][l],
                   rz_model_weight(m, (rz_match_field)f, l),
                   m->tf[f] && l >= 3 ? "  (adjusted by name frequency)" : "");
    printf("Missing values weigh 0.\n");
}

static void show_json(const rz_model *m)
{
    printf("{\"id\":%lld,\"label\":", (long long)m->id);
    rz_cli_json_string(m->label);
    printf(",\"match_rate\":%.6g,\"fields\":[", m->match_rate);
    for (int f = 0; f < RZ__MF_COUNT; f++) {
        printf("%s{\"field\":", f ? "," : "");
        rz_cli_json_string(rz_match_field_name((rz_match_field)f));
        printf(",\"tf\":%s,\"levels\":[", m->tf[f] ? "true" : "false");
        for (int l = 1; l < rz_match_field_levels((rz_match_field)f); l++) {
            printf("%s{\"level\":", l > 1 ? "," : "");
            rz_cli_json_string(rz_match_level_name((rz_match_field)f, l));
            printf(",\"m\":%.6g,\"u\":%.6g,\"weight\":%.4f}", m->m[f][l], m->u[f][l],
                   rz_model_weight(m, (rz_match_field)f, l));
        }
        printf("]}");
    }
    printf("]}\n");
}

static void print_labels(const rz_label_report *lab)
{
    fprintf(stderr,
            "labels: %zu confirmed, %zu excluded pairs; m from the labels for:", lab->confirmed,
            lab->excluded);
    int n = 0;
    for (int f = 0; f < RZ__MF_COUNT; f++)
        if (lab->m_from_labels & (1u << f))
            fprintf(stderr, " %s (%zu)", rz_match_field_name((rz_match_field)f),
                    lab->confirmed_by_field[f]),
                n++;
    fprintf(stderr, "%s\n", n ? "" : " none (too few confirmed pairs: EM or the current model)");
}

int rz_cli_model(int argc, char **argv)
{
    static const struct option opts[] = {
        {"on", required_argument, NULL, 'o'}, {"max-records", required_argument, NULL, 'x'},
        {"json", no_argument, NULL, 'j'},     {"db", required_argument, NULL, 'd'},
        {"labels", no_argument, NULL, 'L'},   {"min-labels", required_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
    const char *on = "all", *conninfo = NULL;
    long long max_records = 300000, min_labels = RZ_LABELS_MIN_DEFAULT;
    bool json = false, labels = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            on = optarg;
            break;
        case 'x': {
            char *end;
            max_records = strtoll(optarg, &end, 10);
            if (end == optarg || *end || max_records < 100 || max_records > 5000000)
                return rz_cli_usage("model", "--max-records needs a number from 100 to 5000000");
            break;
        }
        case 'j':
            json = true;
            break;
        case 'L':
            labels = true;
            break;
        case 'M': {
            char *end;
            min_labels = strtoll(optarg, &end, 10);
            if (end == optarg || *end || min_labels < 1 || min_labels > 1000000)
                return rz_cli_usage("model", "--min-labels needs a number from 1 to 1000000");
            break;
        }
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("model", c, argv);
        }
    }
    if (argc - optind != 1 ||
        (strcmp(argv[optind], "show") != 0 && strcmp(argv[optind], "train") != 0))
        return rz_cli_usage("model", "say what to do: 'show' or 'train'");
    bool train = strcmp(argv[optind], "train") == 0;
    rz_error err;
    rz_error_clear(&err);
    rz_selection sel;
    if (train && rz_selection_parse(on, &sel, &err) != RZ_OK)
        return rz_cli_usage("model", "%s", err.message);
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    rz_model m;
    int rc = RZ_EXIT_OK;
    if (!train) {
        if (rz_model_load_latest(db, &m, &err) != RZ_OK) {
            rz_cli_error("model show", &err);
            rc = RZ_EXIT_FAIL;
        } else if (json) {
            show_json(&m);
        } else {
            show_text(&m);
        }
        rz_db_close(db);
        return rc;
    }
    rz_name_ctx *ctx = NULL;
    rz_train_report rep;
    memset(&rep, 0, sizeof rep);
    rz_label_report lab;
    rz_status st = rz_name_ctx_open(&ctx, &err);
    if (st == RZ_OK && labels)
        st = rz_model_train_labels(db, ctx, &sel, (size_t)max_records, (size_t)min_labels, &m, &rep,
                                   &lab, &err);
    else if (st == RZ_OK)
        st = rz_model_train(db, ctx, &sel, (size_t)max_records, &m, &rep, &err);
    if (st != RZ_OK) {
        rz_cli_error("model train", &err);
        rc = RZ_EXIT_FAIL;
    } else {
        if (!labels || lab.em)
            fprintf(stderr,
                    "trained on %zu records: %zu random pairs (u), %zu same-birth-day pairs "
                    "(EM %d iterations%s, %.1f%% matches), %zu same-name pairs (EM %d "
                    "iterations%s, %.1f%% matches)\n",
                    rep.records, rep.random_pairs, rep.blocked_pairs[0], rep.em[0].iterations,
                    rep.em[0].converged ? "" : ", not converged", 100 * rep.em[0].match_share,
                    rep.blocked_pairs[1], rep.em[1].iterations,
                    rep.em[1].converged ? "" : ", not converged", 100 * rep.em[1].match_share);
        else
            fprintf(stderr, "%zu records: too few for EM; the labels refine the current model\n",
                    rep.records);
        if (labels)
            print_labels(&lab);
        if (json)
            show_json(&m);
        else
            show_text(&m);
    }
    rz_name_ctx_close(ctx);
    rz_db_close(db);
    return rc;
}
