-- 0010_search_keys.sql: what one-name search needs beside the stored keys (issue 7).
-- Numbered 0010: 0006 is the job runner's, 0008 and 0009 the loader's. Migrations apply by
-- name, so a gap is harmless.
SET search_path = rozshuk, public;

-- Search warns when stored records carry keys of an older names engine (RZ_KEY_VERSION moved
-- on since they were loaded): the oldest version is one probe of this index.
CREATE INDEX person_name_key_version_idx ON person_name (key_version);

-- Typing errors in names: the symmetric deletion neighbourhood (Garbe's SymSpell; Mor &
-- Fraenkel 1982) of every distinct stored folded surname key (sur_fold) and given-name
-- skeleton (given_skel). A row (kind, del, key) holds the key itself and each form with one
-- character deleted. Two keys within one edit (a substitution, insertion, deletion, or swap
-- of neighbours: Петпов/Петров, Гурено/Гуренко, Фивчук/Фічвук, Ваентина/Валентина) share a
-- form, so search finds a name typed or registered with one error by a few probes of this
-- table. Keys under 4 characters are left out (too many neighbours). Size: about
-- (length + 1) rows per distinct key; maintained by a statement trigger on person_key, one
-- set-based insert per loading statement.
CREATE TABLE name_neighbour (
    kind text NOT NULL CHECK (kind IN ('sur_fold', 'given_skel')),
    del  text NOT NULL,
    key  text NOT NULL,
    PRIMARY KEY (kind, del, key)
);

CREATE FUNCTION name_neighbour_forms(p_kind text, p_key text)
RETURNS TABLE (kind text, del text, key text) LANGUAGE sql IMMUTABLE AS $$
    SELECT p_kind, p_key, p_key
    UNION ALL
    SELECT p_kind, left(p_key, i - 1) || substr(p_key, i + 1), p_key
    FROM generate_series(1, length(p_key)) i
$$;

CREATE FUNCTION name_neighbours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rozshuk.name_neighbour (kind, del, key)
    SELECT DISTINCT f.kind, f.del, f.key
    FROM (SELECT DISTINCT n.kind, n.key FROM new_keys n
          WHERE n.kind IN ('sur_fold', 'given_skel') AND length(n.key) >= 4
            AND NOT EXISTS (SELECT 1 FROM rozshuk.name_neighbour s
                            WHERE s.kind = n.kind AND s.del = n.key AND s.key = n.key)) k
    CROSS JOIN LATERAL rozshuk.name_neighbour_forms(k.kind, k.key) f
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_key_name_neighbours AFTER INSERT ON person_key
    REFERENCING NEW TABLE AS new_keys
    FOR EACH STATEMENT EXECUTE FUNCTION name_neighbours_add();

-- The keys stored before this migration.
INSERT INTO name_neighbour (kind, del, key)
SELECT DISTINCT f.kind, f.del, f.key
FROM (SELECT DISTINCT kind, key FROM person_key
      WHERE kind IN ('sur_fold', 'given_skel') AND length(key) >= 4) k
CROSS JOIN LATERAL name_neighbour_forms(k.kind, k.key) f
ON CONFLICT DO NOTHING;

GRANT ALL ON name_neighbour TO rozshuk_admin;
GRANT SELECT, INSERT ON name_neighbour TO rozshuk_loader;
GRANT SELECT ON name_neighbour TO rozshuk_matcher, rozshuk_investigator;
