-- 0014_search_index.sql: one-name search's own index (issue 7).
--
-- Search ranks the persons sharing a surname key with the query by the key kinds shared, the
-- given name and the birth date, then compares the best RZ_SEARCH_CANDIDATES in C. Done on
-- person_key and person, ranking a common surname (Клименко: ~3,000 persons in 1,000,000
-- records, more for its Daitch-Mokotoff code) costs three primary-key probes of person_key
-- and a heap read of person per person: most of search's time. Here each person's surname
-- keys carry what the ranking reads, in one covering index: a surname is one index range
-- scan, read in order, with no probe per person.
--
-- One row per person and distinct surname key value. `kinds` says which kinds the value is a
-- key of (1 sur_skel, 2 sur_fold, 4 sur_dm: a Cyrillic name's skeleton and folded key are
-- usually the same text, one row). given_canon and given_skel are all the person's given-name
-- keys; birth, kind and source are copied from person. Derived data, kept by triggers:
-- inserting keys (re)builds their persons' rows, deleting keys removes them, and an update of
-- a person's birth date, kind or source rebuilds its rows. The loader writes a record's keys
-- in one statement (stage_key), deletes them before it updates the record and inserts them
-- again after; undo does the same.
SET search_path = rozshuk, public;

CREATE TABLE search_name (
    key         text COLLATE "C" NOT NULL,
    kinds       smallint NOT NULL CHECK (kinds BETWEEN 1 AND 7),
    person_id   bigint NOT NULL,
    given_canon text[] COLLATE "C" NOT NULL,
    given_skel  text[] COLLATE "C" NOT NULL,
    birth_from  date,
    birth_to    date,
    kind        text NOT NULL,
    source_id   integer NOT NULL
);
CREATE INDEX search_name_key_idx ON search_name (key)
    INCLUDE (kinds, person_id, given_canon, given_skel, birth_from, birth_to, kind, source_id);
CREATE INDEX search_name_person_idx ON search_name (person_id);

-- The rows of the given persons, from their keys now.
CREATE FUNCTION search_name_rows(p_ids bigint[])
RETURNS SETOF search_name LANGUAGE sql STABLE AS $$
    SELECT s.key, s.kinds, p.id, g.canon, g.skel, p.birth_from, p.birth_to, p.kind, p.source_id
    FROM rozshuk.person p
    JOIN LATERAL (SELECT k.key,
                         bit_or(CASE k.kind WHEN 'sur_skel' THEN 1 WHEN 'sur_fold' THEN 2
                                ELSE 4 END)::smallint AS kinds
                  FROM rozshuk.person_key k
                  WHERE k.person_id = p.id AND k.kind IN ('sur_skel', 'sur_fold', 'sur_dm')
                  GROUP BY k.key) s ON true
    CROSS JOIN LATERAL (SELECT
        coalesce(array_agg(k.key) FILTER (WHERE k.kind = 'given_canon'), '{}') AS canon,
        coalesce(array_agg(k.key) FILTER (WHERE k.kind = 'given_skel'), '{}') AS skel
        FROM rozshuk.person_key k
        WHERE k.person_id = p.id AND k.kind IN ('given_canon', 'given_skel')) g
    WHERE p.id = ANY(p_ids)
$$;

-- Set-based, from the statement's own keys (no probe of person_key per person): the loader
-- writes a record's keys in one statement. A person that already had rows (keys added in
-- a second statement) is rebuilt from all its keys.
CREATE FUNCTION search_name_keys_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rebuilt bigint[];
BEGIN
    WITH gone AS (DELETE FROM rozshuk.search_name s
                  WHERE s.person_id = ANY(ARRAY(SELECT DISTINCT person_id FROM new_keys))
                  RETURNING s.person_id)
    SELECT array_agg(DISTINCT person_id) INTO rebuilt FROM gone;
    INSERT INTO rozshuk.search_name
    SELECT s.key, s.kinds, s.person_id, coalesce(g.canon, '{}'), coalesce(g.skel, '{}'),
           p.birth_from, p.birth_to, p.kind, p.source_id
    FROM (SELECT person_id, key,
                 bit_or(CASE kind WHEN 'sur_skel' THEN 1 WHEN 'sur_fold' THEN 2
                        ELSE 4 END)::smallint AS kinds
          FROM new_keys WHERE kind IN ('sur_skel', 'sur_fold', 'sur_dm')
            AND (rebuilt IS NULL OR person_id <> ALL(rebuilt))
          GROUP BY person_id, key) s
    JOIN rozshuk.person p ON p.id = s.person_id
    LEFT JOIN (SELECT person_id,
                      array_agg(key) FILTER (WHERE kind = 'given_canon') AS canon,
                      array_agg(key) FILTER (WHERE kind = 'given_skel') AS skel
               FROM new_keys WHERE kind IN ('given_canon', 'given_skel')
               GROUP BY person_id) g ON g.person_id = s.person_id
    UNION ALL
    SELECT * FROM rozshuk.search_name_rows(rebuilt) WHERE rebuilt IS NOT NULL
    ORDER BY 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_key_search_name_add AFTER INSERT ON person_key
    REFERENCING NEW TABLE AS new_keys
    FOR EACH STATEMENT EXECUTE FUNCTION search_name_keys_added();

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
INSERT INTO search_name
SELECT s.key, s.kinds, s.person_id, coalesce(g.canon, '{}'), coalesce(g.skel, '{}'),
       p.birth_from, p.birth_to, p.kind, p.source_id
FROM (SELECT person_id, key,
             bit_or(CASE kind WHEN 'sur_skel' THEN 1 WHEN 'sur_fold' THEN 2 ELSE 4 END)::smallint
                 AS kinds
      FROM person_key WHERE kind IN ('sur_skel', 'sur_fold', 'sur_dm')
      GROUP BY person_id, key) s
JOIN person p ON p.id = s.person_id
LEFT JOIN (SELECT person_id,
                  array_agg(key) FILTER (WHERE kind = 'given_canon') AS canon,
                  array_agg(key) FILTER (WHERE kind = 'given_skel') AS skel
           FROM person_key WHERE kind IN ('given_canon', 'given_skel')
           GROUP BY person_id) g ON g.person_id = s.person_id
ORDER BY s.key;

GRANT ALL ON search_name TO rozshuk_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON search_name TO rozshuk_loader;
GRANT SELECT ON search_name TO rozshuk_matcher, rozshuk_investigator;
