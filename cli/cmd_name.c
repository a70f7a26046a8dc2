/* cmd_name.c: `rozshuk name [--json] TEXT...`: how rozshuk reads one name: its parts, clean
 * forms, script and language, skeletons, canonical given name and blocking keys. */
#include "cli.h"

#include "rozshuk/names.h"
#include "rozshuk/translit.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: rozshuk name [--json] TEXT...\n\n"
    "Shows how rozshuk reads one name written in any order and script (the words of TEXT\n"
    "form one name; quoting is optional): the surname, given name and patronymic found, each\n"
    "with its clean form, script and skeleton key, the canonical given name, the patronymic's\n"
    "base name, the folded surname, the language and sex the letters suggest, the Latin\n"
    "renderings of a Cyrillic name under each transliteration scheme of its language (all\n"
    "schemes when the letters do not tell the language), and the blocking keys stored for\n"
    "matching.\n\n"
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

/* The name as written, surname first, for transliteration. */
static void written_name(const rz_name *n, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        const char *w = rz_name_written(n, (rz_name_part)p);
        if (w == NULL)
            continue;
        int wrote = snprintf(out + k, cap - k, "%s%s", k ? " " : "", w);
        if (wrote < 0 || (size_t)wrote >= cap - k)
            return;
        k += (size_t)wrote;
    }
}

static bool has_cyrillic(const rz_name *n)
{
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        rz_script s = rz_name_script(n, (rz_name_part)p);
        if (s == RZ_SCRIPT_CYRILLIC || s == RZ_SCRIPT_MIXED)
            return true;
    }
    return false;
}

/* Calls fn for each scheme of the name's language with the rendering (or an error text). */
static void each_rendering(const rz_name *n, void (*fn)(const char *scheme, const char *latin,
                                                        const char *error, size_t i))
{
    if (!has_cyrillic(n))
        return;
    char text[4 * RZ_NAME_TEXT_MAX];
    written_name(n, text, sizeof text);
    const char *lang = rz_lang_name(rz_name_lang(n));
    bool any_lang = rz_name_lang(n) == RZ_LANG_CYRILLIC;
    size_t shown = 0;
    for (size_t i = 0; i < rz_translit_scheme_count(); i++) {
        if (!any_lang && strcmp(rz_translit_scheme_lang(i), lang) != 0)
            continue;
        rz_translit *tr = NULL;
        char *latin = NULL;
        rz_error err;
        rz_error_clear(&err);
        if (rz_translit_open(rz_translit_scheme_name(i), &tr, &err) == RZ_OK &&
            rz_translit_apply(tr, text, &latin, &err) == RZ_OK)
            fn(rz_translit_scheme_name(i), latin, NULL, shown++);
        else
            fn(rz_translit_scheme_name(i), NULL, err.message, shown++);
        free(latin);
        rz_translit_close(tr);
    }
}

static void rendering_json(const char *scheme, const char *latin, const char *error, size_t i)
{
    fputs(i ? ",{\"scheme\":" : "{\"scheme\":", stdout);
    rz_cli_json_string(scheme);
    json_field(latin ? "latin" : "error", latin ? latin : error);
    fputs("}", stdout);
}

static void rendering_text(const char *scheme, const char *latin, const char *error, size_t i)
{
    if (i == 0)
        printf("renderings\n");
    printf("  %-18s %s\n", scheme, latin ? latin : error);
}

static void print_json(const rz_name *n, const char *input)
{
    fputs("{\"input\":", stdout);
    rz_cli_json_string(input);
    json_field("lang", rz_lang_name(rz_name_lang(n)));
    char sex[2] = {rz_name_sex_hint(n), 0};
    json_field("sex_hint", sex[0] ? sex : NULL);
    json_field("rank", rz_name_title(n));
    json_field("other_surname", rz_name_other_surname(n));
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
    fputs("},\"renderings\":[", stdout);
    each_rendering(n, rendering_json);
    printf("],\"key_version\":%d,\"keys\":[", RZ_KEY_VERSION);
    struct key_print kp = {.json = true};
    rz_name_keys(n, print_key, &kp);
    fputs("]}\n", stdout);
}

static void print_text(const rz_name *n)
{
    if (rz_name_title(n))
        printf("%-11s %s (set aside: not a part of the name)\n", "rank", rz_name_title(n));
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
    if (rz_name_other_surname(n))
        printf("%-11s %s (maiden or former: matched as the surname too)\n", "other",
               rz_name_other_surname(n));
    char sex = rz_name_sex_hint(n);
    printf("language    %s\nsex hint    %s\n", rz_lang_name(rz_name_lang(n)),
           sex == 'm'   ? "male"
           : sex == 'f' ? "female"
                        : "-");
    each_rendering(n, rendering_text);
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
