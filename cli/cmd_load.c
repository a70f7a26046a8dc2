/* cmd_load.c: `rozshuk load`: load files of person records as batches. */
#include "cli.h"

#include "rozshuk/load.h"
#include "rozshuk/names.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char HELP[] =
    "usage: rozshuk load --source NAME --kind KIND [--mapping FILE] [--format FORMAT]\n"
    "                    [--date-order dmy|mdy|ymd] [--db CONNINFO] [--json] FILE...\n\n"
    "Loads each FILE as one batch, in one transaction: every row is either loaded or kept in\n"
    "the batch's rejects with its line, field and reason (see 'rozshuk batch show ID\n"
    "--rejects'). A row without a name (or record id) is rejected; an optional value that\n"
    "cannot be used (a birth date, sex or identifier that does not read, a date in the\n"
    "future) is left out of the record and kept as a warning with its line, column and\n"
    "reason ('rozshuk batch show ID --warnings'). Loading the same rows again adds nothing;\n"
    "a changed row (same source and record id) updates the record and keeps the previous\n"
    "version for 'rozshuk batch undo'.\n\n"
    "Options:\n"
    "  --source NAME      the agency or list the records come from, e.g. npu-register\n"
    "                     (a-z, 0-9, '_', '.', '-'); created on first use\n"
    "  --kind KIND        missing, remains, living (a living person who cannot identify\n"
    "                     themselves) or list (prisoner, hospital, evacuation lists)\n"
    "  --mapping FILE     JSON file mapping the file's columns to fields (see\n"
    "                     data-samples/README.md); without it the headers are recognised\n"
    "                     in Ukrainian, Russian, English or as snake_case field names\n"
    "  --format FORMAT    csv, tsv or jsonl (default: from the extension, else csv with the\n"
    "                     delimiter , ; or tab found in the header line)\n"
    "  --date-order ORDER how to read slashed dates like 03/04/1985 (default dmy)\n"
    "  --db CONNINFO      libpq connection string (default: PG* environment variables)\n"
    "  --json             print one JSON object per file\n\n"
    "Prints the batch id and the rows read, loaded (inserted + updated), rejected and\n"
    "duplicates; read = loaded + rejected + duplicates; and the number of warnings (values\n"
    "left out of loaded rows; not a row count). Exit 1 if a file could not be loaded.\n";

struct progress {
    bool tty;
    const char *file;
};

static void show_progress(uint64_t bytes, uint64_t total, uint64_t rows, void *user)
{
    struct progress *p = user;
    if (!p->tty)
        return;
    if (total > 0) {
        int pct = (int)(bytes * 100 / total);
        int bar = pct / 4;
        fprintf(stderr, "\r%s [%-25.*s] %3d%% %llu rows", p->file, bar, "#########################",
                pct, (unsigned long long)rows);
    } else {
        fprintf(stderr, "\r%s %llu rows", p->file, (unsigned long long)rows);
    }
    fflush(stderr);
}

static void print_result(const char *file, const rz_load_result *r, bool json)
{
    if (json) {
        fputs("{\"file\":", stdout);
        rz_cli_json_string(file);
        printf(",\"batch\":%lld,\"read\":%llu,\"loaded\":%llu,\"inserted\":%llu,"
               "\"updated\":%llu,\"rejected\":%llu,\"duplicates\":%llu,\"warnings\":%llu",
               (long long)r->batch_id, (unsigned long long)r->read, (unsigned long long)r->loaded,
               (unsigned long long)r->inserted, (unsigned long long)r->updated,
               (unsigned long long)r->rejected, (unsigned long long)r->duplicates,
               (unsigned long long)r->warnings);
        fputs(",\"unmapped\":", stdout);
        rz_cli_json_string(r->unmapped);
        printf(",\"sha256\":\"%s\",\"same_file_as_batch\":", r->file_sha256);
        if (r->same_file_batch)
            printf("%lld", (long long)r->same_file_batch);
        else
            fputs("null", stdout);
        fputs("}\n", stdout);
        return;
    }
    printf("batch %lld: %s\n", (long long)r->batch_id, file);
    if (r->unmapped[0])
        printf("  columns kept only in the raw row (no field recognised; map them with "
               "--mapping): %s\n",
               r->unmapped);
    printf("  read %llu, loaded %llu (new %llu, updated %llu), rejected %llu, duplicates %llu\n",
           (unsigned long long)r->read, (unsigned long long)r->loaded,
           (unsigned long long)r->inserted, (unsigned long long)r->updated,
           (unsigned long long)r->rejected, (unsigned long long)r->duplicates);
    if (r->rejected > 0)
        printf("  see the rejects with: rozshuk batch show %lld --rejects\n",
               (long long)r->batch_id);
    if (r->warnings > 0)
        printf("  %llu value(s) of loaded rows could not be used (the records were loaded "
               "without them): rozshuk batch show %lld --warnings\n",
               (unsigned long long)r->warnings, (long long)r->batch_id);
    if (r->same_file_batch)
        printf("  the identical file (same SHA-256) was loaded before as batch %lld\n",
               (long long)r->same_file_batch);
}

struct load_args {
    const char *conninfo, *mapping_path;
    bool json;
    rz_load_opts opts;
};

static int load_files(struct load_args *a, int nfiles, char **files)
{
    rz_error err;
    rz_error_clear(&err);
    rz_mapping *mapping = NULL;
    if (a->mapping_path && rz_mapping_load(a->mapping_path, &mapping, &err) != RZ_OK) {
        rz_cli_error("load", &err);
        return RZ_EXIT_FAIL;
    }
    a->opts.mapping = mapping;
    rz_name_ctx *names = NULL;
    if (rz_name_ctx_open(&names, &err) != RZ_OK) {
        rz_cli_error("load: opening the names engine", &err);
        rz_mapping_free(mapping);
        return RZ_EXIT_FAIL;
    }
    rz_db *db = rz_cli_connect(a->conninfo);
    int rc = db ? RZ_EXIT_OK : RZ_EXIT_FAIL;
    struct progress prog = {isatty(STDERR_FILENO) != 0, NULL};
    a->opts.progress = show_progress;
    a->opts.progress_user = &prog;
    for (int i = 0; db && i < nfiles; i++) {
        prog.file = files[i];
        rz_load_result r;
        rz_error_clear(&err);
        rz_status st = rz_load_file(db, names, files[i], &a->opts, &r, &err);
        if (prog.tty)
            fputs("\r\033[K", stderr);
        if (st != RZ_OK) {
            rz_cli_errorf("load %s: %s%s%s", files[i], err.message,
                          err.sqlstate[0] ? " SQLSTATE " : "", err.sqlstate);
            fprintf(stderr, "  nothing of %s was stored (the batch was rolled back)\n", files[i]);
            rc = RZ_EXIT_FAIL;
            continue;
        }
        print_result(files[i], &r, a->json);
    }
    rz_db_close(db);
    rz_name_ctx_close(names);
    rz_mapping_free(mapping);
    return rc;
}

int rz_cli_load(int argc, char **argv)
{
    static const struct option opts[] = {{"source", required_argument, NULL, 's'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"mapping", required_argument, NULL, 'm'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"date-order", required_argument, NULL, 'o'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct load_args a;
    memset(&a, 0, sizeof a);
    rz_load_opts_defaults(&a.opts);
    bool have_kind = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            a.opts.source = optarg;
            break;
        case 'k':
            if (rz_kind_parse(optarg, &a.opts.kind) != RZ_OK)
                return rz_cli_usage("load",
                                    "unknown kind '%s': use missing, remains, living "
                                    "or list",
                                    optarg);
            have_kind = true;
            break;
        case 'm':
            a.mapping_path = optarg;
            break;
        case 'f':
            if (rz_load_format_parse(optarg, &a.opts.format) != RZ_OK)
                return rz_cli_usage("load", "unknown format '%s': use csv, tsv or jsonl", optarg);
            break;
        case 'o':
            if (strcmp(optarg, "dmy") == 0)
                a.opts.dates.order = RZ_ORDER_DMY;
            else if (strcmp(optarg, "mdy") == 0)
                a.opts.dates.order = RZ_ORDER_MDY;
            else if (strcmp(optarg, "ymd") == 0)
                a.opts.dates.order = RZ_ORDER_YMD;
            else
                return rz_cli_usage("load", "unknown date order '%s': use dmy, mdy or ymd", optarg);
            break;
        case 'd':
            a.conninfo = optarg;
            break;
        case 'j':
            a.json = true;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("load", c, argv);
        }
    }
    if (a.opts.source == NULL)
        return rz_cli_usage("load", "say where the records come from: --source NAME");
    if (!have_kind)
        return rz_cli_usage("load", "say what the records are: --kind missing|remains|living|list");
    if (optind >= argc)
        return rz_cli_usage("load", "name at least one file to load");
    return load_files(&a, argc - optind, argv + optind);
}
