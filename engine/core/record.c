/* record.c: names of record enums and the proleptic Gregorian day arithmetic. */
#include "rozshuk/record.h"

#include <string.h>

static const char *const KINDS[] = {"missing", "remains", "living", "list"};
static const char *const PRECISIONS[] = {NULL, "day", "month", "year", "decade", "range", "age"};
static const char *const ID_KINDS[] = {"unzr", "rnokpp", "passport", "military_id", "other"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *rz_kind_name(rz_kind kind)
{
    return (size_t)kind < COUNT(KINDS) ? KINDS[kind] : "unknown";
}

rz_status rz_kind_parse(const char *text, rz_kind *out)
{
    for (size_t i = 0; text && i < COUNT(KINDS); i++)
        if (strcmp(text, KINDS[i]) == 0) {
            *out = (rz_kind)i;
            return RZ_OK;
        }
    return RZ_EINVAL;
}

const char *rz_date_precision_name(rz_date_precision p)
{
    return (size_t)p < COUNT(PRECISIONS) ? PRECISIONS[p] : NULL;
}

rz_status rz_date_precision_parse(const char *text, rz_date_precision *out)
{
    for (size_t i = 1; text && i < COUNT(PRECISIONS); i++)
        if (strcmp(text, PRECISIONS[i]) == 0) {
            *out = (rz_date_precision)i;
            return RZ_OK;
        }
    return RZ_EINVAL;
}

const char *rz_id_kind_name(rz_id_kind kind)
{
    return (size_t)kind < COUNT(ID_KINDS) ? ID_KINDS[kind] : "other";
}

rz_status rz_id_kind_parse(const char *text, rz_id_kind *out)
{
    for (size_t i = 0; text && i < COUNT(ID_KINDS); i++)
        if (strcmp(text, ID_KINDS[i]) == 0) {
            *out = (rz_id_kind)i;
            return RZ_OK;
        }
    return RZ_EINVAL;
}

/* Howard Hinnant's days_from_civil / civil_from_days: exact for any year, O(1). */
int32_t rz_days_from_ymd(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void rz_days_to_ymd(int32_t days, int *year, int *month, int *day)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

bool rz_date_valid(int year, int month, int day)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999)
        return false;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = mdays[month - 1] + (month == 2 && leap);
    return day <= max;
}

char *rz_days_format(int32_t days, char *buf)
{
    int y, m, d;
    rz_days_to_ymd(days, &y, &m, &d);
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
    buf[0] = (char)('0' + uy / 1000);
    buf[1] = (char)('0' + uy / 100 % 10);
    buf[2] = (char)('0' + uy / 10 % 10);
    buf[3] = (char)('0' + uy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + um / 10);
    buf[6] = (char)('0' + um % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + ud / 10);
    buf[9] = (char)('0' + ud % 10);
    buf[10] = '\0';
    return buf;
}
