/* cmd_db.c: `rozshuk db migrate|status`: apply and inspect the schema migrations. */
#include "cli.h"

#include "rozshuk/migrate.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk db migrate [--db CONNINFO] [--migrations DIR]\n"
    "       rozshuk db status  [--db CONNINFO] [--migrations DIR] [--json]\n\n"
    "  migrate   apply the pending migrations in order, each in its own transaction;\n"
    "            refuses if an applied migration was edited afterwards\n"
    "  status    list applied and pending migrations (exit 1 if any is changed or missing)\n\n"
    "Options:\n"
    "  --db CONNINFO      libpq connection string (default: PG* environment variables)\n"
    "  --migrations DIR   read NNNN_*.sql from DIR instead of those built into rozshuk\n"
    "  --json             print one JSON object per migration, one per line\n";

struct status_print {
    bool json;
    size_t pending;
};

static void print_state(const char *name, rz_migration_state state, const char *applied_at,
                        void *user)
{
    struct status_print *p = user;
    if (state == RZ_MIGRATION_PENDING)
        p->pending++;
    if (p->json) {
        fputs("{\"migration\":", stdout);
        rz_cli_json_string(name);
        fputs(",\"state\":", stdout);
        rz_cli_json_string(rz_migration_state_name(state));
        fputs(",\"applied_at\":", stdout);
        if (applied_at)
            rz_cli_json_string(applied_at);
        else
            fputs("null", stdout);
        fputs("}\n", stdout);
    } else {
        printf("  %-8s %-40s %s\n", rz_migration_state_name(state), name,
               applied_at ? applied_at : "");
    }
}

static void print_applied(const char *name, rz_migration_state state, const char *applied_at,
                          void *user)
{
    (void)state;
    (void)applied_at;
    (void)user;
    printf("applied  %s\n", name);
}

static int run(const char *action, const char *conninfo, const char *dir, bool json)
{
    rz_error err;
    rz_error_clear(&err);
    rz_migration_set *set = NULL;
    rz_status st =
        dir ? rz_migrations_from_dir(dir, &set, &err) : rz_migrations_builtin(&set, &err);
    if (st != RZ_OK) {
        rz_cli_error("reading migrations", &err);
        return RZ_EXIT_FAIL;
    }
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL) {
        rz_migration_set_free(set);
        return RZ_EXIT_FAIL;
    }
    int rc = RZ_EXIT_OK;
    if (strcmp(action, "migrate") == 0) {
        size_t applied = 0;
        st = rz_migrate_apply(db, set, print_applied, NULL, &applied, &err);
        if (st != RZ_OK) {
            rz_cli_error("db migrate", &err);
            rc = RZ_EXIT_FAIL;
        } else if (applied == 0) {
            printf("schema is up to date (%zu migrations applied) in %s\n",
                   rz_migration_set_count(set), rz_db_where(db));
        } else {
            printf("applied %zu migration(s) in %s\n", applied, rz_db_where(db));
        }
    } else {
        struct status_print p = {json, 0};
        if (!json)
            printf("migrations in %s:\n", rz_db_where(db));
        st = rz_migrate_status(db, set, print_state, &p, &err);
        if (st != RZ_OK) {
            rz_cli_error("db status", &err);
            rc = RZ_EXIT_FAIL;
        } else if (!json) {
            printf("%zu applied, %zu pending%s\n", rz_migration_set_count(set) - p.pending,
                   p.pending, p.pending ? ": run 'rozshuk db migrate'" : "");
        }
    }
    rz_db_close(db);
    rz_migration_set_free(set);
    return rc;
}

int rz_cli_db(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"migrations", required_argument, NULL, 'm'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *conninfo = NULL, *dir = NULL;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            conninfo = optarg;
            break;
        case 'm':
            dir = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("db", c, argv);
        }
    }
    if (optind >= argc)
        return rz_cli_usage("db", "say what to do: 'migrate' or 'status'");
    const char *action = argv[optind];
    if (rz_cli_is_help(action)) {
        fputs(HELP, stdout);
        return RZ_EXIT_OK;
    }
    if (strcmp(action, "migrate") != 0 && strcmp(action, "status") != 0)
        return rz_cli_usage("db", "unknown action '%s': use 'migrate' or 'status'", action);
    if (optind + 1 < argc)
        return rz_cli_usage("db", "unexpected argument '%s'", argv[optind + 1]);
    return run(action, conninfo, dir, json);
}
