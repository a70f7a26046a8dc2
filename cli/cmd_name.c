/* cmd_name.c: `rozshuk name [--json] TEXT...`: how rozshuk reads one name: its parts, clean
 * forms, script and language, skeletons, canonical given name and blocking keys. */
#include "cli.h"

#include "rozshuk/names.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk name [--json] TEXT...\n\n"
    "Shows how rozshuk reads one name written in any order and script (the words of TEXT\n"
    "form one name; quoting is optional): the surname, given name and patronymic found, each\n"
    "with its clean form, script and skeleton key, the canonical given name, the patronymic's\n"
    "base name, the folded surname, the language and sex the letters suggest, and the\n"
    "blocking keys stored for matching.\n\n"
    "  rozshuk name КЛИМЕНКО Олександр Іванович\n"
    "  rozshuk name --json 'Klymenko, Oleksandr'\n\n"
    "Options:\n"
    "  --json   print one JSON object\n";

struct key_print {
    bool json;
    size_t n;
};

static void print_key(const char *kind, const char *key, void *user)
{
    struct key_print *kp = user;
    if (kp->json) {
        fputs(kp->n ? "," : "", stdout);
        fputs("{\"kind\":", stdout);
        rz_cli_json_string(kind);
        fputs(",\"key\":", stdout);
        rz_cli_json_string(key);
        fputs("}", stdout);
    } else {
        printf("  %-12s %s\n", kind, key);
    }
    kp->n++;
}

static void json_field(const char *name, const char *value)
{
    printf(",\"%s\":", name);
    if (value)
        rz_cli_json_string(value);
    else
        fputs("null", stdout);
}

static void print_json(const rz_name *n, const char *input)
{
    fputs("{\"input\":", stdout);
    rz_cli_json_string(input);
    json_field("lang", rz_lang_name(rz_name_lang(n)));
    char sex[2] = {rz_name_sex_hint(n), 0};
    json_field("sex_hint", sex[0] ? sex : NULL);
    fputs(",\"parts\":{", stdout);
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        printf("%s\"%s\":", p ? "," : "", rz_name_part_label((rz_name_part)p));
        if (rz_name_written(n, (rz_name_part)p) == NULL) {
            fputs("null", stdout);
            continue;
        }
        fputs("{\"written\":", stdout);
        rz_cli_json_string(rz_name_written(n, (rz_name_part)p));
        json_field("clean", rz_name_clean(n, (rz_name_part)p));
        json_field("script", rz_script_name(rz_name_script(n, (rz_name_part)p)));
        json_field("skeleton", rz_name_skeleton(n, (rz_name_part)p));
        if (p == RZ_PART_SURNAME)
            json_field("folded", rz_name_surname_folded(n));
        if (p == RZ_PART_GIVEN)
            json_field("canonical", rz_name_given_canonical(n));
        if (p == RZ_PART_PATRONYMIC)
            json_field("canonical", rz_name_patronymic_canonical(n));
        fputs("}", stdout);
    }
    printf("},\"key_version\":%d,\"keys\":[", RZ_KEY_VERSION);
    struct key_print kp = {.json = true};
    rz_name_keys(n, print_key, &kp);
    fputs("]}\n", stdout);
}

static void print_text(const rz_name *n)
{
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        const char *w = rz_name_written(n, (rz_name_part)p);
        printf("%-11s ", rz_name_part_label((rz_name_part)p));
        if (w == NULL) {
            printf("-\n");
            continue;
        }
        printf("%s\n", w);
        printf("            clean %s, %s, skeleton %s", rz_name_clean(n, (rz_name_part)p),
               rz_script_name(rz_name_script(n, (rz_name_part)p)),
               rz_name_skeleton(n, (rz_name_part)p));
        if (p == RZ_PART_SURNAME)
            printf(", folded %s", rz_name_surname_folded(n));
        if (p == RZ_PART_GIVEN)
            printf(", canonical %s", rz_name_given_canonical(n) ? rz_name_given_canonical(n)
                                                                : "(not in the dictionary)");
        if (p == RZ_PART_PATRONYMIC)
            printf(", base name %s", rz_name_patronymic_canonical(n)
                                         ? rz_name_patronymic_canonical(n)
                                         : "(not recognised)");
        printf("\n");
    }
    char sex = rz_name_sex_hint(n);
    printf("language    %s\nsex hint    %s\n", rz_lang_name(rz_name_lang(n)),
           sex == 'm'   ? "male"
           : sex == 'f' ? "female"
                        : "-");
    printf("keys (version %d)\n", RZ_KEY_VERSION);
    struct key_print kp = {.json = false};
    rz_name_keys(n, print_key, &kp);
}

/* Joins argv[from..] with spaces into a new string (NULL when out of memory). */
static char *join_args(int argc, char **argv, int from)
{
    size_t len = 1;
    for (int i = from; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (s == NULL)
        return NULL;
    size_t k = 0;
    for (int i = from; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (k)
            s[k++] = ' ';
        memcpy(s + k, argv[i], l);
        k += l;
    }
    s[k] = '\0';
    return s;
}

int rz_cli_name(int argc, char **argv)
{
    static const struct option OPTS[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", OPTS, NULL)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'h') {
            fputs(HELP, stdout);
            return RZ_EXIT_OK;
        } else
            return rz_cli_usage("name", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind >= argc)
        return rz_cli_usage("name", "give the name to read, e.g. rozshuk name Олександр Клименко");
    char *text = join_args(argc, argv, optind);
    if (text == NULL) {
        rz_cli_errorf("out of memory");
        return RZ_EXIT_FAIL;
    }
    rz_error err;
    rz_error_clear(&err);
    rz_name_ctx *ctx = NULL;
    rz_name *n = NULL;
    int rc = RZ_EXIT_FAIL;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK) {
        rz_cli_error("name", &err);
        goto done;
    }
    if (rz_name_parse(ctx, text, &n, &err) != RZ_OK) {
        rz_cli_error("name", &err);
        goto done;
    }
    if (json)
        print_json(n, text);
    else
        print_text(n);
    rc = RZ_EXIT_OK;
done:
    rz_name_free(n);
    rz_name_ctx_close(ctx);
    free(text);
    return rc;
}
