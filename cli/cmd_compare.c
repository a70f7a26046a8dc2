/* cmd_compare.c: `rozshuk compare [--json] NAME_A NAME_B` and `rozshuk compare --pairs FILE`:
 * how alike two names are, part by part, with the overall verdict. */
#include "cli.h"

#include "rozshuk/names.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk compare [--json] NAME_A NAME_B\n"
    "       rozshuk compare --pairs FILE|-\n\n"
    "Compares two names written in any order, script or transliteration, part by part\n"
    "(surname, given name, patronymic): each part gets a score in [0,1] and a level,\n"
    "exact, equivalent (the same name in another script, standard, language or form),\n"
    "close (a typing error), far (different) or missing (on one side only), and the pair an\n"
    "overall score and level.\n\n"
    "  rozshuk compare 'Олександр Клименко' 'KLYMENKO OLEKSANDR'\n\n"
    "Options:\n"
    "  --json         print one JSON object: {\"score\", \"level\", \"swapped\", \"parts\": "
    "{...}}\n"
    "  --pairs FILE   compare every line NAME_A<TAB>NAME_B of FILE (- for standard input);\n"
    "                 prints one JSON object per line, in input order, with its line number;\n"
    "                 a bad line gets {\"line\": N, \"error\": ...} and the run goes on\n"
    "                 (exit 1 at the end if any line was bad)\n";

static void print_json(const rz_name_comparison *cmp, const char *a, const char *b, size_t line)
{
    fputs("{", stdout);
    if (line)
        printf("\"line\":%zu,", line);
    fputs("\"a\":", stdout);
    rz_cli_json_string(a);
    fputs(",\"b\":", stdout);
    rz_cli_json_string(b);
    printf(",\"score\":%.4f,\"level\":\"%s\",\"swapped\":%s,\"parts\":{", cmp->score,
           rz_level_name(cmp->level), cmp->swapped ? "true" : "false");
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        const rz_part_comparison *pc = &cmp->parts[p];
        printf("%s\"%s\":{\"score\":%.4f,\"level\":\"%s\",\"reason\":", p ? "," : "",
               rz_name_part_label((rz_name_part)p), pc->score, rz_level_name(pc->level));
        rz_cli_json_string(pc->reason);
        fputs("}", stdout);
    }
    fputs("}}\n", stdout);
}

static void print_text(const rz_name_comparison *cmp, const rz_name *a, const rz_name *b)
{
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        const rz_part_comparison *pc = &cmp->parts[p];
        rz_name_part pa = (rz_name_part)p, pb = pa;
        if (cmp->swapped && p != RZ_PART_PATRONYMIC)
            pb = p == RZ_PART_SURNAME ? RZ_PART_GIVEN : RZ_PART_SURNAME;
        const char *wa = rz_name_written(a, pa), *wb = rz_name_written(b, pb);
        printf("%-11s %-11s %.3f  %s | %s  (%s)\n", rz_name_part_label(pa),
               rz_level_name(pc->level), pc->score, wa ? wa : "-", wb ? wb : "-", pc->reason);
    }
    printf("%-11s %-11s %.3f%s\n", "overall", rz_level_name(cmp->level), cmp->score,
           cmp->swapped ? "  (surname and given name in the other order)" : "");
}

static void print_line_error(size_t line, const char *msg, const char *status)
{
    printf("{\"line\":%zu,\"error\":", line);
    rz_cli_json_string(msg);
    fputs(",\"status\":", stdout);
    rz_cli_json_string(status);
    fputs("}\n", stdout);
}

/* Compares one line "A<TAB>B"; returns true when it was a good line. */
static bool compare_line(const rz_name_ctx *ctx, char *line, size_t len, size_t lineno)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (memchr(line, '\0', len) != NULL) {
        print_line_error(lineno, "line contains a NUL byte", "utf8");
        return false;
    }
    char *tab = strchr(line, '\t');
    if (tab == NULL || strchr(tab + 1, '\t') != NULL) {
        print_line_error(lineno, "expected NAME_A<TAB>NAME_B (exactly one tab)", "parse");
        return false;
    }
    *tab = '\0';
    const char *texts[2] = {line, tab + 1};
    rz_name *names[2] = {NULL, NULL};
    bool ok = true;
    for (int i = 0; i < 2 && ok; i++) {
        rz_error err;
        rz_error_clear(&err);
        if (rz_name_parse(ctx, texts[i], &names[i], &err) != RZ_OK) {
            char msg[RZ_ERROR_MESSAGE_MAX + 16];
            snprintf(msg, sizeof msg, "name %c: %s", i ? 'B' : 'A', err.message);
            print_line_error(lineno, msg, rz_status_name(err.status));
            ok = false;
        }
    }
    if (ok) {
        rz_name_comparison cmp;
        rz_name_compare(names[0], names[1], &cmp);
        print_json(&cmp, texts[0], texts[1], lineno);
    }
    rz_name_free(names[0]);
    rz_name_free(names[1]);
    return ok;
}

static int run_pairs(const rz_name_ctx *ctx, const char *path)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (in == NULL) {
        rz_cli_errorf("compare: cannot open %s: %s", path, strerror(errno));
        return RZ_EXIT_FAIL;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0, bad = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) != -1) {
        lineno++;
        if (!compare_line(ctx, line, (size_t)len, lineno))
            bad++;
    }
    bool read_error = ferror(in);
    free(line);
    if (in != stdin)
        fclose(in);
    if (read_error) {
        rz_cli_errorf("compare: error reading %s after line %zu", path, lineno);
        return RZ_EXIT_FAIL;
    }
    if (bad) {
        rz_cli_errorf("compare: %zu of %zu lines of %s could not be compared (see their "
                      "error objects)",
                      bad, lineno, path);
        return RZ_EXIT_FAIL;
    }
    return RZ_EXIT_OK;
}

static int run_two(const rz_name_ctx *ctx, const char *a, const char *b, bool json)
{
    rz_name *na = NULL, *nb = NULL;
    rz_error err;
    rz_error_clear(&err);
    int rc = RZ_EXIT_FAIL;
    if (rz_name_parse(ctx, a, &na, &err) != RZ_OK) {
        rz_cli_error("compare: NAME_A", &err);
        goto done;
    }
    if (rz_name_parse(ctx, b, &nb, &err) != RZ_OK) {
        rz_cli_error("compare: NAME_B", &err);
        goto done;
    }
    rz_name_comparison cmp;
    rz_name_compare(na, nb, &cmp);
    if (json)
        print_json(&cmp, a, b, 0);
    else
        print_text(&cmp, na, nb);
    rc = RZ_EXIT_OK;
done:
    rz_name_free(na);
    rz_name_free(nb);
    return rc;
}

int rz_cli_compare(int argc, char **argv)
{
    static const struct option OPTS[] = {{"json", no_argument, NULL, 'j'},
                                         {"pairs", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    const char *pairs = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'p')
            pairs = optarg;
        else if (c == 'h') {
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        } else
            return rz_cli_usage("compare", "unknown option '%s'", argv[optind - 1]);
    }
    int rest = argc - optind;
    if (pairs && rest != 0)
        return rz_cli_usage("compare", "--pairs takes no names on the command line");
    if (!pairs && rest != 2)
        return rz_cli_usage("compare", "give two names (quote each), or --pairs FILE");
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        rz_cli_error("compare", &err);
        return RZ_EXIT_FAIL;
    }
    int rc = pairs ? run_pairs(ctx, pairs) : run_two(ctx, argv[optind], argv[optind + 1], json);
    rz_name_ctx_close(ctx);
    return rc;
}
