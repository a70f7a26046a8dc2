-- 0015_search_tiers.sql: search_name (0014) rebuilt so that a common surname costs a few index
-- probes instead of a scan of all its persons (issue 7).
--
-- With 0014 search read every person sharing a surname key with the query: on 1,000,000
-- records Шевченко has 6,600 persons and its Daitch-Mokotoff code 12,000, and a query scored
-- 34,000 rows. But what ranks a person above its namesakes is known in advance: a given-name
-- key shared with the query, or a birth date agreeing with it. So the rows are now one per
-- person, surname key and given-name key (gkey: the given name's canonical key, its skeleton,
-- or '' when the record has no given name), indexed on (key, gkey) (as one value, kg), and once per person and
-- surname key (gfirst) indexed on (key, wide, birth_from), where wide says the record's birth
-- range is longer than a year (an age estimate, a decade). Search then reads, for each key:
--   the persons with one of the query's given-name keys  (key, gkey) = ...;
--   the persons born in the query's range                 (key, false, birth_from) in a year,
--                                                          (key, true, birth_from) in 11 years;
--   a bounded number of the others, which nothing but the surname ranks (LIMIT).
-- Every person that the ranking of 0014 put above its surname-only namesakes is still read; of
-- those only the surname ranks, any are equal to the ranking.
SET search_path = rozshuk, public;

DROP TRIGGER person_key_search_name_add ON person_key;
DROP TRIGGER person_key_search_name_remove ON person_key;
DROP TRIGGER person_search_name_update ON person;
DROP FUNCTION search_name_keys_added();
DROP FUNCTION search_name_keys_removed();
DROP FUNCTION search_name_person_changed();
DROP FUNCTION search_name_rows(bigint[]);
DROP TABLE search_name;

CREATE TABLE search_name (
    key         text COLLATE "C" NOT NULL,
    kinds       smallint NOT NULL CHECK (kinds BETWEEN 1 AND 7), -- 1 sur_skel, 2 sur_fold, 4 sur_dm
    gkey        text COLLATE "C" NOT NULL,
    gkinds      smallint NOT NULL CHECK (gkinds BETWEEN 0 AND 3), -- 1 given_canon, 2 given_skel
    gfirst      boolean NOT NULL,
    person_id   bigint NOT NULL,
    birth_from  date,
    birth_to    date,
    wide        boolean GENERATED ALWAYS AS (birth_to - birth_from > 366) STORED,
    -- (key, gkey) as one value, so that a query's pairs are one index scan's array keys
    -- (PostgreSQL 15 uses an array only on an index's first column); \x1f is in no key
    kg          text COLLATE "C" GENERATED ALWAYS AS (key || E'\x1f' || gkey) STORED,
    kind        text NOT NULL,
    source_id   integer NOT NULL
);
CREATE INDEX search_name_given_idx ON search_name (kg)
    INCLUDE (key, kinds, gkey, gkinds, person_id, birth_from, birth_to, kind, source_id);
CREATE INDEX search_name_birth_idx ON search_name (key, wide, birth_from)
    INCLUDE (kinds, person_id, birth_to, kind, source_id)
    WHERE gfirst AND birth_from IS NOT NULL;
CREATE INDEX search_name_person_idx ON search_name (person_id);

-- The rows of a set of keys (person_id, kind, key): the statement that the trigger runs on its
-- transition table and the backfill below runs on person_key.
CREATE FUNCTION search_name_select(p_keys text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
    INSERT INTO rozshuk.search_name (key, kinds, gkey, gkinds, gfirst, person_id, birth_from,
                                     birth_to, kind, source_id)
    SELECT s.key, s.kinds, coalesce(g.gkey, ''), coalesce(g.gkinds, 0),
           coalesce(g.n = 1, true), s.person_id, p.birth_from, p.birth_to, p.kind, p.source_id
    FROM (SELECT person_id, key,
                 bit_or(CASE kind WHEN 'sur_skel' THEN 1 WHEN 'sur_fold' THEN 2
                        ELSE 4 END)::smallint AS kinds
          FROM (%1$s) k WHERE kind IN ('sur_skel', 'sur_fold', 'sur_dm')
          GROUP BY person_id, key) s
    JOIN rozshuk.person p ON p.id = s.person_id
    LEFT JOIN (SELECT person_id, key AS gkey,
                      bit_or(CASE kind WHEN 'given_canon' THEN 1 ELSE 2 END)::smallint AS gkinds,
                      row_number() OVER (PARTITION BY person_id ORDER BY key) AS n
               FROM (%1$s) k WHERE kind IN ('given_canon', 'given_skel')
               GROUP BY person_id, key) g ON g.person_id = s.person_id
    ORDER BY 1, 3$q$, p_keys)
$f$;

-- Inserted keys (re)build their persons' rows, set-based, from the statement's own keys (the
-- loader writes a record's keys in one statement); a person that already had rows (keys added
-- by a second statement) is rebuilt from all its keys in person_key.
CREATE FUNCTION search_name_keys_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rebuilt bigint[];
BEGIN
    WITH gone AS (DELETE FROM rozshuk.search_name s
                  WHERE s.person_id = ANY(ARRAY(SELECT DISTINCT person_id FROM new_keys))
                  RETURNING s.person_id)
    SELECT coalesce(array_agg(DISTINCT person_id), '{}') INTO rebuilt FROM gone;
    EXECUTE rozshuk.search_name_select(
        'SELECT person_id, kind, key FROM new_keys WHERE person_id <> ALL($1)'
        ' UNION ALL SELECT person_id, kind, key FROM rozshuk.person_key'
        ' WHERE person_id = ANY($1)') USING rebuilt;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_key_search_name_add AFTER INSERT ON person_key
    REFERENCING NEW TABLE AS new_keys
    FOR EACH STATEMENT EXECUTE FUNCTION search_name_keys_added();

-- Deleted keys remove their persons' rows (the loader deletes a record's keys before it
-- updates the record and inserts them again; deleting a person deletes its keys, 0009).
CREATE FUNCTION search_name_keys_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM rozshuk.search_name s
    WHERE s.person_id = ANY(ARRAY(SELECT DISTINCT person_id FROM old_keys));
    RETURN NULL;
END
$$;
CREATE TRIGGER person_key_search_name_remove AFTER DELETE ON person_key
    REFERENCING OLD TABLE AS old_keys
    FOR EACH STATEMENT EXECUTE FUNCTION search_name_keys_removed();

-- A record's birth date, kind or source changed in place.
CREATE FUNCTION search_name_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rozshuk.search_name
    SET birth_from = NEW.birth_from, birth_to = NEW.birth_to, kind = NEW.kind,
        source_id = NEW.source_id
    WHERE person_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_search_name_update AFTER UPDATE ON person FOR EACH ROW
    WHEN (OLD.birth_from IS DISTINCT FROM NEW.birth_from
          OR OLD.birth_to IS DISTINCT FROM NEW.birth_to
          OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION search_name_person_changed();

-- The records stored before this migration.
DO $$
BEGIN
    EXECUTE rozshuk.search_name_select('SELECT person_id, kind, key FROM rozshuk.person_key');
END
$$;

GRANT ALL ON search_name TO rozshuk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON search_name TO rozshuk_loader;
GRANT SELECT ON search_name TO rozshuk_matcher, rozshuk_investigator;
