-- 0020_load_checks.sql: the same rules on loaded text, checked without counting characters.
--
-- length() of a UTF-8 text walks it character by character, and ltrim() with a set of
-- characters compares each character of the text with each of the set's (0013's rule for a
-- key's kind). A load checks these for every record and for each of its about nine keys: perf of
-- a loading backend put 7% of its time in the checks, most of it in person_key's two.
-- Each rule below accepts and refuses exactly the same values as before:
-- - a text of at most N bytes has at most N characters (octet_length() is read from the value's
--   header), so length() runs only for a text longer than N bytes; a text has at least one
--   character exactly when it has at least one byte;
-- - a key kind the names engine writes (include/rozshuk/names.h) is 1 to 32 characters of a-z
--   and '_'; any other kind is still checked character by character.
SET search_path = rozshuk, public;

ALTER TABLE person_key
    DROP CONSTRAINT person_key_kind_check,
    ADD CONSTRAINT person_key_kind_check CHECK (
        kind IN ('sur_skel', 'sur_fold', 'sur_dm', 'given_canon', 'given_skel', 'given_dm',
                 'patr_canon', 'word_skel')
        OR (length(kind) BETWEEN 1 AND 32 AND ltrim(kind, 'abcdefghijklmnopqrstuvwxyz_') = '')),
    DROP CONSTRAINT person_key_key_check,
    ADD CONSTRAINT person_key_key_check CHECK (
        octet_length(key) >= 1 AND (octet_length(key) <= 200 OR length(key) <= 200));

ALTER TABLE person_name
    DROP CONSTRAINT person_name_written_check,
    ADD CONSTRAINT person_name_written_check CHECK (
        octet_length(written) >= 1 AND (octet_length(written) <= 1000 OR length(written) <= 1000)),
    DROP CONSTRAINT person_name_surname_check,
    ADD CONSTRAINT person_name_surname_check CHECK (
        octet_length(surname) <= 300 OR length(surname) <= 300),
    DROP CONSTRAINT person_name_given_check,
    ADD CONSTRAINT person_name_given_check CHECK (
        octet_length(given) <= 300 OR length(given) <= 300),
    DROP CONSTRAINT person_name_patronymic_check,
    ADD CONSTRAINT person_name_patronymic_check CHECK (
        octet_length(patronymic) <= 300 OR length(patronymic) <= 300);

ALTER TABLE person
    DROP CONSTRAINT person_source_record_id_check,
    ADD CONSTRAINT person_source_record_id_check CHECK (
        octet_length(source_record_id) >= 1
        AND (octet_length(source_record_id) <= 200 OR length(source_record_id) <= 200)),
    DROP CONSTRAINT person_birth_place_check,
    ADD CONSTRAINT person_birth_place_check CHECK (
        octet_length(birth_place) <= 500 OR length(birth_place) <= 500),
    DROP CONSTRAINT person_last_seen_place_check,
    ADD CONSTRAINT person_last_seen_place_check CHECK (
        octet_length(last_seen_place) <= 500 OR length(last_seen_place) <= 500),
    DROP CONSTRAINT person_found_place_check,
    ADD CONSTRAINT person_found_place_check CHECK (
        octet_length(found_place) <= 500 OR length(found_place) <= 500),
    DROP CONSTRAINT person_description_check,
    ADD CONSTRAINT person_description_check CHECK (
        octet_length(description) <= 10000 OR length(description) <= 10000),
    DROP CONSTRAINT person_load_notes_check,
    ADD CONSTRAINT person_load_notes_check CHECK (
        octet_length(load_notes) <= 10000 OR length(load_notes) <= 10000);
