/* test_values.c: sex words and letters, identifiers with their checksums. */
#include <criterion/criterion.h>

#include "rozshuk/load.h"

#include <string.h>

Test(values, sex_in_ukrainian_russian_and_english_words_and_letters)
{
    const char *male[] = {"ч",       "Ч",       "чол.", "чоловіча", "Чоловік", "м",    "М",  "муж.",
                          "мужской", "Мужчина", "m",    "M",        "male",    "Male", "man"};
    const char *female[] = {"ж",       "Ж", "жін.", "жіноча", "Жінка", "жен.", "женский",
                            "Женщина", "f", "F",    "female", "w",     "woman"};
    rz_sex s;
    for (size_t i = 0; i < sizeof male / sizeof male[0]; i++) {
        cr_expect_eq(rz_sex_parse(male[i], &s, NULL), RZ_OK, "'%s'", male[i]);
        cr_expect_eq(s, RZ_SEX_MALE, "'%s'", male[i]);
    }
    for (size_t i = 0; i < sizeof female / sizeof female[0]; i++) {
        cr_expect_eq(rz_sex_parse(female[i], &s, NULL), RZ_OK, "'%s'", female[i]);
        cr_expect_eq(s, RZ_SEX_FEMALE, "'%s'", female[i]);
    }
    cr_expect_eq(rz_sex_parse("", &s, NULL), RZ_EEMPTY);
    cr_expect_eq(rz_sex_parse("невідомо", &s, NULL), RZ_EEMPTY);
    cr_expect_eq(rz_sex_parse("?", &s, NULL), RZ_EEMPTY);
    rz_error err;
    cr_expect_eq(rz_sex_parse("зелений", &s, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "not a sex"));
}

Test(values, rnokpp_checksum_accepts_valid_and_flags_mistyped_numbers)
{
    rz_identifier id;
    /* valid: 1759013776 (a published example), and two made for 12.03.1985 (man) and
     * 01.07.1990 (woman) */
    const char *valid[] = {"1759013776", "3111712316", "3305445624", "3111 712 316"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        cr_assert_eq(rz_identifier_parse(RZ_ID_RNOKPP, valid[i], &id, NULL), RZ_OK, "%s", valid[i]);
        cr_expect_eq(id.valid, 1, "%s should pass its checksum", valid[i]);
    }
    cr_expect_str_eq(id.value, "3111712316", "spaces are removed");
    /* one digit changed, two digits swapped */
    const char *mistyped[] = {"1759013770", "3111712317", "3111721316"};
    for (size_t i = 0; i < sizeof mistyped / sizeof mistyped[0]; i++) {
        cr_assert_eq(rz_identifier_parse(RZ_ID_RNOKPP, mistyped[i], &id, NULL), RZ_OK);
        cr_expect_eq(id.valid, 0, "%s should fail its checksum", mistyped[i]);
    }
    rz_error err;
    cr_expect_eq(rz_identifier_parse(RZ_ID_RNOKPP, "311171231", &id, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "9 digits"), "%s", err.message);
    cr_expect_eq(rz_identifier_parse(RZ_ID_RNOKPP, "31117123AB", &id, &err), RZ_EPARSE);
    cr_expect_eq(rz_identifier_parse(RZ_ID_RNOKPP, "", &id, &err), RZ_EEMPTY);
}

Test(values, rnokpp_tells_birth_date_and_sex)
{
    int32_t day;
    rz_sex sex;
    cr_assert(rz_rnokpp_info("3111712316", &day, &sex));
    char d[11];
    cr_expect_str_eq(rz_days_format(day, d), "1985-03-12");
    cr_expect_eq(sex, RZ_SEX_MALE);
    cr_assert(rz_rnokpp_info("3305445624", &day, &sex));
    cr_expect_str_eq(rz_days_format(day, d), "1990-07-01");
    cr_expect_eq(sex, RZ_SEX_FEMALE);
    /* day 00001 is 1900-01-01 */
    cr_assert(rz_rnokpp_info("0000100000", &day, &sex));
    cr_expect_str_eq(rz_days_format(day, d), "1900-01-01");
    cr_expect_not(rz_rnokpp_info("12345", &day, &sex));
}

Test(values, unzr_is_normalised_and_checked)
{
    rz_identifier id;
    cr_assert_eq(rz_identifier_parse(RZ_ID_UNZR, "19850312-01239", &id, NULL), RZ_OK);
    cr_expect_eq(id.valid, 1);
    cr_expect_str_eq(id.value, "19850312-01239");
    cr_assert_eq(rz_identifier_parse(RZ_ID_UNZR, "1985031201239", &id, NULL), RZ_OK);
    cr_expect_str_eq(id.value, "19850312-01239", "the dash is put back");
    cr_expect_eq(id.valid, 1);
    cr_assert_eq(rz_identifier_parse(RZ_ID_UNZR, "19900701-04562", &id, NULL), RZ_OK);
    cr_expect_eq(id.valid, 1);
    cr_assert_eq(rz_identifier_parse(RZ_ID_UNZR, "19850312-01238", &id, NULL), RZ_OK);
    cr_expect_eq(id.valid, 0, "wrong check digit");
    cr_assert_eq(rz_identifier_parse(RZ_ID_UNZR, "19850312-02139", &id, NULL), RZ_OK);
    cr_expect_eq(id.valid, 0, "swapped digits");
    rz_error err;
    cr_expect_eq(rz_identifier_parse(RZ_ID_UNZR, "19851312-01239", &id, &err), RZ_EPARSE,
                 "month 13");
    cr_expect_eq(rz_identifier_parse(RZ_ID_UNZR, "19850312-0123", &id, &err), RZ_EPARSE);
    int32_t day;
    char d[11];
    cr_assert(rz_unzr_birth("19850312-01239", &day));
    cr_expect_str_eq(rz_days_format(day, d), "1985-03-12");
}

Test(values, documents_are_upper_cased_without_separators)
{
    rz_identifier id;
    cr_assert_eq(rz_identifier_parse(RZ_ID_PASSPORT, "кв 123456", &id, NULL), RZ_OK);
    cr_expect_str_eq(id.value, "КВ123456");
    cr_expect_eq(id.valid, -1);
    cr_assert_eq(rz_identifier_parse(RZ_ID_PASSPORT, "fa-123456", &id, NULL), RZ_OK);
    cr_expect_str_eq(id.value, "FA123456");
    cr_assert_eq(rz_identifier_parse(RZ_ID_MILITARY, "№ АА 004512", &id, NULL), RZ_OK);
    cr_expect_str_eq(id.value, "АА004512");
    cr_expect_eq(rz_identifier_parse(RZ_ID_PASSPORT, " - ", &id, NULL), RZ_EEMPTY);
}

Test(values, headers_are_detected_in_three_languages_and_snake_case)
{
    struct {
        const char *header;
        rz_field field;
    } h[] = {
        {"Прізвище", RZ_FIELD_SURNAME},
        {"ФАМИЛИЯ", RZ_FIELD_SURNAME},
        {"Surname", RZ_FIELD_SURNAME},
        {"last_name", RZ_FIELD_SURNAME},
        {"Ім’я", RZ_FIELD_GIVEN},
        {"Ім'я", RZ_FIELD_GIVEN},
        {"Имя", RZ_FIELD_GIVEN},
        {"given_name", RZ_FIELD_GIVEN},
        {"По батькові", RZ_FIELD_PATRONYMIC},
        {"Отчество", RZ_FIELD_PATRONYMIC},
        {"ПІБ", RZ_FIELD_FULL_NAME},
        {"П.І.Б.", RZ_FIELD_FULL_NAME},
        {"ФИО", RZ_FIELD_FULL_NAME},
        {"Full name", RZ_FIELD_FULL_NAME},
        {"full_name", RZ_FIELD_FULL_NAME},
        {"Дата народження", RZ_FIELD_BIRTH_DATE},
        {"дата рождения", RZ_FIELD_BIRTH_DATE},
        {"date_of_birth", RZ_FIELD_BIRTH_DATE},
        {"birth_date", RZ_FIELD_BIRTH_DATE},
        {"Стать", RZ_FIELD_SEX},
        {"Пол", RZ_FIELD_SEX},
        {"sex", RZ_FIELD_SEX},
        {"id", RZ_FIELD_ID},
        {"№ справи", RZ_FIELD_ID},
        {"place", RZ_FIELD_BIRTH_PLACE},
        {"last_seen_place", RZ_FIELD_LAST_SEEN_PLACE},
        {"Місце зникнення", RZ_FIELD_LAST_SEEN_PLACE},
        {"Дата виявлення", RZ_FIELD_FOUND_DATE},
        {"РНОКПП", RZ_FIELD_RNOKPP},
        {"УНЗР", RZ_FIELD_UNZR},
        {"Особливі прикмети", RZ_FIELD_DESCRIPTION},
        {"Колір очей", RZ_FIELD_RAW},
        {"", RZ_FIELD_RAW},
    };
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
        cr_expect_eq(rz_field_detect(h[i].header), h[i].field, "'%s' detected as %s, not %s",
                     h[i].header, rz_field_name(rz_field_detect(h[i].header)),
                     rz_field_name(h[i].field));
}

Test(values, mapping_files_are_checked)
{
    rz_mapping *m = NULL;
    rz_error err;
    const char *good = "{\"delimiter\": \";\", \"date_order\": \"dmy\", "
                       "\"columns\": {\"Прізвище особи\": \"surname\", \"X\": \"ignore\"}}";
    cr_assert_eq(rz_mapping_parse(good, strlen(good), &m, &err), RZ_OK, "%s", err.message);
    rz_mapping_free(m);
    const char *bad_field = "{\"columns\": {\"A\": \"surnaem\"}}";
    cr_expect_eq(rz_mapping_parse(bad_field, strlen(bad_field), &m, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "surnaem"));
    const char *bad_key = "{\"delimeter\": \";\"}";
    cr_expect_eq(rz_mapping_parse(bad_key, strlen(bad_key), &m, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "delimeter"));
    /* a line break as the delimiter would load a whole file as one oversized row */
    const char *bad_delims[] = {"{\"delimiter\": \"\\n\"}", "{\"delimiter\": \"\\r\"}",
                                "{\"delimiter\": \"\\\"\"}", "{\"delimiter\": \";;\"}"};
    for (size_t i = 0; i < sizeof bad_delims / sizeof bad_delims[0]; i++) {
        cr_expect_eq(rz_mapping_parse(bad_delims[i], strlen(bad_delims[i]), &m, &err), RZ_EPARSE,
                     "%s is refused", bad_delims[i]);
        cr_expect_not_null(strstr(err.message, "delimiter"), "%s", err.message);
        cr_expect_null(m);
    }
    const char *tab = "{\"delimiter\": \"\\\\t\"}";
    cr_expect_eq(rz_mapping_parse(tab, strlen(tab), &m, &err), RZ_OK, "%s", err.message);
    rz_mapping_free(m);
    m = NULL;
    cr_expect_eq(rz_mapping_parse("{", 1, &m, &err), RZ_EPARSE);
    cr_expect_not_null(strstr(err.message, "not valid JSON"));
    cr_expect_null(m);
}
