-- 0011_load_warnings.sql: values a loader could not use in a row it still loaded.
--
-- A row whose required values are fine (a name, the record id) but one of whose optional values
-- cannot be read (a birth date "31.02.1990", a sex "так", an RNOKPP of 9 digits, a birth in
-- 2090) is loaded without that value; the value, where it was and why it was not used are kept
-- here. Rejects (batch_reject) are rows not loaded; warnings are extra, about loaded rows, so
-- rows_read = rows_loaded + rows_rejected + rows_duplicate still holds. Warnings of rows that
-- turn out to be duplicates of stored records are not kept (nothing of those rows is stored).
SET search_path = rozshuk, public;

CREATE TABLE batch_warning (
    batch_id    bigint NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    line        bigint NOT NULL CHECK (line >= 1),
    field       text NOT NULL CHECK (length(field) BETWEEN 1 AND 1000),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
    value       text CHECK (length(value) <= 1000)
);
CREATE INDEX batch_warning_batch_idx ON batch_warning (batch_id, line);

ALTER TABLE batch ADD COLUMN warnings bigint NOT NULL DEFAULT 0 CHECK (warnings >= 0);

GRANT ALL ON batch_warning TO rozshuk_admin;
GRANT SELECT, INSERT, DELETE ON batch_warning TO rozshuk_loader;
