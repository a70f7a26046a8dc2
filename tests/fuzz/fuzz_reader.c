/*
 * fuzz_reader.c: the streaming readers of engine/load/ (CSV with a sniffed or given
 * delimiter, TSV, JSON Lines) on arbitrary bytes. The first byte picks the format and the
 * delimiter; the rest is the file. Every row must come back with its line, and a bad row
 * with a reason, until RZ_ENOTFOUND.
 */
#include "fuzz_util.h"
#include "reader.h"

#include <stdio.h>
#include <unistd.h>

static char path[64];

/* Rows a one-line-per-row format must give: the lines that are not blank (TSV: after one '\r';
 * JSON Lines: after any '\r' and ' '; a byte-order mark before the first line is not text). */
static size_t expected_rows(const uint8_t *data, size_t size, bool jsonl)
{
    size_t rows = 0;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        data += 3, size -= 3;
    while (size > 0) {
        const uint8_t *nl = memchr(data, '\n', size);
        size_t n = nl ? (size_t)(nl - data) : size, len = n;
        if (jsonl)
            while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == ' '))
                len--;
        else if (len > 0 && data[len - 1] == '\r')
            len--;
        rows += len > 0;
        data += nl ? n + 1 : n;
        size -= nl ? n + 1 : n;
    }
    return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const rz_load_format formats[] = {RZ_FORMAT_CSV, RZ_FORMAT_TSV, RZ_FORMAT_JSONL};
    static const char delims[] = {0, ',', ';', '\t', '|'};
    rz_load_format format = formats[data[0] % 3];
    char delim = format == RZ_FORMAT_CSV ? delims[(data[0] / 3) % 5] : 0;
    data++, size--;
    if (path[0] == '\0')
        snprintf(path, sizeof path, "/tmp/rz-fuzz-reader-%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    rz__reader *r = NULL;
    rz_error err;
    rz_error_clear(&err);
    if (rz__reader_open(path, format, delim, &r, &err) != RZ_OK)
        return 0;
    rz__row *row;
    rz_status st;
    uint64_t last = 0;
    size_t rows = 0;
    while ((st = rz__reader_next(r, &row, &err)) == RZ_OK) {
        rows++;
        if (row->line < last || row->line == 0)
            abort(); /* lines go forward */
        last = row->line;
        for (size_t i = 0; i < row->n; i++) {
            if (row->values[i][row->lens[i]] != '\0')
                abort(); /* values are NUL-terminated */
            if (row->names != NULL && row->names[i] == NULL)
                abort();
        }
        if (row->raw_len > 0 && row->raw == NULL)
            abort();
    }
    if (st != RZ_ENOTFOUND && st != RZ_EIO)
        abort();
    if (st == RZ_ENOTFOUND && format != RZ_FORMAT_CSV &&
        rows != expected_rows(data, size, format == RZ_FORMAT_JSONL))
        abort(); /* a line lost, or one line read as two rows */
    char hex[65];
    if (st == RZ_ENOTFOUND && !rz__reader_sha256(r, hex))
        abort();
    (void)rz__reader_offset(r);
    (void)rz__reader_delimiter(r);
    rz__reader_close(r);
    return 0;
}
