/*
 * fuzz_values.c: the value parsers of engine/load/ on arbitrary text: dates (every date
 * order), ages, sex, identifiers of every kind and what they tell (RNOKPP, UNZR), column
 * headers, field and format names. The input is the text as a cell would carry it.
 */
#include "fuzz_util.h"
#include "rozshuk/load.h"
#include "rozshuk/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    if (s == NULL)
        return 0;
    rz_error err;
    rz_error_clear(&err);
    rz_date_opts opts;
    rz_date_opts_defaults(&opts);
    opts.today = rz_days_from_ymd(2026, 12, 6); /* fixed, so a crash replays */
    rz_date_range r;
    for (int o = 0; o < 3; o++) {
        opts.order = (rz_date_order)o;
        if (rz_date_parse(s, &opts, &r, &err) == RZ_OK && r.from > r.to)
            abort(); /* a range that ends before it starts */
    }
    if (rz_age_parse(s, opts.today, &r, &err) == RZ_OK && r.from > r.to)
        abort();
    rz_sex sex;
    (void)rz_sex_parse(s, &sex, &err);
    for (int k = RZ_ID_UNZR; k <= RZ_ID_OTHER; k++) {
        rz_identifier id;
        (void)rz_identifier_parse((rz_id_kind)k, s, &id, &err);
    }
    int32_t day;
    (void)rz_rnokpp_info(s, &day, &sex);
    (void)rz_unzr_birth(s, &day);
    (void)rz_field_detect(s);
    rz_field field;
    (void)rz_field_parse(s, &field);
    rz_load_format format;
    (void)rz_load_format_parse(s, &format);
    free(s);
    return 0;
}
