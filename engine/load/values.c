/* values.c: sex words and letters, identifiers (UNZR, RNOKPP, documents) with checksums. */
#include "internal.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Compared after folding (lower case, dots and spaces to one space, trimmed). */
static const char *const MALE[] = {"ч",       "чол",     "чоловіча", "чоловічий", "чоловік",
                                   "м",       "муж",     "мужской",  "мужчина",   "мужск",
                                   "m",       "male",    "man",      "men",       "чол стать",
                                   "хлопчик", "мальчик", "boy",      "1"};
static const char *const FEMALE[] = {"ж",       "жін",     "жіноча",   "жіночий", "жінка",  "жен",
                                     "женский", "женщина", "женск",    "f",       "female", "w",
                                     "woman",   "women",   "дівчинка", "девочка", "girl",   "2"};
static const char *const UNKNOWN[] = {
    "",         "?",         "-",          "н/д",           "нд",
    "невідомо", "не відомо", "неизвестно", "не установлен", "не встановлено",
    "unknown",  "u",         "x",          "n/a",           "na",
    "0"};

static bool in(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

rz_status rz_sex_parse(const char *text, rz_sex *out, rz_error *err)
{
    *out = RZ_SEX_UNKNOWN;
    if (text == NULL)
        return rz_error_set(err, RZ_EEMPTY, "no sex given");
    size_t len = strlen(text);
    if (len > 64)
        return rz_error_set(err, RZ_ETOOLONG, "sex value longer than 64 bytes");
    if (rz__utf8_check(text, len) != len)
        return rz_error_set(err, RZ_EUTF8, "sex value is not valid UTF-8");
    char buf[256];
    rz__fold(text, len, buf, sizeof buf, true);
    if (in(buf, UNKNOWN, COUNT(UNKNOWN)) || strcmp(buf, "н д") == 0)
        return rz_error_set(err, RZ_EEMPTY, "sex not known");
    if (in(buf, MALE, COUNT(MALE))) {
        *out = RZ_SEX_MALE;
        return RZ_OK;
    }
    if (in(buf, FEMALE, COUNT(FEMALE))) {
        *out = RZ_SEX_FEMALE;
        return RZ_OK;
    }
    return rz_error_set(err, RZ_EPARSE, "'%s' is not a sex (write ч/ж, м/ж, m/f)", text);
}

/* Keeps digits only, dropping spaces and dashes; false if anything else is there. */
static bool digits_only(const char *text, char *out, size_t cap, size_t *n)
{
    size_t k = 0;
    for (const char *p = text; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (k + 1 >= cap)
                return false;
            out[k++] = *p;
        } else if (*p != ' ' && *p != '-' && *p != '\t') {
            return false;
        }
    }
    out[k] = '\0';
    *n = k;
    return true;
}

static int rnokpp_check(const char *d)
{
    static const int w[9] = {-1, 5, 7, 9, 4, 6, 10, 5, 7};
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += w[i] * (d[i] - '0');
    int r = ((sum % 11) + 11) % 11;
    return r % 10;
}

static int unzr_check(const char *d12)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += w[i % 3] * (d12[i] - '0');
    return sum % 10;
}

/* Upper case for ASCII and Cyrillic, dropping spaces, dashes, dots and "№". */
static rz_status document_number(const char *text, rz_identifier *out, rz_error *err)
{
    size_t len = strlen(text), o = 0;
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c == ' ' || c == '-' || c == '.' || c == '\t' || c == '/') {
            i++;
            continue;
        }
        if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x84 && p[i + 2] == 0x96) { /* № */
            i += 3;
            continue;
        }
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > len - i)
            n = len - i;
        if (o + n + 1 > sizeof out->value)
            return rz_error_set(err, RZ_ETOOLONG, "identifier longer than %d bytes",
                                RZ_ID_VALUE_MAX - 1);
        memcpy(out->value + o, text + i, n);
        if (n == 1 && c >= 'a' && c <= 'z')
            out->value[o] = (char)(c - 32);
        if (n == 2) {
            unsigned cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
            unsigned up = cp;
            if (cp >= 0x430 && cp <= 0x44F)
                up = cp - 0x20;
            else if (cp >= 0x450 && cp <= 0x45F)
                up = cp - 0x50;
            else if (cp == 0x491)
                up = 0x490;
            out->value[o] = (char)(0xC0 | (up >> 6));
            out->value[o + 1] = (char)(0x80 | (up & 0x3F));
        }
        o += n;
        i += n;
    }
    out->value[o] = '\0';
    if (o == 0)
        return rz_error_set(err, RZ_EEMPTY, "empty identifier");
    out->valid = -1;
    return RZ_OK;
}

rz_status rz_identifier_parse(rz_id_kind kind, const char *text, rz_identifier *out, rz_error *err)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->valid = -1;
    if (text == NULL)
        return rz_error_set(err, RZ_EEMPTY, "empty identifier");
    size_t len = strlen(text);
    if (len > RZ_ID_TEXT_MAX)
        return rz_error_set(err, RZ_ETOOLONG, "identifier longer than %d bytes", RZ_ID_TEXT_MAX);
    if (rz__utf8_check(text, len) != len)
        return rz_error_set(err, RZ_EUTF8, "identifier is not valid UTF-8");
    char d[32];
    size_t n = 0;
    switch (kind) {
    case RZ_ID_RNOKPP:
        if (!digits_only(text, d, sizeof d, &n) || n == 0) {
            if (n == 0 && strspn(text, " \t") == len)
                return rz_error_set(err, RZ_EEMPTY, "empty RNOKPP");
            return rz_error_set(err, RZ_EPARSE, "RNOKPP '%s' must be 10 digits", text);
        }
        if (n != 10)
            return rz_error_set(err, RZ_EPARSE, "RNOKPP '%s' has %zu digits, not 10", text, n);
        memcpy(out->value, d, 11);
        out->valid = rnokpp_check(d) == d[9] - '0';
        return RZ_OK;
    case RZ_ID_UNZR:
        if (!digits_only(text, d, sizeof d, &n) || n == 0) {
            if (n == 0 && strspn(text, " \t") == len)
                return rz_error_set(err, RZ_EEMPTY, "empty UNZR");
            return rz_error_set(err, RZ_EPARSE, "UNZR '%s' must be YYYYMMDD-NNNNC", text);
        }
        if (n != 13)
            return rz_error_set(err, RZ_EPARSE, "UNZR '%s' has %zu digits, not 13", text, n);
        {
            int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
            int m = (d[4] - '0') * 10 + (d[5] - '0');
            int day = (d[6] - '0') * 10 + (d[7] - '0');
            if (!rz_date_valid(y, m, day))
                return rz_error_set(err, RZ_EPARSE,
                                    "UNZR '%s' does not start with a birth date YYYYMMDD", text);
        }
        memcpy(out->value, d, 8);
        out->value[8] = '-';
        memcpy(out->value + 9, d + 8, 5);
        out->value[14] = '\0';
        out->valid = unzr_check(d) == d[12] - '0';
        return RZ_OK;
    case RZ_ID_PASSPORT:
    case RZ_ID_MILITARY:
    case RZ_ID_OTHER:
        return document_number(text, out, err);
    }
    return rz_error_set(err, RZ_EINVAL, "unknown identifier kind");
}

bool rz_rnokpp_info(const char *value, int32_t *birth_day, rz_sex *sex)
{
    if (value == NULL || strlen(value) != 10 || strspn(value, "0123456789") != 10)
        return false;
    int32_t n = 0;
    for (int i = 0; i < 5; i++)
        n = n * 10 + (value[i] - '0');
    /* day 1 is 1900-01-01: the count starts from 1899-12-31 */
    *birth_day = rz_days_from_ymd(1899, 12, 31) + n;
    *sex = ((value[8] - '0') % 2) ? RZ_SEX_MALE : RZ_SEX_FEMALE;
    return true;
}

bool rz_unzr_birth(const char *value, int32_t *birth_day)
{
    if (value == NULL || strlen(value) != 14 || value[8] != '-' || strspn(value, "0123456789") != 8)
        return false;
    int y =
        (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
    int m = (value[4] - '0') * 10 + (value[5] - '0');
    int d = (value[6] - '0') * 10 + (value[7] - '0');
    if (!rz_date_valid(y, m, d))
        return false;
    *birth_day = rz_days_from_ymd(y, m, d);
    return true;
}
