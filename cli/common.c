/* common.c: error printing, connecting, small helpers shared by the subcommands. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rz_cli_errorf(const char *fmt, ...)
{
    va_list ap;
    fputs("rozshuk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void rz_cli_error(const char *context, const rz_error *err)
{
    if (err->sqlstate[0] != '\0')
        rz_cli_errorf("%s: %s (SQLSTATE %s)", context, err->message, err->sqlstate);
    else
        rz_cli_errorf("%s: %s", context,
                      err->message[0] ? err->message : rz_status_str(err->status));
}

int rz_cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    fputs("rozshuk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'rozshuk %s --help'.\n", command);
    return RZ_EXIT_USAGE;
}

int rz_cli_bad_option(const char *command, int c, char **argv)
{
    if (c == ':')
        return rz_cli_usage(command, "option '%s' needs a value", argv[optind - 1]);
    return rz_cli_usage(command, "unknown option '%s'", argv[optind - 1]);
}

rz_db *rz_cli_connect(const char *conninfo)
{
    rz_db *db = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_db_open(conninfo, &db, &err) != RZ_OK) {
        rz_cli_errorf("%s", err.message);
        fprintf(stderr, "  Is the server running? For the project's private PostgreSQL run "
                        "'scripts/pg start' and 'eval \"$(scripts/pg env)\"';\n"
                        "  for another server pass --db 'host=... dbname=...' or set PGHOST, "
                        "PGDATABASE, PGUSER (passwords in ~/.pgpass).\n");
        return NULL;
    }
    return db;
}

bool rz_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

void rz_cli_json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", stdout);
            break;
        case '\\':
            fputs("\\\\", stdout);
            break;
        case '\n':
            fputs("\\n", stdout);
            break;
        case '\r':
            fputs("\\r", stdout);
            break;
        case '\t':
            fputs("\\t", stdout);
            break;
        default:
            if (*p < 0x20)
                printf("\\u%04x", *p);
            else
                putchar(*p);
        }
    }
    putchar('"');
}
