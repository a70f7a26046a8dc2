/* cmd_translit.c: `rozshuk translit`: Cyrillic text in Latin letters under a named standard. */
#include "cli.h"

#include "rozshuk/translit.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk translit [--json] --scheme NAME TEXT...\n"
    "       rozshuk translit [--json] --scheme NAME -   (one text per line on standard input)\n"
    "       rozshuk translit [--json] --list\n\n"
    "Prints the Latin rendering of each TEXT under a transliteration standard, one line\n"
    "each. Latin and other non-Cyrillic characters pass through unchanged. A text that\n"
    "cannot be transliterated gives an error on stderr and an empty line.\n\n"
    "Options:\n"
    "  -s, --scheme NAME   the standard, e.g. uk-kmu-2010 (Ukrainian passports), ru-icao-9303\n"
    "  -l, --list          list the schemes: name, language, title\n"
    "  --json              one JSON object per line: {\"scheme\",\"text\",\"latin\"}, or\n"
    "                      {\"scheme\",\"where\",\"error\"} for a text that failed;\n"
    "                      with --list {\"name\",\"lang\",\"title\"}\n"
    "  -h, --help          this help\n\n"
    "Limits: 64 KiB per text or line; invalid UTF-8 is an error naming the byte.\n"
    "Exit codes: 0 success, 1 a text could not be transliterated, 2 usage error.\n\n"
    "Example:\n"
    "  rozshuk translit --scheme uk-kmu-2010 'Олександр Клименко'   # Oleksandr Klymenko\n";

/* What every rendering needs: the transliterator, its scheme name, the output format. */
struct run {
    rz_translit *tr;
    const char *scheme;
    bool json;
};

static void json_field(const char *name, const char *value, bool last)
{
    printf("\"%s\":", name);
    rz_cli_json_string(value);
    fputs(last ? "}\n" : ",", stdout);
}

static int list_schemes(bool json)
{
    for (size_t i = 0; i < rz_translit_scheme_count(); i++) {
        if (json) {
            putchar('{');
            json_field("name", rz_translit_scheme_name(i), false);
            json_field("lang", rz_translit_scheme_lang(i), false);
            json_field("title", rz_translit_scheme_title(i), true);
        } else {
            printf("%-18s %-3s %s\n", rz_translit_scheme_name(i), rz_translit_scheme_lang(i),
                   rz_translit_scheme_title(i));
        }
    }
    return RZ_EXIT_OK;
}

/* Reports a text that failed: on stderr, and in JSON mode as an error object on stdout
 * (plain mode prints an empty line, so that output lines stay aligned with input lines). */
static void report(const struct run *r, const char *where, const char *message)
{
    rz_cli_errorf("%s: %s", where, message);
    if (!r->json) {
        puts("");
        return;
    }
    putchar('{');
    json_field("scheme", r->scheme, false);
    json_field("where", where, false);
    json_field("error", message, true);
}

/* Transliterates one text and prints it; `where` names it in an error ("argument 2"). */
static int render(const struct run *r, const char *text, const char *where)
{
    rz_error err;
    rz_error_clear(&err);
    char *latin = NULL;
    if (rz_translit_apply(r->tr, text, &latin, &err) != RZ_OK) {
        report(r, where, err.message[0] ? err.message : rz_status_str(err.status));
        return RZ_EXIT_FAIL;
    }
    if (r->json) {
        putchar('{');
        json_field("scheme", r->scheme, false);
        json_field("text", text, false);
        json_field("latin", latin, true);
    } else {
        puts(latin);
    }
    free(latin);
    return RZ_EXIT_OK;
}

/* Reads standard input line by line; a bad line is reported and the rest still printed. */
static int render_stdin(const struct run *r)
{
    int rc = RZ_EXIT_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    while ((n = getline(&line, &cap, stdin)) != -1) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char where[48];
        snprintf(where, sizeof where, "standard input, line %lu", lineno);
        if ((size_t)n != strlen(line)) {
            report(r, where, "contains a NUL byte");
            rc = RZ_EXIT_FAIL;
            continue;
        }
        if (render(r, line, where) != RZ_EXIT_OK)
            rc = RZ_EXIT_FAIL;
    }
    free(line);
    if (ferror(stdin)) {
        rz_cli_errorf("reading standard input failed");
        rc = RZ_EXIT_FAIL;
    }
    return rc;
}

int rz_cli_translit(int argc, char **argv)
{
    static const struct option opts[] = {{"scheme", required_argument, NULL, 's'},
                                         {"list", no_argument, NULL, 'l'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *scheme = NULL;
    bool list = false, json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:s:lh", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            scheme = optarg;
            break;
        case 'l':
            list = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        default:
            return rz_cli_bad_option("translit", c, argv);
        }
    }
    if (list) {
        if (scheme != NULL || optind < argc)
            return rz_cli_usage("translit", "--list takes no scheme and no text");
        return list_schemes(json);
    }
    if (scheme == NULL)
        return rz_cli_usage("translit", "missing --scheme NAME (see 'rozshuk translit --list')");
    if (optind >= argc)
        return rz_cli_usage("translit", "missing TEXT (or '-' to read lines from standard input)");

    rz_error err;
    rz_error_clear(&err);
    rz_translit *tr = NULL;
    rz_status st = rz_translit_open(scheme, &tr, &err);
    if (st == RZ_ENOTFOUND)
        return rz_cli_usage("translit", "%s", err.message);
    if (st != RZ_OK) {
        rz_cli_error("translit", &err);
        return RZ_EXIT_FAIL;
    }
    struct run r = {tr, scheme, json};
    int rc = RZ_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        char where[48];
        snprintf(where, sizeof where, "argument %d", i - optind + 1);
        int one = strcmp(argv[i], "-") == 0 ? render_stdin(&r) : render(&r, argv[i], where);
        if (one != RZ_EXIT_OK)
            rc = one;
    }
    rz_translit_close(tr);
    return rc;
}
