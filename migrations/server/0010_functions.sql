-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Extensions and the small SQL functions the rest of the schema and the store's
-- queries rely on. unaccent and pg_trgm are trusted extensions since PostgreSQL 13:
-- the database owner may create them without being a superuser.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it looks its dictionary up through search_path), so it
-- cannot appear in a generated column or an index. Naming the dictionary with its
-- schema makes the result depend on the text alone, which is what IMMUTABLE promises.
CREATE FUNCTION crm_unaccent (text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent ('public.unaccent'::regdictionary, $1) $$;

-- What every search column indexes and every query compares with: lower case, no
-- accents, œ/æ spelt out (unaccent's rules already fold them).
CREATE FUNCTION crm_fold (text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower (crm_unaccent ($1)) $$;

-- RFC 3339 in UTC exactly as core/crm-time.c writes it: seconds, plus six digits of
-- fraction only when there is one. Rows read back equal the rows written, so the
-- field merge never sees a change that is only a formatting difference.
CREATE FUNCTION crm_rfc3339 (t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT to_char (t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || CASE WHEN date_part ('microseconds', t)::bigint % 1000000 = 0 THEN ''
                   ELSE '.' || to_char (t AT TIME ZONE 'UTC', 'US') END
           || 'Z'
  $$;

-- Tags and participant lists travel as JSON arrays of strings (core's wire text form)
-- and live in arrays so that "tag = ANY (tags)" can use a GIN index.
CREATE FUNCTION crm_text_array (doc text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT coalesce (array_agg (value ORDER BY ordinality), '{}')
      FROM jsonb_array_elements_text (doc::jsonb) WITH ORDINALITY
  $$;
