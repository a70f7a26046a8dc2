-- 0002_load.sql: what loading and undoing batches need beyond schema v1: which batch created
-- a record, notes from loading, per-batch insert/update counts, the previous versions of
-- records that a batch updated (so that undo restores them exactly), and the undo itself.
SET search_path = rozshuk, public;

ALTER TABLE person ADD COLUMN created_batch_id bigint REFERENCES batch (id);
ALTER TABLE person ADD COLUMN load_notes text CHECK (length(load_notes) <= 10000);
UPDATE person SET created_batch_id = batch_id;
CREATE INDEX person_created_batch_idx ON person (created_batch_id);

ALTER TABLE batch ADD COLUMN rows_inserted bigint NOT NULL DEFAULT 0 CHECK (rows_inserted >= 0);
ALTER TABLE batch ADD COLUMN rows_updated bigint NOT NULL DEFAULT 0 CHECK (rows_updated >= 0);
ALTER TABLE batch ADD COLUMN undone_at timestamptz;
ALTER TABLE batch ADD CHECK (state <> 'loaded' OR rows_loaded = rows_inserted + rows_updated);

-- The version of a record that a batch replaced: the person row, its names, keys and
-- identifiers, as they were. Undoing the batch puts them back.
CREATE TABLE person_history (
    batch_id    bigint NOT NULL REFERENCES batch (id),
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    old         jsonb NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, person_id)
);
CREATE INDEX person_history_person_idx ON person_history (person_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON person_history TO rozshuk_loader;
GRANT SELECT ON person_history TO rozshuk_matcher;
GRANT ALL ON person_history TO rozshuk_admin;

-- Tables other than the record's own (names, keys, identifiers, history) whose foreign keys
-- point at person: rows there are later work that depends on a batch's records.
CREATE FUNCTION person_dependents()
RETURNS TABLE (tbl regclass, col name) LANGUAGE sql STABLE AS $$
    SELECT c.conrelid::regclass, a.attname
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid = 'rozshuk.person'::regclass
      AND c.conrelid NOT IN ('rozshuk.person_name'::regclass, 'rozshuk.person_key'::regclass,
                             'rozshuk.identifier'::regclass, 'rozshuk.person_history'::regclass)
$$;

-- Undoes a loaded batch: removes the records it created, restores the versions of the records
-- it updated, marks it 'undone'. Refuses when later work depends on it unless p_force (then
-- that work's rows about these records go too, and later batches' history skips this one).
CREATE FUNCTION batch_undo(p_batch bigint, p_force boolean, OUT deleted bigint,
                           OUT restored bigint)
LANGUAGE plpgsql AS $$
DECLARE
    b     rozshuk.batch%ROWTYPE;
    later bigint;
    refs  bigint := 0;
    n     bigint;
    d     record;
BEGIN
    SELECT * INTO b FROM rozshuk.batch WHERE id = p_batch FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'batch % does not exist', p_batch USING ERRCODE = 'no_data_found';
    END IF;
    IF b.state <> 'loaded' THEN
        RAISE EXCEPTION 'batch % is %; only a loaded batch can be undone', p_batch, b.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM pg_advisory_xact_lock(7254, b.source_id);

    SELECT count(*) INTO later FROM rozshuk.person_history h
     WHERE h.batch_id <> p_batch AND (h.old -> 'person' ->> 'batch_id')::bigint = p_batch;
    FOR d IN SELECT * FROM rozshuk.person_dependents() LOOP
        EXECUTE format('SELECT count(*) FROM %s t JOIN rozshuk.person p ON p.id = t.%I '
                       'WHERE p.batch_id = $1 OR p.created_batch_id = $1', d.tbl, d.col)
            INTO n USING p_batch;
        refs := refs + n;
    END LOOP;
    IF (later > 0 OR refs > 0) AND NOT p_force THEN
        RAISE EXCEPTION 'batch % has later work depending on it: % record(s) changed by later '
                        'batches, % row(s) of other tables about its records', p_batch, later, refs
            USING ERRCODE = 'dependent_objects_still_exist',
                  HINT = 'undo the later batches first, or use --force';
    END IF;
    IF refs > 0 THEN
        FOR d IN SELECT * FROM rozshuk.person_dependents() LOOP
            EXECUTE format('DELETE FROM %s t USING rozshuk.person p WHERE p.id = t.%I '
                           'AND (p.batch_id = $1 OR p.created_batch_id = $1)', d.tbl, d.col)
                USING p_batch;
        END LOOP;
    END IF;

    -- Records this batch updated that a later batch updated again: the later batch's history
    -- now leads back past this batch; the current version stays.
    UPDATE rozshuk.person_history y SET old = x.old
      FROM rozshuk.person_history x
     WHERE x.batch_id = p_batch AND y.person_id = x.person_id AND y.batch_id <> p_batch
       AND (y.old -> 'person' ->> 'batch_id')::bigint = p_batch;
    DELETE FROM rozshuk.person_history x USING rozshuk.person p
     WHERE x.batch_id = p_batch AND p.id = x.person_id AND p.batch_id <> p_batch;

    -- Records this batch updated: put the previous version back, exactly.
    DELETE FROM rozshuk.person_name WHERE person_id IN
        (SELECT person_id FROM rozshuk.person_history WHERE batch_id = p_batch);
    DELETE FROM rozshuk.person_key WHERE person_id IN
        (SELECT person_id FROM rozshuk.person_history WHERE batch_id = p_batch);
    DELETE FROM rozshuk.identifier WHERE person_id IN
        (SELECT person_id FROM rozshuk.person_history WHERE batch_id = p_batch);
    UPDATE rozshuk.person p SET
        source_id = o.source_id, source_record_id = o.source_record_id, batch_id = o.batch_id,
        kind = o.kind, sex = o.sex, birth_from = o.birth_from, birth_to = o.birth_to,
        birth_precision = o.birth_precision, birth_dm_ambiguous = o.birth_dm_ambiguous,
        birth_place = o.birth_place, last_seen_from = o.last_seen_from,
        last_seen_to = o.last_seen_to, last_seen_place = o.last_seen_place,
        found_from = o.found_from, found_to = o.found_to, found_place = o.found_place,
        description = o.description, raw = o.raw, row_hash = o.row_hash,
        created_at = o.created_at, updated_at = o.updated_at,
        created_batch_id = o.created_batch_id, load_notes = o.load_notes
      FROM rozshuk.person_history h,
           jsonb_populate_record(NULL::rozshuk.person, h.old -> 'person') o
     WHERE h.batch_id = p_batch AND h.person_id = p.id;
    GET DIAGNOSTICS restored = ROW_COUNT;
    INSERT INTO rozshuk.person_name OVERRIDING SYSTEM VALUE
        SELECT n.* FROM rozshuk.person_history h,
               jsonb_populate_recordset(NULL::rozshuk.person_name, h.old -> 'names') n
         WHERE h.batch_id = p_batch;
    INSERT INTO rozshuk.person_key
        SELECT k.* FROM rozshuk.person_history h,
               jsonb_populate_recordset(NULL::rozshuk.person_key, h.old -> 'keys') k
         WHERE h.batch_id = p_batch;
    INSERT INTO rozshuk.identifier
        SELECT i.* FROM rozshuk.person_history h,
               jsonb_populate_recordset(NULL::rozshuk.identifier, h.old -> 'identifiers') i
         WHERE h.batch_id = p_batch;
    DELETE FROM rozshuk.person_history WHERE batch_id = p_batch;

    -- Records this batch created (with p_force, also those a later batch changed since).
    DELETE FROM rozshuk.person WHERE created_batch_id = p_batch;
    GET DIAGNOSTICS deleted = ROW_COUNT;

    UPDATE rozshuk.batch SET state = 'undone', undone_at = clock_timestamp() WHERE id = p_batch;
    INSERT INTO rozshuk.audit (action, object_kind, object_id, detail)
    VALUES ('batch.undo', 'batch', p_batch::text,
            jsonb_build_object('deleted', deleted, 'restored', restored, 'force', p_force));
END
$$;

GRANT EXECUTE ON FUNCTION batch_undo(bigint, boolean) TO rozshuk_loader;
