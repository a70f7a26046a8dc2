-- 0021_search_patronymic.sql: the patronymic in search's index (issue 7).
--
-- Search reads, for each surname key of the query, the persons sharing a given-name key with
-- it ((key, gkey) rows of search_name, 0015), those born in its range, and a bounded number of
-- the others, then keeps the best RZ_SEARCH_CANDIDATES for the comparison in C. The patronymic
-- was not read before that cut: of 156 persons named Бойко Олександр the one that the query
-- "Бойко Олександр Семенович" names was kept or cut by its record id, and "Бойко О. Семенович"
-- (an initial, which has no key) found him only among the capped others. The model weighs an
-- agreeing patronymic about as much as an agreeing given name (4.5 against 4.8 bits in the
-- built-in model), so the lookup now reads and ranks it the same way.
--
-- Each person gets one more row per surname key and patronymic key (patr_canon: the base name,
-- Семенович, Семеновна, Semenovych -> semen), with gkinds 4 and gkey '~' || the key: its own
-- name space (a patronymic never matches a given-name key of the same text, Іван Іванович has
-- two rows), sorted after every given-name key ('~' follows the letters and digits keys are
-- made of), so that the bounded scan of a surname's others meets the given-name rows first.
-- gfirst stays on one given-name row per person and surname key.
SET search_path = rozshuk, public;

ALTER TABLE search_name DROP CONSTRAINT search_name_gkinds_check;
ALTER TABLE search_name ADD CONSTRAINT search_name_gkinds_check CHECK (gkinds BETWEEN 0 AND 4);

-- 0015's statement with the patronymic rows added; the triggers of 0015 run it as before.
CREATE OR REPLACE FUNCTION search_name_select(p_keys text) RETURNS text LANGUAGE sql IMMUTABLE
AS $f$
SELECT format($q$
    INSERT INTO rozshuk.search_name (key, kinds, gkey, gkinds, gfirst, person_id, birth_from,
                                     birth_to, kind, source_id)
    WITH s AS (SELECT k.person_id, k.key,
                      bit_or(CASE k.kind WHEN 'sur_skel' THEN 1 WHEN 'sur_fold' THEN 2
                             ELSE 4 END)::smallint AS kinds,
                      p.birth_from, p.birth_to, p.kind, p.source_id
               FROM (%1$s) k JOIN rozshuk.person p ON p.id = k.person_id
               WHERE k.kind IN ('sur_skel', 'sur_fold', 'sur_dm')
               GROUP BY k.person_id, k.key, p.id)
    SELECT s.key, s.kinds, coalesce(g.gkey, ''), coalesce(g.gkinds, 0),
           coalesce(g.n = 1, true), s.person_id, s.birth_from, s.birth_to, s.kind, s.source_id
    FROM s
    LEFT JOIN (SELECT person_id, key AS gkey,
                      bit_or(CASE kind WHEN 'given_canon' THEN 1 ELSE 2 END)::smallint AS gkinds,
                      row_number() OVER (PARTITION BY person_id ORDER BY key) AS n
               FROM (%1$s) k WHERE kind IN ('given_canon', 'given_skel')
               GROUP BY person_id, key) g ON g.person_id = s.person_id
    UNION ALL
    SELECT s.key, s.kinds, '~' || pk.key, 4, false, s.person_id, s.birth_from, s.birth_to,
           s.kind, s.source_id
    FROM s
    JOIN (SELECT DISTINCT person_id, key FROM (%1$s) k WHERE kind = 'patr_canon') pk
      ON pk.person_id = s.person_id
    ORDER BY 1, 3$q$, p_keys)
$f$;

-- The records stored before this migration: their patronymic rows, one per person, surname key
-- and patronymic key (gfirst marks one row per person and surname key).
INSERT INTO search_name (key, kinds, gkey, gkinds, gfirst, person_id, birth_from, birth_to,
                         kind, source_id)
SELECT s.key, s.kinds, '~' || k.key, 4, false, s.person_id, s.birth_from, s.birth_to, s.kind,
       s.source_id
FROM search_name s
JOIN person_key k ON k.person_id = s.person_id AND k.kind = 'patr_canon'
WHERE s.gfirst
ORDER BY 1, 3;
