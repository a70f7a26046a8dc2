/*
 * fuzz_names.c: the names engine on a raw byte string as it comes from a file or a query:
 * cleaning and splitting (engine/text), parsing a full name and a name from separate parts,
 * every accessor, the blocking keys, comparison with itself and with a real name, and every
 * transliteration scheme. Lines of the input are the parts for rz_name_from_parts.
 */
#include "fuzz_util.h"
#include "internal.h"
#include "rozshuk/names.h"
#include "rozshuk/translit.h"
#include "text/text.h"

static rz_name_ctx *ctx;
static rz_name *known;
static rz_translit **schemes;
static size_t nschemes;

static void init(void)
{
    rz_error err;
    if (rz_name_ctx_open(&ctx, &err) != RZ_OK)
        abort();
    if (rz_name_parse(ctx, "Клименко Олександр Іванович", &known, &err) != RZ_OK)
        abort();
    nschemes = rz_translit_scheme_count();
    schemes = calloc(nschemes, sizeof *schemes);
    for (size_t i = 0; i < nschemes; i++)
        if (rz_translit_open(rz_translit_scheme_name(i), &schemes[i], &err) != RZ_OK)
            abort();
}

static void on_key(const char *kind, const char *key, void *user)
{
    size_t *n = user;
    *n += strlen(kind) + strlen(key);
}

static void check_name(const rz_name *n)
{
    for (int p = 0; p < RZ__PART_COUNT; p++) {
        const char *s[] = {rz_name_written(n, (rz_name_part)p), rz_name_clean(n, (rz_name_part)p),
                           rz_name_skeleton(n, (rz_name_part)p)};
        for (size_t i = 0; i < 3; i++)
            if (s[i] != NULL)
                (void)strlen(s[i]);
        (void)rz_name_script(n, (rz_name_part)p);
    }
    (void)rz_name_lang(n);
    (void)rz_name_given_canonical(n);
    (void)rz_name_patronymic_canonical(n);
    (void)rz_name_surname_folded(n);
    (void)rz_name_sex_hint(n);
    size_t total = 0;
    rz_name_keys(n, on_key, &total);
    rz_name_comparison c;
    rz_name_compare(n, n, &c);
    if (!(c.score >= 0.0 && c.score <= 1.0))
        abort();
    rz_name_compare(n, known, &c);
    if (!(c.score >= 0.0 && c.score <= 1.0))
        abort();
    rz_name_compare(known, n, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL)
        init();
    char *s = fuzz_strndup(data, size);
    if (s == NULL)
        return 0;
    rz_error err;
    rz_error_clear(&err);

    static rz__cleaned cleaned;
    (void)rz__text_clean(s, size, &cleaned, &err);
    char folded[256];
    (void)rz__fold(s, size, folded, sizeof folded, true);
    (void)rz__fold(s, size, folded, sizeof folded, false);
    (void)rz__utf8_check(s, size);

    rz_name *n = NULL;
    if (rz_name_parse(ctx, s, &n, &err) == RZ_OK) {
        check_name(n);
        rz_name_free(n);
    }
    const uint8_t *p = data;
    size_t left = size;
    char *sur = fuzz_next_line(&p, &left), *given = fuzz_next_line(&p, &left),
         *patr = fuzz_next_line(&p, &left);
    n = NULL;
    if (sur && given && patr && rz_name_from_parts(ctx, sur, given, patr, &n, &err) == RZ_OK) {
        check_name(n);
        rz_name_free(n);
    }
    free(sur), free(given), free(patr);
    for (size_t i = 0; i < nschemes; i++) {
        char *out = NULL;
        if (rz_translit_apply(schemes[i], s, &out, &err) == RZ_OK)
            free(out);
    }
    free(s);
    return 0;
}
