-- 0001_init.sql: schema v1 of rozshuk (see DESIGN.md, "PostgreSQL").
-- Applied by `rozshuk db migrate` inside one transaction. Never edit after it is applied:
-- put changes in a new numbered file.

CREATE SCHEMA IF NOT EXISTS rozshuk;
SET search_path = rozshuk, public;

-- Roles belong to the whole server, so create them only when missing: several rozshuk
-- databases (tests, staging, production) can share one server. They are group roles
-- (NOLOGIN): grant them to the login roles of real people and services.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['rozshuk_admin', 'rozshuk_loader', 'rozshuk_matcher',
                             'rozshuk_investigator']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

-- An agency or list that records come from.
CREATE TABLE source (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    title       text CHECK (length(title) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One load of one file: who, when, what, and counts that must add up.
CREATE TABLE batch (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id       integer NOT NULL REFERENCES source (id),
    kind            text NOT NULL CHECK (kind IN ('missing', 'remains', 'living', 'list')),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 4096),
    file_sha256     text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    format          text NOT NULL CHECK (format IN ('csv', 'tsv', 'jsonl')),
    mapping         jsonb,
    state           text NOT NULL DEFAULT 'loading'
                    CHECK (state IN ('loading', 'loaded', 'failed', 'undone')),
    rows_read       bigint NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_loaded     bigint NOT NULL DEFAULT 0 CHECK (rows_loaded >= 0),
    rows_rejected   bigint NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    rows_duplicate  bigint NOT NULL DEFAULT 0 CHECK (rows_duplicate >= 0),
    loaded_by       text NOT NULL DEFAULT current_user,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    CHECK (state <> 'loaded' OR rows_read = rows_loaded + rows_rejected + rows_duplicate),
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);

-- Rows of a batch that could not be stored, with where and why: nothing is lost silently.
CREATE TABLE batch_reject (
    batch_id    bigint NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
    line        bigint NOT NULL CHECK (line >= 1),
    field       text,
    reason      text NOT NULL CHECK (length(reason) >= 1),
    raw         text,
    PRIMARY KEY (batch_id, line)
);

-- A person record: one row of one source. Names, keys and identifiers hang off it.
-- Dates are ranges [from, to] with the precision they were given at; NULL both when unknown.
CREATE TABLE person (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id           integer NOT NULL REFERENCES source (id),
    source_record_id    text NOT NULL CHECK (length(source_record_id) BETWEEN 1 AND 200),
    batch_id            bigint NOT NULL REFERENCES batch (id),
    kind                text NOT NULL CHECK (kind IN ('missing', 'remains', 'living', 'list')),
    sex                 text CHECK (sex IN ('m', 'f')),
    birth_from          date,
    birth_to            date,
    birth_precision     text CHECK (birth_precision IN
                            ('day', 'month', 'year', 'decade', 'range', 'age')),
    birth_dm_ambiguous  boolean NOT NULL DEFAULT false,
    birth_place         text CHECK (length(birth_place) <= 500),
    last_seen_from      date,
    last_seen_to        date,
    last_seen_place     text CHECK (length(last_seen_place) <= 500),
    found_from          date,
    found_to            date,
    found_place         text CHECK (length(found_place) <= 500),
    description         text CHECK (length(description) <= 10000),
    raw                 jsonb NOT NULL,
    row_hash            text NOT NULL CHECK (length(row_hash) BETWEEN 16 AND 128),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, source_record_id),
    CHECK ((birth_from IS NULL) = (birth_to IS NULL)),
    CHECK ((birth_from IS NULL) = (birth_precision IS NULL)),
    CHECK (birth_from <= birth_to),
    CHECK (birth_from >= DATE '1880-01-01'),
    CHECK ((last_seen_from IS NULL) = (last_seen_to IS NULL)),
    CHECK (last_seen_from <= last_seen_to),
    CHECK ((found_from IS NULL) = (found_to IS NULL)),
    CHECK (found_from <= found_to),
    CHECK (kind = 'remains' OR found_from IS NULL)
);
CREATE INDEX person_batch_idx ON person (batch_id);
CREATE INDEX person_kind_idx ON person (kind, source_id);

-- Every name a person is known by, as written, with the forms derived from it once at load.
CREATE TABLE person_name (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    role            text NOT NULL DEFAULT 'primary'
                    CHECK (role IN ('primary', 'alias', 'document', 'maiden')),
    written         text NOT NULL CHECK (length(written) BETWEEN 1 AND 1000),
    surname         text CHECK (length(surname) <= 300),
    given           text CHECK (length(given) <= 300),
    patronymic      text CHECK (length(patronymic) <= 300),
    script          text CHECK (script IN ('latin', 'cyrillic', 'mixed', 'other')),
    lang            text CHECK (lang IN ('uk', 'ru', 'be', 'cyrillic', 'latin', 'unknown')),
    surname_key     text,
    given_key       text,
    patronymic_key  text,
    given_canonical text,
    key_version     smallint NOT NULL CHECK (key_version >= 1)
);
CREATE INDEX person_name_person_idx ON person_name (person_id);

-- Blocking keys (indexed): several per name, each tagged with what it is and its version.
CREATE TABLE person_key (
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    key_version smallint NOT NULL CHECK (key_version >= 1),
    PRIMARY KEY (kind, key, person_id)
);
CREATE INDEX person_key_person_idx ON person_key (person_id);

-- Identity documents and numbers, normalised, with their checksum status.
CREATE TABLE identifier (
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('unzr', 'rnokpp', 'passport', 'military_id',
                                              'other')),
    value       text NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
    valid       boolean,
    raw         text CHECK (length(raw) <= 200),
    PRIMARY KEY (person_id, kind, value)
);
CREATE INDEX identifier_value_idx ON identifier (kind, value);

-- Append-only trail of who loaded, matched, searched, viewed or decided what.
CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    db_role     text NOT NULL DEFAULT session_user,
    actor       text CHECK (length(actor) <= 200),
    action      text NOT NULL CHECK (action ~ '^[a-z_.]{1,64}$'),
    object_kind text CHECK (object_kind ~ '^[a-z_]{1,32}$'),
    object_id   text CHECK (length(object_id) <= 200),
    detail      jsonb
);
CREATE INDEX audit_at_idx ON audit (at);

CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

-- Least privilege. PUBLIC gets nothing in this schema.
REVOKE ALL ON SCHEMA rozshuk FROM PUBLIC;
GRANT USAGE ON SCHEMA rozshuk TO rozshuk_admin, rozshuk_loader, rozshuk_matcher,
    rozshuk_investigator;
GRANT ALL ON ALL TABLES IN SCHEMA rozshuk TO rozshuk_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA rozshuk TO rozshuk_admin;

-- Loaders write records and batches, and may undo (delete) a batch's records.
GRANT SELECT, INSERT, UPDATE ON source, batch TO rozshuk_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON batch_reject, person, person_name, person_key,
    identifier TO rozshuk_loader;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA rozshuk TO rozshuk_loader;

-- Matchers read records (later migrations give them jobs and candidates).
GRANT SELECT ON source, batch, person, person_name, person_key, identifier TO rozshuk_matcher;

-- Investigators read records and keys to search; no batches, no rejects, no audit.
GRANT SELECT ON source, person, person_name, person_key, identifier TO rozshuk_investigator;

-- Everyone writes audit rows; only the admin role reads them.
GRANT INSERT ON audit TO rozshuk_loader, rozshuk_matcher, rozshuk_investigator;
GRANT SELECT ON schema_migrations TO rozshuk_loader, rozshuk_matcher, rozshuk_investigator;
