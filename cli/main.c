/* main.c: `rozshuk <command> [options]`, dispatching to one file per subcommand. */
#include "cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static const struct rz_cli_command commands[] = {
    {"db", rz_cli_db, "manage the schema: migrate, status, rekey"},
    {"load", rz_cli_load, "load files of person records as batches"},
    {"batch", rz_cli_batch, "list, show (with rejects) and undo loaded batches"},
    {"name", rz_cli_name, "show how a name is read: parts, script, keys, canonical name"},
    {"compare", rz_cli_compare, "compare two names part by part (or many pairs)"},
    {"translit", rz_cli_translit, "Cyrillic to Latin under a named standard (KMU 2010, ICAO, ...)"},
    {"search", rz_cli_search, "who could this be? one name in any script, ranked with reasons"},
    {"review", rz_cli_review, "decide on a candidate pair: confirm, exclude, unsure, premature"},
    {"audit", rz_cli_audit, "list the audit trail: who searched, viewed, decided, loaded what"},
    {"match", rz_cli_match, "run a match job: dedupe a selection, link two, or a new batch"},
    {"candidates", rz_cli_candidates, "list a job's candidate pairs, ranked, with reasons"},
    {"explain", rz_cli_explain, "show the score of two records field by field"},
    {"model", rz_cli_model, "show or train the match model (m, u and weight per level)"},
    {"worker", rz_cli_worker, "run queued match tasks (one process per core) until stopped"},
    {"job", rz_cli_job, "list, show, wait for, cancel or retry match jobs"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: rozshuk [--version] [--help] <command> [options]\n\n"
                 "rozshuk finds records that may describe the same missing person across\n"
                 "registers and lists, in Ukrainian, Russian and Latin letters.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nEvery command takes --help. Database commands connect with --db CONNINFO\n"
                 "or libpq's PG* environment variables (PGHOST, PGDATABASE, PGSERVICE, ...).\n"
                 "Exit codes: 0 success, 1 failure, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    if (argc < 2) {
        usage(stderr);
        return RZ_EXIT_USAGE;
    }
    if (rz_cli_is_help(argv[1])) {
        usage(stdout);
        return RZ_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("rozshuk %s\n", rz_version());
        return RZ_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    rz_cli_errorf("unknown command '%s'", argv[1]);
    fprintf(stderr, "Try 'rozshuk --help' for the list of commands.\n");
    return RZ_EXIT_USAGE;
}
