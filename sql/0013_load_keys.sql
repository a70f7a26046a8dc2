-- 0013_load_keys.sql: the per-record costs of loading that grew with the stored data.
--
-- name_neighbours_insert() is the body of 0010's trigger function (the one-edit neighbourhoods
-- of new surname and given-name keys), taking the keys as arrays; the trigger calls it and
-- behaves as before. The keys are compared in name_neighbour's own (default) collation:
-- person_key's keys are in "C" (0008), and a comparison across the two collations cannot use
-- name_neighbour's primary key, so 0010's trigger hashed the whole of name_neighbour once per
-- loading statement, a cost that grows with the register. Here each new key is one probe of
-- that primary key. (Written naively, with the collations mixed and a small row estimate, the
-- planner chose a nested loop over the whole table: 144 s for one chunk of 10,000 records.)
SET search_path = rozshuk, public;

CREATE FUNCTION name_neighbours_insert(p_kind text[], p_key text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO rozshuk.name_neighbour (kind, del, key)
    SELECT DISTINCT f.kind, f.del, f.key
    FROM (SELECT DISTINCT n.kind, n.key
          FROM (SELECT u.kind COLLATE "default" AS kind, u.key COLLATE "default" AS key
                FROM unnest(p_kind, p_key) AS u (kind, key)) n
          WHERE n.kind IN ('sur_fold', 'given_skel') AND length(n.key) >= 4
            AND NOT EXISTS (SELECT 1 FROM rozshuk.name_neighbour s
                            WHERE s.kind = n.kind AND s.del = n.key AND s.key = n.key)) k
    CROSS JOIN LATERAL rozshuk.name_neighbour_forms(k.kind, k.key) f
    ON CONFLICT DO NOTHING
$$;

CREATE OR REPLACE FUNCTION name_neighbours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rozshuk.name_neighbours_insert(array_agg(n.kind), array_agg(n.key))
       FROM (SELECT DISTINCT kind, key FROM new_keys
              WHERE kind IN ('sur_fold', 'given_skel') AND length(key) >= 4) n;
    RETURN NULL;
END
$$;

GRANT EXECUTE ON FUNCTION name_neighbours_insert(text[], text[]) TO rozshuk_loader;

-- The same rule for a key's kind as 0001's CHECK (kind ~ '^[a-z_]{1,32}$'), without running the
-- regular-expression engine for every key of every record (about 6% of a loading backend's CPU
-- in perf): 1 to 32 characters, all of them a-z or '_'.
ALTER TABLE person_key DROP CONSTRAINT person_key_kind_check,
    ADD CONSTRAINT person_key_kind_check
        CHECK (length(kind) BETWEEN 1 AND 32 AND ltrim(kind, 'abcdefghijklmnopqrstuvwxyz_') = '');
