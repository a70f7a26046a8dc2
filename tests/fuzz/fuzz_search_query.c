/*
 * fuzz_search_query.c: what `rozshuk search` reads from its user: the --born value and the
 * CSV file of --queries (header detection, fields, born, sex), through cli/cmd_search.c's
 * own functions (included here, they are static). rz_search_run is wrapped (linker
 * --wrap): the query is checked and its name prepared as a search does, with no database.
 * The first byte picks --born (even) or a queries file (odd).
 */
#include "fuzz_util.h"

#include "../../cli/cmd_search.c"

rz_status __wrap_rz_search_run(rz_db *db, const rz_name_ctx *names, const rz_search_query *q,
                               rz_search_result **out, rz_error *err);
rz_status __wrap_rz_search_run(rz_db *db, const rz_name_ctx *names, const rz_search_query *q,
                               rz_search_result **out, rz_error *err)
{
    (void)db;
    *out = NULL;
    rz_status st = rz_search_check(names, q, err);
    if (st != RZ_OK)
        return st;
    rz_name *n = NULL;
    st = rz_name_parse(names, q->name, &n, err);
    rz_name_free(n);
    if (st != RZ_OK)
        return st;
    return rz_error_set(err, RZ_EINVAL, "no database in the fuzz target");
}

static rz_name_ctx *ctx;

static void run_queries(const uint8_t *data, size_t size)
{
    rz_search_query base;
    rz_search_query_defaults(&base);
    batch b;
    memset(&b, 0, sizeof b);
    b.base = &base;
    b.path = "queries.csv";
    b.ctx = ctx;
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        return;
    /* in two pieces, as fread may cut the file anywhere */
    size_t half = size / 2;
    if (csv_parse(&parser, data, half, on_field, on_row, &b) == half &&
        csv_parse(&parser, data + half, size - half, on_field, on_row, &b) == size - half)
        (void)csv_fini(&parser, on_field, on_row, &b);
    free_fields(&b);
    csv_free(&parser);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ctx == NULL) {
        rz_error err;
        if (rz_name_ctx_open(&ctx, &err) != RZ_OK)
            abort();
        if (freopen("/dev/null", "w", stdout) == NULL)
            abort();
    }
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0) {
        char *s = fuzz_strndup(data + 1, size - 1);
        rz_date_range r;
        char why[200];
        if (s && parse_born(s, &r, why, sizeof why) && r.from > r.to)
            abort();
        free(s);
    } else {
        run_queries(data + 1, size - 1);
    }
    return 0;
}
