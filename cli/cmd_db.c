/* cmd_db.c: `rozshuk db migrate|status|rekey`: apply and inspect the schema migrations; give
 * records loaded by an older rozshuk the names engine's current keys. */
#include "cli.h"

#include "rozshuk/load.h"
#include "rozshuk/migrate.h"
#include "rozshuk/names.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk db migrate [--db CONNINFO] [--migrations DIR]\n"
    "       rozshuk db status  [--db CONNINFO] [--migrations DIR] [--json]\n"
    "       rozshuk db rekey   [--db CONNINFO] [--json]\n\n"
    "  migrate   apply the pending migrations in order, each in its own transaction;\n"
    "            refuses if an applied migration was edited afterwards\n"
    "  status    list applied and pending migrations (exit 1 if any is changed or missing)\n"
    "  rekey     after an upgrade: give the names stored with search and matching keys of an\n"
    "            older names engine (search warns of them) the keys this rozshuk makes, as a\n"
    "            new load would; 5,000 names per transaction, so it can be stopped and run\n"
    "            again; needs the loader's or admin's rights\n\n"
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

static int rekey(const char *conninfo, bool json)
{
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        rz_cli_error("db rekey: opening the names engine", &err);
        return RZ_EXIT_FAIL;
    }
    rz_db *db = rz_cli_connect(conninfo);
    if (db == NULL) {
        rz_name_ctx_close(ctx);
        return RZ_EXIT_FAIL;
    }
    rz_rekey_result r;
    rz_status st = rz_rekey(db, ctx, &r, &err);
    int rc = RZ_EXIT_OK;
    if (st != RZ_OK) {
        rz_cli_error("db rekey", &err);
        fprintf(stderr, "  what was rekeyed before the error is kept: run it again to go on\n");
        rc = RZ_EXIT_FAIL;
    } else if (json) {
        printf("{\"names\":%llu,\"records\":%llu,\"unkeyed\":%llu,\"key_version\":%d}\n",
               (unsigned long long)r.names, (unsigned long long)r.records,
               (unsigned long long)r.unkeyed, RZ_KEY_VERSION);
    } else {
        printf("rekeyed %llu name(s) of %llu record(s) to key version %d in %s\n",
               (unsigned long long)r.names, (unsigned long long)r.records, RZ_KEY_VERSION,
               rz_db_where(db));
        if (r.unkeyed)
            printf("  %llu of the names are no name to this rozshuk: they have no keys now\n",
                   (unsigned long long)r.unkeyed);
    }
    rz_db_close(db);
    rz_name_ctx_close(ctx);
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
        return rz_cli_usage("db", "say what to do: 'migrate', 'status' or 'rekey'");
    const char *action = argv[optind];
    if (rz_cli_is_help(action)) {
        fputs(HELP, stdout);
        return RZ_EXIT_OK;
    }
    if (strcmp(action, "migrate") != 0 && strcmp(action, "status") != 0 &&
        strcmp(action, "rekey") != 0)
        return rz_cli_usage("db", "unknown action '%s': use 'migrate', 'status' or 'rekey'",
                            action);
    if (optind + 1 < argc)
        return rz_cli_usage("db", "unexpected argument '%s'", argv[optind + 1]);
    if (strcmp(action, "rekey") == 0) {
        if (dir)
            return rz_cli_usage("db", "--migrations is for 'migrate' and 'status'");
        return rekey(conninfo, json);
    }
    return run(action, conninfo, dir, json);
}
