-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Each synced row keeps its JSON, in the wire spelling of the API, in a stored generated
-- column "wire": a list page then reads one value per row instead of 25 (PostgreSQL sent
-- each binary value through its own buffer, the server spelt each of them again), and
-- PostgreSQL recomputes it on every write, whoever writes.
--
-- The text is the one crm_record_append_json () and crm_pg_json_append_row () write for
-- the same row, byte for byte (tests/server/store/test-store-json.c holds them to each
-- other for every entity): keys in the field order of core/crm-schema.c, strings
-- escaped as core escapes them, timestamps in UTC RFC 3339, numbers in numeric_out's
-- digits. Where that spelling cannot be had in SQL simply (a number printf would round,
-- a timestamp outside years 1-9999, a tag that needs an escape), a helper answers NULL,
-- so the whole "wire" is NULL and the server writes that row from its columns as before.
--
-- The helpers are STABLE SQL so that PostgreSQL inlines them into the row functions
-- (to_char and to_json are only STABLE: they read settings that the formats used here
-- do not depend on). The row functions are IMMUTABLE, as a generated column demands:
-- their result depends on their arguments alone.

-- core's JSON string: '"', '\\', \n, \r, \t by name, other control characters and DEL
-- as \u00XX. PostgreSQL's to_json () writes the same except \b, \f (named there) and DEL
-- (raw there): texts holding one of those three go the long way.
CREATE FUNCTION crm_wire_text_escaped (t text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
DECLARE
  s text := replace (replace (t, '\', '\\'), '"', '\"');
BEGIN
  s := replace (replace (replace (s, chr (10), '\n'), chr (13), '\r'), chr (9), '\t');
  FOR c IN 1 .. 31 LOOP
    IF c NOT IN (9, 10, 13) THEN
      s := replace (s, chr (c), '\u00' || lpad (to_hex (c), 2, '0'));
    END IF;
  END LOOP;
  RETURN '"' || replace (s, chr (127), '\u007f') || '"';
END
$$;

CREATE FUNCTION crm_wire_text (t text) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN t IS NULL THEN 'null'
                WHEN strpos (t, chr (8)) > 0 OR strpos (t, chr (12)) > 0
                     OR strpos (t, chr (127)) > 0 THEN crm_wire_text_escaped (t)
                ELSE to_json (t)::text END
  $$;

CREATE FUNCTION crm_wire_uuid (u uuid) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN u IS NULL THEN 'null' ELSE '"' || u::text || '"' END $$;

CREATE FUNCTION crm_wire_int (i bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce (i::text, 'null') $$;

CREATE FUNCTION crm_wire_bool (b boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN b THEN 'true' WHEN NOT b THEN 'false' ELSE 'null' END $$;

-- crm_pg_json_append_row (): years 1 to 9999 only, six digits of fraction when there is
-- one. NULL (the row falls back) outside those years and for infinities.
CREATE FUNCTION crm_wire_time (t timestamptz) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN t IS NULL THEN 'null'
                WHEN t >= '0001-01-01 00:00:00+00' AND t < '10000-01-01 00:00:00+00' THEN
                  '"' || to_char (t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
                  || CASE WHEN date_part ('microseconds', t AT TIME ZONE 'UTC')::bigint
                               % 1000000 = 0 THEN ''
                          ELSE '.' || to_char (t AT TIME ZONE 'UTC', 'US') END
                  || 'Z"'
           END
  $$;

-- The list's column for a date is to_char (d, 'YYYY-MM-DD'), a plain string.
CREATE FUNCTION crm_wire_date (d date) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN d IS NULL THEN 'null' ELSE '"' || to_char (d, 'YYYY-MM-DD') || '"' END $$;

-- array_to_json () is core's spelling when nothing in it needs an escape and no element
-- is NULL (crm-pg-json.c copies it then too); anything else falls back.
CREATE FUNCTION crm_wire_array (a anyarray) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  j text;
BEGIN
  IF a IS NULL THEN
    RETURN 'null';
  END IF;
  j := array_to_json (a)::text;
  IF left (j, 1) = '[' AND right (j, 1) = ']' AND strpos (j, '\') = 0
     AND strpos (j, chr (127)) = 0 AND strpos (j, 'null') = 0 THEN
    RETURN j;
  END IF;
  RETURN NULL;
END
$$;

-- numeric_out's digits when core's writer prints them unchanged (append_plain_decimal ()
-- in crm-pg-json.c): at most 15 significant digits, no exponent, the fraction without
-- its trailing zeros, ".0" when none is left. Zero, 0.0000x and longer numbers, which
-- core writes through a double, fall back.
CREATE FUNCTION crm_wire_numeric (n numeric) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  parts text[];
  whole text;
  fraction text;
  zeros int;
BEGIN
  IF n IS NULL THEN
    RETURN 'null';
  END IF;
  parts := regexp_match (n::text, '^(-?)([0-9]+)(?:\.([0-9]+))?$');
  IF parts IS NULL THEN
    RETURN NULL;
  END IF;
  whole := parts[2];
  fraction := rtrim (coalesce (parts[3], ''), '0');
  IF length (whole) > 15 OR (length (whole) > 1 AND left (whole, 1) = '0') THEN
    RETURN NULL;
  END IF;
  IF whole = '0' THEN
    zeros := length (fraction) - length (ltrim (fraction, '0'));
    IF fraction = '' OR zeros >= 4 OR length (fraction) - zeros > 15 THEN
      RETURN NULL;
    END IF;
  ELSIF length (whole) + length (fraction) > 15 THEN
    RETURN NULL;
  END IF;
  RETURN parts[1] || whole || CASE WHEN fraction = '' THEN '.0' ELSE '.' || fraction END;
END
$$;

-- organisations: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_organisation (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  name text,
  type text,
  category text,
  pipeline_stage text,
  email text,
  phone text,
  website text,
  address text,
  postal_code text,
  city text,
  country text,
  language text,
  aum_eur numeric,
  notes text,
  is_active boolean,
  tags text[]
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"name":' || crm_wire_text ($10)
    || ',"type":' || crm_wire_text ($11)
    || ',"category":' || crm_wire_text ($12)
    || ',"pipeline_stage":' || crm_wire_text ($13)
    || ',"email":' || crm_wire_text ($14)
    || ',"phone":' || crm_wire_text ($15)
    || ',"website":' || crm_wire_text ($16)
    || ',"address":' || crm_wire_text ($17)
    || ',"postal_code":' || crm_wire_text ($18)
    || ',"city":' || crm_wire_text ($19)
    || ',"country":' || crm_wire_text ($20)
    || ',"language":' || crm_wire_text ($21)
    || ',"aum_eur":' || crm_wire_numeric ($22)
    || ',"notes":' || crm_wire_text ($23)
    || ',"is_active":' || crm_wire_bool ($24)
    || ',"tags":' || crm_wire_array ($25)
    || '}';
END
$$;

ALTER TABLE organisations ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_organisation (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, name, type, category,
    pipeline_stage, email, phone, website, address, postal_code,
    city, country, language, aum_eur, notes, is_active,
    tags)) STORED;

-- people: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_person (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  first_name text,
  last_name text,
  personal_email text,
  personal_phone text,
  mobile text,
  job_title text,
  linkedin_url text,
  language text,
  notes text,
  is_active boolean,
  tags text[]
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"first_name":' || crm_wire_text ($10)
    || ',"last_name":' || crm_wire_text ($11)
    || ',"personal_email":' || crm_wire_text ($12)
    || ',"personal_phone":' || crm_wire_text ($13)
    || ',"mobile":' || crm_wire_text ($14)
    || ',"job_title":' || crm_wire_text ($15)
    || ',"linkedin_url":' || crm_wire_text ($16)
    || ',"language":' || crm_wire_text ($17)
    || ',"notes":' || crm_wire_text ($18)
    || ',"is_active":' || crm_wire_bool ($19)
    || ',"tags":' || crm_wire_array ($20)
    || '}';
END
$$;

ALTER TABLE people ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_person (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, first_name, last_name, personal_email,
    personal_phone, mobile, job_title, linkedin_url, language, notes,
    is_active, tags)) STORED;

-- links: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_link (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  person_id uuid,
  organisation_id uuid,
  role text,
  work_email text,
  work_phone text,
  is_primary boolean,
  start_date date,
  end_date date
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"person_id":' || crm_wire_uuid ($10)
    || ',"organisation_id":' || crm_wire_uuid ($11)
    || ',"role":' || crm_wire_text ($12)
    || ',"work_email":' || crm_wire_text ($13)
    || ',"work_phone":' || crm_wire_text ($14)
    || ',"is_primary":' || crm_wire_bool ($15)
    || ',"start_date":' || crm_wire_date ($16)
    || ',"end_date":' || crm_wire_date ($17)
    || '}';
END
$$;

ALTER TABLE links ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_link (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, person_id, organisation_id, role,
    work_email, work_phone, is_primary, start_date, end_date)) STORED;

-- mandats: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_mandat (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  organisation_id uuid,
  number text,
  type text,
  status text,
  signed_at date,
  start_date date,
  end_date date,
  products text,
  fee_terms text,
  notes text
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"organisation_id":' || crm_wire_uuid ($10)
    || ',"number":' || crm_wire_text ($11)
    || ',"type":' || crm_wire_text ($12)
    || ',"status":' || crm_wire_text ($13)
    || ',"signed_at":' || crm_wire_date ($14)
    || ',"start_date":' || crm_wire_date ($15)
    || ',"end_date":' || crm_wire_date ($16)
    || ',"products":' || crm_wire_text ($17)
    || ',"fee_terms":' || crm_wire_text ($18)
    || ',"notes":' || crm_wire_text ($19)
    || '}';
END
$$;

ALTER TABLE mandats ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_mandat (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, organisation_id, number, type,
    status, signed_at, start_date, end_date, products, fee_terms,
    notes)) STORED;

-- interactions: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_interaction (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  type text,
  occurred_at timestamptz,
  organisation_id uuid,
  participant_ids uuid[],
  subject text,
  body text,
  outcome text
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"type":' || crm_wire_text ($10)
    || ',"occurred_at":' || crm_wire_time ($11)
    || ',"organisation_id":' || crm_wire_uuid ($12)
    || ',"participant_ids":' || crm_wire_array ($13)
    || ',"subject":' || crm_wire_text ($14)
    || ',"body":' || crm_wire_text ($15)
    || ',"outcome":' || crm_wire_text ($16)
    || '}';
END
$$;

ALTER TABLE interactions ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_interaction (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, type, occurred_at, organisation_id,
    participant_ids, subject, body, outcome)) STORED;

-- tasks: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_task (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  title text,
  description text,
  due_at timestamptz,
  priority text,
  status text,
  assignee_id uuid,
  organisation_id uuid,
  person_id uuid,
  mandat_id uuid
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"title":' || crm_wire_text ($10)
    || ',"description":' || crm_wire_text ($11)
    || ',"due_at":' || crm_wire_time ($12)
    || ',"priority":' || crm_wire_text ($13)
    || ',"status":' || crm_wire_text ($14)
    || ',"assignee_id":' || crm_wire_uuid ($15)
    || ',"organisation_id":' || crm_wire_uuid ($16)
    || ',"person_id":' || crm_wire_uuid ($17)
    || ',"mandat_id":' || crm_wire_uuid ($18)
    || '}';
END
$$;

ALTER TABLE tasks ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_task (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, title, description, due_at,
    priority, status, assignee_id, organisation_id, person_id, mandat_id)) STORED;

-- notifications: the fields of core/crm-schema.c in their order.
CREATE FUNCTION crm_wire_notification (
  id uuid,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  created_by uuid,
  updated_by uuid,
  owner_id uuid,
  team_id uuid,
  deleted boolean,
  user_id uuid,
  type text,
  priority text,
  title text,
  message text,
  link_entity text,
  link_id uuid,
  is_read boolean,
  is_archived boolean,
  expires_at timestamptz
) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN '{'
    || '"id":' || crm_wire_uuid ($1)
    || ',"version":' || crm_wire_int ($2)
    || ',"created_at":' || crm_wire_time ($3)
    || ',"updated_at":' || crm_wire_time ($4)
    || ',"created_by":' || crm_wire_uuid ($5)
    || ',"updated_by":' || crm_wire_uuid ($6)
    || ',"owner_id":' || crm_wire_uuid ($7)
    || ',"team_id":' || crm_wire_uuid ($8)
    || ',"deleted":' || crm_wire_bool ($9)
    || ',"user_id":' || crm_wire_uuid ($10)
    || ',"type":' || crm_wire_text ($11)
    || ',"priority":' || crm_wire_text ($12)
    || ',"title":' || crm_wire_text ($13)
    || ',"message":' || crm_wire_text ($14)
    || ',"link_entity":' || crm_wire_text ($15)
    || ',"link_id":' || crm_wire_uuid ($16)
    || ',"is_read":' || crm_wire_bool ($17)
    || ',"is_archived":' || crm_wire_bool ($18)
    || ',"expires_at":' || crm_wire_time ($19)
    || '}';
END
$$;

ALTER TABLE notifications ADD COLUMN wire text GENERATED ALWAYS AS (crm_wire_notification (
    id, version, created_at, updated_at, created_by, updated_by,
    owner_id, team_id, deleted, user_id, type, priority,
    title, message, link_entity, link_id, is_read, is_archived,
    expires_at)) STORED;
