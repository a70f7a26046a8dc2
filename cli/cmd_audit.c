/* cmd_audit.c: `rozshuk audit`: list the append-only audit trail (admins only). */
#include "cli.h"

#include "rozshuk/audit.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk audit [--since WHEN] [--who NAME] [--action ACTION] [--limit N] [--json]\n"
    "                     [--db CONNINFO]\n\n"
    "Lists the audit trail, oldest first: every search, view, decision, batch loaded or undone\n"
    "and job run, with the database role, the --by name, the action, its object and details.\n"
    "Only rozshuk_admin may read it; nobody may change or delete it.\n\n"
    "Options:\n"
    "  --since WHEN      from a date or time (2026-12-05, '2026-12-05 13:00+00', today)\n"
    "                    or an interval back from now ('2 hours', '7 days')\n"
    "  --who NAME        rows by this database role or this --by name\n"
    "  --action ACTION   this action (search, decision.record), or a prefix ending in '.'\n"
    "                    (candidate.)\n"
    "  --limit N         the most recent N rows (default 1000)\n"
    "  --json            one JSON object per row, one per line\n"
    "  --db CONNINFO     libpq connection string (default: PG* environment variables)\n";

struct print_state {
    bool json;
    size_t rows;
};

static void json_field(const char *key, const char *value, bool raw)
{
    printf(",\"%s\":", key);
    if (value == NULL)
        fputs("null", stdout);
    else if (raw)
        fputs(value, stdout);
    else
        rz_cli_json_string(value);
}

static void print_entry(const rz_audit_entry *e, void *user)
{
    struct print_state *p = user;
    p->rows++;
    if (p->json) {
        printf("{\"id\":%" PRId64, e->id);
        json_field("at", e->at, false);
        json_field("db_role", e->db_role, false);
        json_field("actor", e->actor, false);
        json_field("action", e->action, false);
        json_field("object_kind", e->object_kind, false);
        json_field("object_id", e->object_id, false);
        json_field("detail", e->detail, true); /* jsonb text from the server: valid JSON */
        fputs("}\n", stdout);
        return;
    }
    printf("%s  %-20s %-16s %-18s %s%s%s  %s\n", e->at, e->db_role, e->actor ? e->actor : "-",
           e->action, e->object_kind ? e->object_kind : "", e->object_kind ? " " : "",
           e->object_id ? e->object_id : "", e->detail ? e->detail : "");
}

static int parse_limit(const char *text, size_t *out)
{
    char *end = NULL;
    unsigned long long n = strtoull(text, &end, 10);
    if (text[0] < '1' || text[0] > '9' || *end != '\0' || n > 1000000)
        return -1;
    *out = (size_t)n;
    return 0;
}

int rz_cli_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},  {"who", required_argument, NULL, 'w'},
        {"action", required_argument, NULL, 'a'}, {"limit", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},         {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    rz_audit_filter filter;
    rz_audit_filter_defaults(&filter);
    const char *conninfo = NULL;
    struct print_state ps = {false, 0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            filter.since = optarg;
            break;
        case 'w':
            filter.who = optarg;
            break;
        case 'a':
            filter.action = optarg;
            break;
        case 'n':
            if (parse_limit(optarg, &filter.limit) != 0)
                return rz_cli_usage("audit", "--limit must be a whole number from 1 to 1000000");
            break;
        case 'j':
            ps.json = true;
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("audit", c, argv);
        }
    }
    if (optind < argc)
        return rz_cli_usage("audit", "unexpected argument '%s'", argv[optind]);
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL)
        return RZ_EXIT_FAIL;
    rz_error err;
    rz_error_clear(&err);
    rz_status st = rz_audit_list(db, &filter, print_entry, &ps, &err);
    rz_db_close(db);
    if (st != RZ_OK) {
        if (strcmp(err.sqlstate, "42501") == 0) {
            rz_cli_errorf("audit: this database role may not read the audit trail; it is "
                          "readable by members of rozshuk_admin only");
            return RZ_EXIT_FAIL;
        }
        rz_cli_error("audit", &err);
        return st == RZ_EINVAL ? RZ_EXIT_USAGE : RZ_EXIT_FAIL;
    }
    if (!ps.json && ps.rows == 0)
        fprintf(stderr, "rozshuk: audit: no rows match\n");
    return RZ_EXIT_OK;
}
