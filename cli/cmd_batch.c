/* cmd_batch.c: `rozshuk batch list|show|undo`: what was loaded, what was rejected, undo. */
#include "cli.h"

#include "rozshuk/load.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk batch list [--json] [--db CONNINFO]\n"
    "       rozshuk batch show ID [--rejects | --warnings] [--format csv] [--json]\n"
    "                             [--db CONNINFO]\n"
    "       rozshuk batch undo ID [--force] [--db CONNINFO]\n\n"
    "  list    the batches, newest first, with their counts\n"
    "  show    one batch; with --rejects the rows that were not loaded, with line, field\n"
    "          and reason (--format csv writes them as CSV for fixing and reloading); with\n"
    "          --warnings the values that loaded rows could not use (the records were\n"
    "          loaded without them), with line, column, reason and the value\n"
    "  undo    remove the records the batch added and restore those it updated; refuses\n"
    "          when later work depends on it (a later batch changed its records, or\n"
    "          matches refer to them) unless --force\n";

static void csv_field(const char *s, char end)
{
    if (s == NULL)
        s = "";
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
    putchar(end);
}

static void print_json_row(const rz_result *res, size_t r)
{
    putchar('{');
    for (size_t c = 0; c < rz_result_cols(res); c++) {
        if (c)
            putchar(',');
        rz_cli_json_string(rz_result_colname(res, c));
        putchar(':');
        const char *v = rz_result_value(res, r, c);
        if (v == NULL)
            fputs("null", stdout);
        else
            rz_cli_json_string(v);
    }
    puts("}");
}

static int list(rz_db *db, bool json)
{
    rz_result *res = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_batch_list(db, &res, &err) != RZ_OK) {
        rz_cli_error("batch list", &err);
        return RZ_EXIT_FAIL;
    }
    if (!json)
        printf("%6s  %-20s %-8s %-7s %8s %8s %8s %8s  %s\n", "id", "source", "kind", "state",
               "read", "loaded", "rejected", "dups", "file");
    for (size_t r = 0; r < rz_result_rows(res); r++) {
        if (json) {
            print_json_row(res, r);
            continue;
        }
        printf("%6s  %-20s %-8s %-7s %8s %8s %8s %8s  %s\n", rz_result_value(res, r, 0),
               rz_result_value(res, r, 1), rz_result_value(res, r, 2), rz_result_value(res, r, 5),
               rz_result_value(res, r, 6), rz_result_value(res, r, 7), rz_result_value(res, r, 8),
               rz_result_value(res, r, 9), rz_result_value(res, r, 3));
    }
    rz_result_free(res);
    return RZ_EXIT_OK;
}

/* The rejects (line, field, reason, raw) or the warnings (line, field, reason, value). */
static int show_rows(rz_db *db, int64_t id, bool warnings, bool csv, bool json)
{
    rz_result *res = NULL;
    rz_error err;
    rz_error_clear(&err);
    rz_status st =
        warnings ? rz_batch_warnings(db, id, &res, &err) : rz_batch_rejects(db, id, &res, &err);
    if (st != RZ_OK) {
        rz_cli_error("batch show", &err);
        return RZ_EXIT_FAIL;
    }
    if (csv)
        puts(warnings ? "line,field,reason,value" : "line,field,reason,raw");
    for (size_t r = 0; r < rz_result_rows(res); r++) {
        const char *line = rz_result_value(res, r, 0), *field = rz_result_value(res, r, 1),
                   *reason = rz_result_value(res, r, 2), *raw = rz_result_value(res, r, 3);
        if (csv) {
            printf("%s,", line);
            csv_field(field, ',');
            csv_field(reason, ',');
            csv_field(raw, '\n');
        } else if (json) {
            print_json_row(res, r);
        } else if (warnings) {
            printf("  line %s, field %s: %s%s%s%s\n", line, field, reason, raw ? " (value: " : "",
                   raw ? raw : "", raw ? ")" : "");
        } else {
            printf("  line %s%s%s: %s\n", line, field ? ", field " : "", field ? field : "",
                   reason);
        }
    }
    rz_result_free(res);
    return RZ_EXIT_OK;
}

static int show(rz_db *db, int64_t id, bool rejects, bool warnings, bool csv, bool json)
{
    rz_result *res = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_batch_show(db, id, &res, &err) != RZ_OK) {
        rz_cli_error("batch show", &err);
        return RZ_EXIT_FAIL;
    }
    if (!csv) {
        if (json) {
            print_json_row(res, 0);
        } else {
            for (size_t c = 0; c < rz_result_cols(res); c++) {
                const char *v = rz_result_value(res, 0, c);
                printf("%-12s %s\n", rz_result_colname(res, c), v ? v : "");
            }
        }
    }
    rz_result_free(res);
    if (!rejects && !warnings)
        return RZ_EXIT_OK;
    if (!csv && !json)
        puts(warnings ? "warnings:" : "rejects:");
    return show_rows(db, id, warnings, csv, json);
}

static int undo(rz_db *db, int64_t id, bool force)
{
    rz_undo_result u;
    rz_error err;
    rz_error_clear(&err);
    rz_status st = rz_batch_undo(db, id, force, &u, &err);
    if (st != RZ_OK) {
        rz_cli_error("batch undo", &err);
        return RZ_EXIT_FAIL;
    }
    printf("batch %lld undone: %llu record(s) removed, %llu restored to their previous version\n",
           (long long)id, (unsigned long long)u.deleted, (unsigned long long)u.restored);
    return RZ_EXIT_OK;
}

static bool parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v <= 0)
        return false;
    *out = v;
    return true;
}

int rz_cli_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"json", no_argument, NULL, 'j'},
        {"rejects", no_argument, NULL, 'r'},      {"warnings", no_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'}, {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *conninfo = NULL;
    bool json = false, rejects = false, warnings = false, csv = false, force = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            conninfo = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'r':
            rejects = true;
            break;
        case 'w':
            warnings = true;
            break;
        case 'f':
            if (strcmp(optarg, "csv") != 0)
                return rz_cli_usage("batch", "unknown format '%s': use csv", optarg);
            csv = true;
            break;
        case 'F':
            force = true;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("batch", c, argv);
        }
    }
    if (optind >= argc)
        return rz_cli_usage("batch", "say what to do: list, show ID or undo ID");
    const char *action = argv[optind];
    if (rz_cli_is_help(action)) {
        fputs(HELP, stdout);
        return RZ_EXIT_OK;
    }
    int64_t id = 0;
    if (strcmp(action, "list") == 0) {
        if (optind + 1 < argc)
            return rz_cli_usage("batch", "unexpected argument '%s'", argv[optind + 1]);
    } else if (strcmp(action, "show") == 0 || strcmp(action, "undo") == 0) {
        if (optind + 1 >= argc || !parse_id(argv[optind + 1], &id))
            return rz_cli_usage("batch", "'batch %s' needs a batch id (a positive number)", action);
        if (optind + 2 < argc)
            return rz_cli_usage("batch", "unexpected argument '%s'", argv[optind + 2]);
    } else {
        return rz_cli_usage("batch", "unknown action '%s': use list, show or undo", action);
    }
    if (rejects && warnings)
        return rz_cli_usage("batch", "show either --rejects or --warnings, not both");
    if (csv && !rejects && !warnings)
        rejects = true; /* --format csv exports the rejects */
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    int rc;
    if (strcmp(action, "list") == 0)
        rc = list(db, json);
    else if (strcmp(action, "show") == 0)
        rc = show(db, id, rejects, warnings, csv, json);
    else
        rc = undo(db, id, force);
    rz_db_close(db);
    return rc;
}
