-- 0017_load_person_origin.sql: a record's links to its source and batches checked once per
-- statement instead of three foreign-key queries per row.
--
-- person.source_id, batch_id and created_batch_id were foreign keys: each inserted record ran
-- three queries (an executor start, an index probe and a row lock each), though a loading
-- statement names one source and one batch for its 10,000 records (auto_explain of one chunk:
-- 0.49 s of the 0.82 s of its INSERT INTO person). The same rules hold here, set-based, as 0009
-- did for names and keys:
-- - rows inserted into person (or updated there) must point at an existing source and existing
--   batches, and those are locked FOR KEY SHARE until the transaction ends, as a foreign key's
--   check locks them: a deletion of the batch or source waits for the load to commit and is
--   then refused;
-- - a batch or source that records point at cannot be deleted, nor its id changed (NO ACTION,
--   as before). Nothing in rozshuk deletes batches or sources; only the admin role may.
SET search_path = rozshuk, public;

ALTER TABLE person DROP CONSTRAINT person_source_id_fkey,
                   DROP CONSTRAINT person_batch_id_fkey,
                   DROP CONSTRAINT person_created_batch_id_fkey;

-- The sources and batches named by the statement's rows, locked; an error naming one that does
-- not exist. As the table's owner, as a foreign key's checks run.
CREATE FUNCTION person_origin_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = rozshuk, pg_temp AS $$
DECLARE
    wanted bigint;
    locked bigint;
    orphan text;
BEGIN
    SELECT count(*) INTO wanted FROM (SELECT batch_id FROM added UNION
                                      SELECT created_batch_id FROM added
                                       WHERE created_batch_id IS NOT NULL) x;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM rozshuk.batch b
         WHERE b.id IN (SELECT batch_id FROM added UNION SELECT created_batch_id FROM added)
           FOR KEY SHARE OF b) x;
    IF locked = wanted THEN
        SELECT count(DISTINCT source_id) INTO wanted FROM added;
        SELECT count(*) INTO locked FROM (
            SELECT 1 FROM rozshuk.source s WHERE s.id IN (SELECT source_id FROM added)
               FOR KEY SHARE OF s) x;
        IF locked = wanted THEN
            RETURN NULL;
        END IF;
        SELECT 'source ' || a.source_id INTO orphan FROM added a
         WHERE NOT EXISTS (SELECT 1 FROM rozshuk.source s WHERE s.id = a.source_id) LIMIT 1;
    ELSE
        SELECT 'batch ' || i.id INTO orphan
          FROM (SELECT batch_id AS id FROM added UNION ALL SELECT created_batch_id FROM added) i
         WHERE i.id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM rozshuk.batch b WHERE b.id = i.id) LIMIT 1;
    END IF;
    RAISE EXCEPTION 'insert or update on table "person" violates the link to its origin: % '
                    'does not exist', orphan
        USING ERRCODE = 'foreign_key_violation';
END
$$;

CREATE TRIGGER person_origin_ins AFTER INSERT ON person
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_origin_check();
CREATE TRIGGER person_origin_upd AFTER UPDATE ON person
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_origin_check();

-- A batch or source that records point at stays: deleting it, or changing its id, is refused.
-- Row by row: these tables are small and such changes rare.
CREATE FUNCTION person_origin_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = rozshuk, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.id = NEW.id THEN
        RETURN NULL;
    END IF;
    IF (TG_TABLE_NAME = 'batch' AND
        EXISTS (SELECT 1 FROM rozshuk.person p WHERE p.batch_id = OLD.id
                UNION ALL SELECT 1 FROM rozshuk.person p WHERE p.created_batch_id = OLD.id))
       OR (TG_TABLE_NAME = 'source' AND
           EXISTS (SELECT 1 FROM rozshuk.person p WHERE p.source_id = OLD.id)) THEN
        RAISE EXCEPTION 'update or delete on table "%" violates the link from person: % % is '
                        'still the origin of records', TG_TABLE_NAME, TG_TABLE_NAME, OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER batch_person_kept AFTER UPDATE OF id OR DELETE ON batch
    FOR EACH ROW EXECUTE FUNCTION person_origin_kept();
CREATE TRIGGER source_person_kept AFTER UPDATE OF id OR DELETE ON source
    FOR EACH ROW EXECUTE FUNCTION person_origin_kept();
