/*
 * fuzz_mapping.c: the mapping file parser (engine/load/mapping.c) on arbitrary bytes, then
 * the field of a few headers and positions through the parsed mapping.
 */
#include "fuzz_util.h"
#include "mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rz_mapping *m = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz_mapping_parse((const char *)data, size, &m, &err) != RZ_OK)
        return 0;
    static const char *headers[] = {"Прізвище", "surname", "ПІБ", "Дата народження", "id", ""};
    for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
        (void)rz__mapping_field(m, headers[i], i);
        (void)rz__mapping_names(m, headers[i]);
    }
    for (size_t i = 0; i < m->ncolumns; i++)
        (void)rz__mapping_field(m, m->columns[i].header ? m->columns[i].header : "", i);
    rz_mapping_free(m);
    return 0;
}
