/*
 * mapping.c: field names, automatic detection of column headers in Ukrainian, Russian and
 * English, and mapping files (JSON, read with jansson).
 */
#include "internal.h"
#include "mapping.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const FIELD_NAMES[RZ__FIELD_COUNT] = {"raw",
                                                         "id",
                                                         "surname",
                                                         "given_name",
                                                         "patronymic",
                                                         "full_name",
                                                         "alias",
                                                         "sex",
                                                         "birth_date",
                                                         "age",
                                                         "age_date",
                                                         "birth_place",
                                                         "last_seen_date",
                                                         "last_seen_place",
                                                         "found_date",
                                                         "found_place",
                                                         "unzr",
                                                         "rnokpp",
                                                         "passport",
                                                         "military_id",
                                                         "description",
                                                         "other_id"};

const char *rz_field_name(rz_field field)
{
    return (size_t)field < RZ__FIELD_COUNT ? FIELD_NAMES[field] : "raw";
}

rz_status rz_field_parse(const char *name, rz_field *out)
{
    if (name == NULL)
        return RZ_EINVAL;
    if (strcmp(name, "ignore") == 0) {
        *out = RZ_FIELD_RAW;
        return RZ_OK;
    }
    for (size_t i = 0; i < RZ__FIELD_COUNT; i++)
        if (strcmp(name, FIELD_NAMES[i]) == 0) {
            *out = (rz_field)i;
            return RZ_OK;
        }
    return RZ_EINVAL;
}

struct synonym {
    const char *header; /* folded with rz__fold(words = true) before comparing */
    rz_field field;
};

/* Headers seen in agencies' exports. Plain snake_case names come from FIELD_NAMES too. */
static const struct synonym SYNONYMS[] = {
    /* record id */
    {"id", RZ_FIELD_ID},
    {"record id", RZ_FIELD_ID},
    {"source record id", RZ_FIELD_ID},
    {"case id", RZ_FIELD_ID},
    {"case number", RZ_FIELD_ID},
    {"case no", RZ_FIELD_ID},
    {"no", RZ_FIELD_ID},
    {"№", RZ_FIELD_ID},
    {"№ з/п", RZ_FIELD_ID},
    {"№ п/п", RZ_FIELD_ID},
    {"номер", RZ_FIELD_ID},
    {"номер запису", RZ_FIELD_ID},
    {"номер справи", RZ_FIELD_ID},
    {"№ справи", RZ_FIELD_ID},
    {"№ запису", RZ_FIELD_ID},
    {"номер записи", RZ_FIELD_ID},
    {"номер дела", RZ_FIELD_ID},
    {"№ дела", RZ_FIELD_ID},
    {"ід", RZ_FIELD_ID},
    {"ид", RZ_FIELD_ID},
    {"код запису", RZ_FIELD_ID},
    {"реєстраційний номер", RZ_FIELD_ID},
    {"регистрационный номер", RZ_FIELD_ID},
    /* names */
    {"прізвище", RZ_FIELD_SURNAME},
    {"фамилия", RZ_FIELD_SURNAME},
    {"surname", RZ_FIELD_SURNAME},
    {"last name", RZ_FIELD_SURNAME},
    {"lastname", RZ_FIELD_SURNAME},
    {"family name", RZ_FIELD_SURNAME},
    {"ім'я", RZ_FIELD_GIVEN},
    {"імя", RZ_FIELD_GIVEN},
    {"власне ім'я", RZ_FIELD_GIVEN},
    {"имя", RZ_FIELD_GIVEN},
    {"given name", RZ_FIELD_GIVEN},
    {"first name", RZ_FIELD_GIVEN},
    {"firstname", RZ_FIELD_GIVEN},
    {"forename", RZ_FIELD_GIVEN},
    {"по батькові", RZ_FIELD_PATRONYMIC},
    {"по батькові (за наявності)", RZ_FIELD_PATRONYMIC},
    {"побатькові", RZ_FIELD_PATRONYMIC},
    {"отчество", RZ_FIELD_PATRONYMIC},
    {"patronymic", RZ_FIELD_PATRONYMIC},
    {"middle name", RZ_FIELD_PATRONYMIC},
    {"father's name", RZ_FIELD_PATRONYMIC},
    {"піб", RZ_FIELD_FULL_NAME},
    {"п.і.б.", RZ_FIELD_FULL_NAME},
    {"прізвище ім'я по батькові", RZ_FIELD_FULL_NAME},
    {"прізвище, ім'я, по батькові", RZ_FIELD_FULL_NAME},
    {"прізвище та ім'я", RZ_FIELD_FULL_NAME},
    {"фио", RZ_FIELD_FULL_NAME},
    {"ф.и.о.", RZ_FIELD_FULL_NAME},
    {"фамилия имя отчество", RZ_FIELD_FULL_NAME},
    {"фамилия, имя, отчество", RZ_FIELD_FULL_NAME},
    {"фамилия и имя", RZ_FIELD_FULL_NAME},
    {"full name", RZ_FIELD_FULL_NAME},
    {"fullname", RZ_FIELD_FULL_NAME},
    {"name", RZ_FIELD_FULL_NAME},
    {"person", RZ_FIELD_FULL_NAME},
    {"name (as written)", RZ_FIELD_FULL_NAME},
    {"ім'я та прізвище", RZ_FIELD_FULL_NAME},
    {"особа", RZ_FIELD_FULL_NAME},
    {"aliases", RZ_FIELD_ALIAS},
    {"other names", RZ_FIELD_ALIAS},
    {"also known as", RZ_FIELD_ALIAS},
    {"aka", RZ_FIELD_ALIAS},
    {"інші імена", RZ_FIELD_ALIAS},
    {"інші імена/прізвища", RZ_FIELD_ALIAS},
    {"псевдонім", RZ_FIELD_ALIAS},
    {"дівоче прізвище", RZ_FIELD_ALIAS},
    {"другие имена", RZ_FIELD_ALIAS},
    {"девичья фамилия", RZ_FIELD_ALIAS},
    {"name on documents", RZ_FIELD_ALIAS},
    {"ім'я з документів", RZ_FIELD_ALIAS},
    {"піб з документів", RZ_FIELD_ALIAS},
    {"документи при тілі (піб)", RZ_FIELD_ALIAS},
    /* sex */
    {"стать", RZ_FIELD_SEX},
    {"пол", RZ_FIELD_SEX},
    {"sex", RZ_FIELD_SEX},
    {"gender", RZ_FIELD_SEX},
    /* birth */
    {"дата народження", RZ_FIELD_BIRTH_DATE},
    {"д.н.", RZ_FIELD_BIRTH_DATE},
    {"д/н", RZ_FIELD_BIRTH_DATE},
    {"рік народження", RZ_FIELD_BIRTH_DATE},
    {"р.н.", RZ_FIELD_BIRTH_DATE},
    {"народився", RZ_FIELD_BIRTH_DATE},
    {"дата рождения", RZ_FIELD_BIRTH_DATE},
    {"д.р.", RZ_FIELD_BIRTH_DATE},
    {"год рождения", RZ_FIELD_BIRTH_DATE},
    {"г.р.", RZ_FIELD_BIRTH_DATE},
    {"date of birth", RZ_FIELD_BIRTH_DATE},
    {"birth date", RZ_FIELD_BIRTH_DATE},
    {"birthdate", RZ_FIELD_BIRTH_DATE},
    {"dob", RZ_FIELD_BIRTH_DATE},
    {"d.o.b.", RZ_FIELD_BIRTH_DATE},
    {"born", RZ_FIELD_BIRTH_DATE},
    {"year of birth", RZ_FIELD_BIRTH_DATE},
    {"birth year", RZ_FIELD_BIRTH_DATE},
    {"вік", RZ_FIELD_AGE},
    {"орієнтовний вік", RZ_FIELD_AGE},
    {"приблизний вік", RZ_FIELD_AGE},
    {"вік (років)", RZ_FIELD_AGE},
    {"возраст", RZ_FIELD_AGE},
    {"примерный возраст", RZ_FIELD_AGE},
    {"age", RZ_FIELD_AGE},
    {"estimated age", RZ_FIELD_AGE},
    {"age range", RZ_FIELD_AGE},
    {"age estimate", RZ_FIELD_AGE},
    {"дата оцінки віку", RZ_FIELD_AGE_DATE},
    {"age reference date", RZ_FIELD_AGE_DATE},
    {"age as of", RZ_FIELD_AGE_DATE},
    {"місце народження", RZ_FIELD_BIRTH_PLACE},
    {"место рождения", RZ_FIELD_BIRTH_PLACE},
    {"place of birth", RZ_FIELD_BIRTH_PLACE},
    {"birth place", RZ_FIELD_BIRTH_PLACE},
    {"birthplace", RZ_FIELD_BIRTH_PLACE},
    {"pob", RZ_FIELD_BIRTH_PLACE},
    {"place", RZ_FIELD_BIRTH_PLACE},
    /* last seen */
    {"дата зникнення", RZ_FIELD_LAST_SEEN_DATE},
    {"дата зникнення безвісти", RZ_FIELD_LAST_SEEN_DATE},
    {"дата останнього контакту", RZ_FIELD_LAST_SEEN_DATE},
    {"зник", RZ_FIELD_LAST_SEEN_DATE},
    {"зник(ла)", RZ_FIELD_LAST_SEEN_DATE},
    {"дата исчезновения", RZ_FIELD_LAST_SEEN_DATE},
    {"дата пропажи", RZ_FIELD_LAST_SEEN_DATE},
    {"пропал", RZ_FIELD_LAST_SEEN_DATE},
    {"last seen", RZ_FIELD_LAST_SEEN_DATE},
    {"last seen date", RZ_FIELD_LAST_SEEN_DATE},
    {"date last seen", RZ_FIELD_LAST_SEEN_DATE},
    {"missing since", RZ_FIELD_LAST_SEEN_DATE},
    {"date missing", RZ_FIELD_LAST_SEEN_DATE},
    {"місце зникнення", RZ_FIELD_LAST_SEEN_PLACE},
    {"останнє місце перебування", RZ_FIELD_LAST_SEEN_PLACE},
    {"місце останнього перебування", RZ_FIELD_LAST_SEEN_PLACE},
    {"место исчезновения", RZ_FIELD_LAST_SEEN_PLACE},
    {"место пропажи", RZ_FIELD_LAST_SEEN_PLACE},
    {"последнее место пребывания", RZ_FIELD_LAST_SEEN_PLACE},
    {"last seen place", RZ_FIELD_LAST_SEEN_PLACE},
    {"place last seen", RZ_FIELD_LAST_SEEN_PLACE},
    {"last known location", RZ_FIELD_LAST_SEEN_PLACE},
    /* found */
    {"дата виявлення", RZ_FIELD_FOUND_DATE},
    {"дата знаходження", RZ_FIELD_FOUND_DATE},
    {"дата обнаружения", RZ_FIELD_FOUND_DATE},
    {"date found", RZ_FIELD_FOUND_DATE},
    {"found date", RZ_FIELD_FOUND_DATE},
    {"found on", RZ_FIELD_FOUND_DATE},
    {"date of recovery", RZ_FIELD_FOUND_DATE},
    {"місце виявлення", RZ_FIELD_FOUND_PLACE},
    {"місце знаходження", RZ_FIELD_FOUND_PLACE},
    {"место обнаружения", RZ_FIELD_FOUND_PLACE},
    {"place found", RZ_FIELD_FOUND_PLACE},
    {"found place", RZ_FIELD_FOUND_PLACE},
    {"location found", RZ_FIELD_FOUND_PLACE},
    {"found at", RZ_FIELD_FOUND_PLACE},
    {"place of recovery", RZ_FIELD_FOUND_PLACE},
    /* identifiers */
    {"унзр", RZ_FIELD_UNZR},
    {"запис № (унзр)", RZ_FIELD_UNZR},
    {"унзр (за наявності)", RZ_FIELD_UNZR},
    {"рнокпп", RZ_FIELD_RNOKPP},
    {"рнокпп (за наявності)", RZ_FIELD_RNOKPP},
    {"іпн", RZ_FIELD_RNOKPP},
    {"ідентифікаційний код", RZ_FIELD_RNOKPP},
    {"ідентифікаційний номер", RZ_FIELD_RNOKPP},
    {"инн", RZ_FIELD_RNOKPP},
    {"идентификационный код", RZ_FIELD_RNOKPP},
    {"tax id", RZ_FIELD_RNOKPP},
    {"tax number", RZ_FIELD_RNOKPP},
    {"taxpayer number", RZ_FIELD_RNOKPP},
    {"ipn", RZ_FIELD_RNOKPP},
    {"паспорт", RZ_FIELD_PASSPORT},
    {"номер паспорта", RZ_FIELD_PASSPORT},
    {"серія та номер паспорта", RZ_FIELD_PASSPORT},
    {"серія і номер паспорта", RZ_FIELD_PASSPORT},
    {"серия и номер паспорта", RZ_FIELD_PASSPORT},
    {"паспорт (серія, номер)", RZ_FIELD_PASSPORT},
    {"паспорт (серия, номер)", RZ_FIELD_PASSPORT},
    {"passport", RZ_FIELD_PASSPORT},
    {"passport number", RZ_FIELD_PASSPORT},
    {"passport no", RZ_FIELD_PASSPORT},
    {"військовий квиток", RZ_FIELD_MILITARY_ID},
    {"номер військового квитка", RZ_FIELD_MILITARY_ID},
    {"особовий номер", RZ_FIELD_MILITARY_ID},
    {"жетон", RZ_FIELD_MILITARY_ID},
    {"военный билет", RZ_FIELD_MILITARY_ID},
    {"личный номер", RZ_FIELD_MILITARY_ID},
    {"military id", RZ_FIELD_MILITARY_ID},
    {"service number", RZ_FIELD_MILITARY_ID},
    /* description */
    {"опис", RZ_FIELD_DESCRIPTION},
    {"прикмети", RZ_FIELD_DESCRIPTION},
    {"особливі прикмети", RZ_FIELD_DESCRIPTION},
    {"примітка", RZ_FIELD_DESCRIPTION},
    {"примітки", RZ_FIELD_DESCRIPTION},
    {"описание", RZ_FIELD_DESCRIPTION},
    {"приметы", RZ_FIELD_DESCRIPTION},
    {"особые приметы", RZ_FIELD_DESCRIPTION},
    {"примечание", RZ_FIELD_DESCRIPTION},
    {"примечания", RZ_FIELD_DESCRIPTION},
    {"description", RZ_FIELD_DESCRIPTION},
    {"notes", RZ_FIELD_DESCRIPTION},
    {"note", RZ_FIELD_DESCRIPTION},
    {"remarks", RZ_FIELD_DESCRIPTION},
    {"comments", RZ_FIELD_DESCRIPTION},
    {"distinguishing marks", RZ_FIELD_DESCRIPTION},
    /* snake_case spellings that differ from the field names */
    {"first_name", RZ_FIELD_GIVEN},
    {"last_name", RZ_FIELD_SURNAME},
    {"given", RZ_FIELD_GIVEN},
    {"date_of_birth", RZ_FIELD_BIRTH_DATE},
    {"record_id", RZ_FIELD_ID},
    {"source_record_id", RZ_FIELD_ID},
    {"military_id", RZ_FIELD_MILITARY_ID},
};

rz_field rz_field_detect(const char *header)
{
    if (header == NULL)
        return RZ_FIELD_RAW;
    char h[512], s[512];
    if (!rz__fold(header, strlen(header), h, sizeof h, true) || h[0] == '\0')
        return RZ_FIELD_RAW;
    for (size_t i = 1; i < RZ__FIELD_COUNT; i++) {
        rz__fold(FIELD_NAMES[i], strlen(FIELD_NAMES[i]), s, sizeof s, true);
        if (strcmp(h, s) == 0)
            return (rz_field)i;
    }
    for (size_t i = 0; i < COUNT(SYNONYMS); i++) {
        rz__fold(SYNONYMS[i].header, strlen(SYNONYMS[i].header), s, sizeof s, true);
        if (strcmp(h, s) == 0)
            return SYNONYMS[i].field;
    }
    /* "Стать (за СМЕ)", "Вік (років)": a known header with a remark in brackets */
    const char *open = strchr(header, '(');
    if (open != NULL && open > header) {
        size_t n = (size_t)(open - header);
        char *bare = malloc(n + 1);
        if (bare == NULL)
            return RZ_FIELD_RAW;
        memcpy(bare, header, n);
        bare[n] = '\0';
        rz_field f = strchr(bare, '(') ? RZ_FIELD_RAW : rz_field_detect(bare);
        free(bare);
        return f;
    }
    return RZ_FIELD_RAW;
}

static const char *const FORMATS[] = {"auto", "csv", "tsv", "jsonl"};

const char *rz_load_format_name(rz_load_format f)
{
    return (size_t)f < COUNT(FORMATS) ? FORMATS[f] : "auto";
}

rz_status rz_load_format_parse(const char *text, rz_load_format *out)
{
    for (size_t i = 0; text && i < COUNT(FORMATS); i++)
        if (strcmp(text, FORMATS[i]) == 0) {
            *out = (rz_load_format)i;
            return RZ_OK;
        }
    if (text && strcmp(text, "ndjson") == 0) {
        *out = RZ_FORMAT_JSONL;
        return RZ_OK;
    }
    return RZ_EINVAL;
}

void rz_mapping_free(rz_mapping *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->ncolumns; i++)
        free(m->columns[i].header);
    free(m->columns);
    free(m->json);
    free(m);
}

static rz_status add_column(rz_mapping *m, const char *header, const char *field, rz_error *err)
{
    rz_field f;
    if (rz_field_parse(field, &f) != RZ_OK)
        return rz_error_set(err, RZ_EPARSE,
                            "mapping: column '%s' maps to unknown field '%s' (fields: id, "
                            "surname, given_name, patronymic, full_name, alias, sex, birth_date, "
                            "age, age_date, birth_place, last_seen_date, last_seen_place, "
                            "found_date, found_place, unzr, rnokpp, passport, military_id, "
                            "description, other_id, raw)",
                            header, field);
    struct rz__mapped *c = realloc(m->columns, (m->ncolumns + 1) * sizeof *c);
    if (c == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading a mapping");
    m->columns = c;
    c[m->ncolumns].header = strdup(header);
    if (c[m->ncolumns].header == NULL)
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading a mapping");
    c[m->ncolumns].field = f;
    m->ncolumns++;
    return RZ_OK;
}

static rz_status read_columns(rz_mapping *m, json_t *cols, rz_error *err)
{
    if (json_is_object(cols)) {
        const char *key;
        json_t *v;
        json_object_foreach(cols, key, v)
        {
            if (!json_is_string(v))
                return rz_error_set(err, RZ_EPARSE,
                                    "mapping: column '%s' must map to a field name (a string)",
                                    key);
            rz_status st = add_column(m, key, json_string_value(v), err);
            if (st != RZ_OK)
                return st;
        }
        return RZ_OK;
    }
    if (json_is_array(cols)) {
        if (m->header)
            return rz_error_set(err, RZ_EPARSE,
                                "mapping: \"columns\" as a list needs \"header\": false");
        size_t i;
        json_t *v;
        json_array_foreach(cols, i, v)
        {
            if (!json_is_string(v))
                return rz_error_set(err, RZ_EPARSE, "mapping: column %zu must be a field name",
                                    i + 1);
            char name[32];
            snprintf(name, sizeof name, "column_%zu", i + 1);
            rz_status st = add_column(m, name, json_string_value(v), err);
            if (st != RZ_OK)
                return st;
        }
        return RZ_OK;
    }
    return rz_error_set(err, RZ_EPARSE, "mapping: \"columns\" must be an object or a list");
}

static rz_status read_options(rz_mapping *m, json_t *root, rz_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "format") == 0) {
            if (!json_is_string(v) || rz_load_format_parse(json_string_value(v), &m->format))
                return rz_error_set(err, RZ_EPARSE, "mapping: \"format\" is csv, tsv or jsonl");
        } else if (strcmp(key, "delimiter") == 0) {
            const char *d = json_is_string(v) ? json_string_value(v) : NULL;
            /* a line break would join every line of the file into one row, a quote would open a
             * field, and a byte over 0x7f is half of a UTF-8 letter */
            if (d == NULL || (strlen(d) != 1 && strcmp(d, "\\t") != 0) || d[0] == '"' ||
                d[0] == '\n' || d[0] == '\r' || (unsigned char)d[0] > 0x7f)
                return rz_error_set(err, RZ_EPARSE,
                                    "mapping: \"delimiter\" is one character such as \";\" "
                                    "(not a quote or a line break)");
            m->delimiter = strcmp(d, "\\t") == 0 ? '\t' : d[0];
        } else if (strcmp(key, "header") == 0) {
            if (!json_is_boolean(v))
                return rz_error_set(err, RZ_EPARSE, "mapping: \"header\" is true or false");
            m->header = json_is_true(v);
        } else if (strcmp(key, "auto_detect") == 0) {
            if (!json_is_boolean(v))
                return rz_error_set(err, RZ_EPARSE, "mapping: \"auto_detect\" is true or false");
            m->auto_detect = json_is_true(v);
        } else if (strcmp(key, "date_order") == 0) {
            const char *o = json_is_string(v) ? json_string_value(v) : "";
            if (strcmp(o, "dmy") == 0)
                m->order = RZ_ORDER_DMY;
            else if (strcmp(o, "mdy") == 0)
                m->order = RZ_ORDER_MDY;
            else if (strcmp(o, "ymd") == 0)
                m->order = RZ_ORDER_YMD;
            else
                return rz_error_set(err, RZ_EPARSE, "mapping: \"date_order\" is dmy, mdy or ymd");
            m->has_order = true;
        } else if (strcmp(key, "age_reference") == 0) {
            rz_date_range r;
            rz_error inner;
            if (!json_is_string(v) ||
                rz_date_parse(json_string_value(v), NULL, &r, &inner) != RZ_OK ||
                r.precision != RZ_PREC_DAY)
                return rz_error_set(err, RZ_EPARSE,
                                    "mapping: \"age_reference\" is a day such as \"2024-05-01\"");
            m->age_reference = r.from;
            m->has_age_reference = true;
        } else if (strcmp(key, "columns") != 0 && strcmp(key, "comment") != 0 &&
                   strcmp(key, "description") != 0 && strcmp(key, "source") != 0) {
            return rz_error_set(err, RZ_EPARSE,
                                "mapping: unknown key \"%s\" (known: format, delimiter, header, "
                                "auto_detect, date_order, age_reference, columns, comment)",
                                key);
        }
    }
    return RZ_OK;
}

rz_status rz_mapping_parse(const char *json, size_t len, rz_mapping **out, rz_error *err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return rz_error_set(err, RZ_EPARSE, "mapping is not valid JSON: %s (line %d, column %d)",
                            jerr.text, jerr.line, jerr.column);
    rz_status st = RZ_OK;
    rz_mapping *m = calloc(1, sizeof *m);
    if (m == NULL) {
        st = rz_error_set(err, RZ_ENOMEM, "out of memory reading a mapping");
        goto done;
    }
    m->header = true;
    m->auto_detect = true;
    if (!json_is_object(root)) {
        st = rz_error_set(err, RZ_EPARSE, "mapping must be a JSON object");
        goto done;
    }
    st = read_options(m, root, err);
    if (st == RZ_OK && json_object_get(root, "columns") != NULL)
        st = read_columns(m, json_object_get(root, "columns"), err);
    if (st == RZ_OK && !m->header && m->ncolumns == 0)
        st = rz_error_set(err, RZ_EPARSE,
                          "mapping: a file without a header needs \"columns\" as a list");
    if (st == RZ_OK)
        m->json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (st == RZ_OK && m->json == NULL)
        st = rz_error_set(err, RZ_ENOMEM, "out of memory reading a mapping");
done:
    json_decref(root);
    if (st != RZ_OK) {
        rz_mapping_free(m);
        return st;
    }
    *out = m;
    return RZ_OK;
}

rz_status rz_mapping_load(const char *path, rz_mapping **out, rz_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return rz_error_set(err, RZ_EIO, "cannot read mapping %s: %s", path, strerror(errno));
    char *buf = malloc(RZ_MAPPING_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return rz_error_set(err, RZ_ENOMEM, "out of memory reading %s", path);
    }
    size_t n = fread(buf, 1, RZ_MAPPING_FILE_MAX + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    rz_status st;
    if (failed)
        st = rz_error_set(err, RZ_EIO, "cannot read mapping %s", path);
    else if (n > RZ_MAPPING_FILE_MAX)
        st = rz_error_set(err, RZ_ETOOLONG, "mapping %s is larger than 1 MiB", path);
    else {
        st = rz_mapping_parse(buf, n, out, err);
        if (st != RZ_OK) {
            char inner[RZ_ERROR_MESSAGE_MAX];
            snprintf(inner, sizeof inner, "%s", err ? err->message : "");
            rz_error_set(err, st, "%s: %s", path, inner);
        }
    }
    free(buf);
    return st;
}

rz_field rz__mapping_field(const rz_mapping *m, const char *header, size_t position)
{
    if (m != NULL) {
        if (!m->header) {
            return position < m->ncolumns ? m->columns[position].field : RZ_FIELD_RAW;
        }
        for (size_t i = 0; i < m->ncolumns; i++)
            if (strcmp(m->columns[i].header, header) == 0)
                return m->columns[i].field;
        /* the same header after folding (case, spaces) */
        char a[512], b[512];
        if (rz__fold(header, strlen(header), a, sizeof a, true))
            for (size_t i = 0; i < m->ncolumns; i++)
                if (rz__fold(m->columns[i].header, strlen(m->columns[i].header), b, sizeof b,
                             true) &&
                    strcmp(a, b) == 0)
                    return m->columns[i].field;
        if (!m->auto_detect)
            return RZ_FIELD_RAW;
    }
    return rz_field_detect(header);
}

bool rz__mapping_names(const rz_mapping *m, const char *header)
{
    for (size_t i = 0; m && i < m->ncolumns; i++)
        if (strcmp(m->columns[i].header, header) == 0)
            return true;
    return false;
}
