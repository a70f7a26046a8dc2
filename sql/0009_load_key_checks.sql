-- 0009_load_key_checks.sql: the links from names and blocking keys to their person, checked
-- once per statement instead of once per row.
--
-- A foreign key runs one query per inserted row (an executor start, an index probe, a row
-- lock); a record has about nine blocking keys and a name, so in a profile of `rozshuk load`
-- these checks took 38% of the server's time, more than all the index upkeep. The same rules
-- hold here, set-based: rows inserted into person_name or person_key must point at an existing
-- person (one anti-join over the statement's new rows), and deleting persons deletes their
-- names and keys (one join over the statement's deleted rows), as ON DELETE CASCADE did.
-- Loaders write names and keys only for records that their own transaction inserted or
-- updated (and so holds), so no row lock is needed for them. identifier keeps its foreign key
-- (zero to four rows a record).
SET search_path = rozshuk, public;

ALTER TABLE person_name DROP CONSTRAINT person_name_person_id_fkey;
ALTER TABLE person_key DROP CONSTRAINT person_key_person_id_fkey;

CREATE FUNCTION person_link_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orphan bigint;
BEGIN
    SELECT a.person_id INTO orphan
      FROM (SELECT DISTINCT person_id FROM added) a
     WHERE NOT EXISTS (SELECT 1 FROM rozshuk.person p WHERE p.id = a.person_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the link to person: person % '
                        'does not exist', TG_TABLE_NAME, orphan
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER person_name_link_ins AFTER INSERT ON person_name
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_link_check();
CREATE TRIGGER person_name_link_upd AFTER UPDATE ON person_name
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_link_check();
CREATE TRIGGER person_key_link_ins AFTER INSERT ON person_key
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_link_check();
CREATE TRIGGER person_key_link_upd AFTER UPDATE ON person_key
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION person_link_check();

CREATE FUNCTION person_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM rozshuk.person_name n USING gone g WHERE n.person_id = g.id;
    DELETE FROM rozshuk.person_key k USING gone g WHERE k.person_id = g.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER person_cascade AFTER DELETE ON person
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION person_cascade();
