-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The seven synced entities of DESIGN.md §3, one column per field of
-- core/crm-schema.c with the same name (tests/server/store compares them), and the
-- store's own bookkeeping per row:
-- * created_seq: the change sequence that created the row; a field without a stamp
--   has not changed since then (core/crm-merge.h);
-- * stamps: field -> {"v": version, "c": client id, "u": user id} of the field's last
--   change, the memory the field-level merge needs.
-- Types: UUID -> uuid, DATETIME -> timestamptz, DATE -> date, DECIMAL -> numeric
-- (exact round trip of whatever the client sent), INT -> bigint, BOOL -> boolean,
-- TAGS -> text[], UUID_LIST -> uuid[], everything else text.
-- Enum columns carry a CHECK as a last line of defence; core validation comes first.
-- List indexes are partial (WHERE NOT deleted) and end with id, the keyset
-- tie-breaker: lists never show tombstones, and every page is an index range.

-- array_to_string() is only STABLE; over text[] its result depends on nothing else.
CREATE FUNCTION crm_join (text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce (array_to_string ($1, ' '), '') $$;

CREATE TABLE organisations (
  id              uuid PRIMARY KEY,
  version         bigint NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  created_by      uuid REFERENCES users (id),
  updated_by      uuid REFERENCES users (id),
  owner_id        uuid REFERENCES users (id),
  team_id         uuid REFERENCES teams (id),
  deleted         boolean NOT NULL DEFAULT false,
  name            text NOT NULL,
  type            text CHECK (type IN ('investor', 'fournisseur', 'distributor', 'partner',
                                       'other')),
  category        text CHECK (category IN ('institutional', 'wholesale', 'cgpi',
                                           'family_office', 'corporate', 'other')),
  pipeline_stage  text CHECK (pipeline_stage IN ('prospect', 'qualified', 'proposal',
                                                 'negotiation', 'won', 'lost', 'dormant')),
  email           text,
  phone           text,
  website         text,
  address         text,
  postal_code     text,
  city            text,
  country         text,
  language        text,
  aum_eur         numeric,
  notes           text,
  is_active       boolean,
  tags            text[],
  created_seq     bigint NOT NULL,
  stamps          jsonb NOT NULL DEFAULT '{}',
  search_name     text GENERATED ALWAYS AS (crm_fold (name)) STORED,
  search          tsvector GENERATED ALWAYS AS (
                    setweight (to_tsvector ('french', crm_fold (coalesce (name, ''))), 'A') ||
                    setweight (to_tsvector ('french', crm_fold (coalesce (city, '') || ' ' ||
                                                                coalesce (email, '') || ' ' ||
                                                                crm_join (tags))), 'B') ||
                    setweight (to_tsvector ('french', crm_fold (coalesce (notes, ''))), 'C'))
                  STORED
);
CREATE INDEX organisations_name ON organisations (name, id) WHERE NOT deleted;
CREATE INDEX organisations_type ON organisations (type, id) WHERE NOT deleted;
CREATE INDEX organisations_category ON organisations (category, id) WHERE NOT deleted;
CREATE INDEX organisations_stage ON organisations (pipeline_stage, id) WHERE NOT deleted;
CREATE INDEX organisations_city ON organisations (city, id) WHERE NOT deleted;
CREATE INDEX organisations_country ON organisations (country, id) WHERE NOT deleted;
CREATE INDEX organisations_active ON organisations (is_active, id) WHERE NOT deleted;
CREATE INDEX organisations_aum ON organisations (aum_eur, id) WHERE NOT deleted;
CREATE INDEX organisations_updated ON organisations (updated_at, id) WHERE NOT deleted;
CREATE INDEX organisations_created ON organisations (created_at, id) WHERE NOT deleted;
CREATE INDEX organisations_owner ON organisations (owner_id, id);
CREATE INDEX organisations_team ON organisations (team_id, id);
CREATE INDEX organisations_tags ON organisations USING gin (tags);
CREATE INDEX organisations_search ON organisations USING gin (search);
CREATE INDEX organisations_trgm ON organisations USING gin (search_name gin_trgm_ops);

CREATE TABLE people (
  id              uuid PRIMARY KEY,
  version         bigint NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  created_by      uuid REFERENCES users (id),
  updated_by      uuid REFERENCES users (id),
  owner_id        uuid REFERENCES users (id),
  team_id         uuid REFERENCES teams (id),
  deleted         boolean NOT NULL DEFAULT false,
  first_name      text,
  last_name       text,
  personal_email  text,
  personal_phone  text,
  mobile          text,
  job_title       text,
  linkedin_url    text,
  language        text,
  notes           text,
  is_active       boolean,
  tags            text[],
  created_seq     bigint NOT NULL,
  stamps          jsonb NOT NULL DEFAULT '{}',
  search_name     text GENERATED ALWAYS AS (
                    crm_fold (btrim (coalesce (first_name, '') || ' ' ||
                                     coalesce (last_name, '')))) STORED,
  search          tsvector GENERATED ALWAYS AS (
                    setweight (to_tsvector ('french', crm_fold (coalesce (first_name, '') || ' ' ||
                                                                coalesce (last_name, ''))), 'A') ||
                    setweight (to_tsvector ('french', crm_fold (coalesce (personal_email, '') ||
                                                                ' ' || coalesce (job_title, '') ||
                                                                ' ' || crm_join (tags))), 'B') ||
                    setweight (to_tsvector ('french', crm_fold (coalesce (notes, ''))), 'C'))
                  STORED
);
CREATE INDEX people_last_name ON people (last_name, id) WHERE NOT deleted;
CREATE INDEX people_first_name ON people (first_name, id) WHERE NOT deleted;
CREATE INDEX people_language ON people (language, id) WHERE NOT deleted;
CREATE INDEX people_active ON people (is_active, id) WHERE NOT deleted;
CREATE INDEX people_updated ON people (updated_at, id) WHERE NOT deleted;
CREATE INDEX people_owner ON people (owner_id, id);
CREATE INDEX people_team ON people (team_id, id);
CREATE INDEX people_tags ON people USING gin (tags);
CREATE INDEX people_search ON people USING gin (search);
CREATE INDEX people_trgm ON people USING gin (search_name gin_trgm_ops);

CREATE TABLE links (
  id               uuid PRIMARY KEY,
  version          bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  created_by       uuid REFERENCES users (id),
  updated_by       uuid REFERENCES users (id),
  owner_id         uuid REFERENCES users (id),
  team_id          uuid REFERENCES teams (id),
  deleted          boolean NOT NULL DEFAULT false,
  person_id        uuid NOT NULL REFERENCES people (id),
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  role             text,
  work_email       text,
  work_phone       text,
  is_primary       boolean,
  start_date       date,
  end_date         date,
  created_seq      bigint NOT NULL,
  stamps           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX links_person ON links (person_id, id) WHERE NOT deleted;
CREATE INDEX links_organisation ON links (organisation_id, id) WHERE NOT deleted;
CREATE INDEX links_updated ON links (updated_at, id) WHERE NOT deleted;
CREATE INDEX links_owner ON links (owner_id, id);
CREATE INDEX links_team ON links (team_id, id);

CREATE TABLE mandats (
  id               uuid PRIMARY KEY,
  version          bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  created_by       uuid REFERENCES users (id),
  updated_by       uuid REFERENCES users (id),
  owner_id         uuid REFERENCES users (id),
  team_id          uuid REFERENCES teams (id),
  deleted          boolean NOT NULL DEFAULT false,
  organisation_id  uuid NOT NULL REFERENCES organisations (id),
  number           text NOT NULL,
  type             text,
  status           text CHECK (status IN ('draft', 'proposed', 'signed', 'active', 'expired',
                                          'terminated')),
  signed_at        date,
  start_date       date,
  end_date         date,
  products         text,
  fee_terms        text,
  notes            text,
  created_seq      bigint NOT NULL,
  stamps           jsonb NOT NULL DEFAULT '{}',
  search_name      text GENERATED ALWAYS AS (crm_fold (number)) STORED,
  search           tsvector GENERATED ALWAYS AS (
                     setweight (to_tsvector ('french', crm_fold (coalesce (number, ''))), 'A') ||
                     setweight (to_tsvector ('french', crm_fold (coalesce (products, ''))), 'B') ||
                     setweight (to_tsvector ('french', crm_fold (coalesce (notes, ''))), 'C'))
                   STORED
);
-- One live mandat per number; a tombstone keeps its number until it is restored
-- (a restore that would duplicate a number is refused with the same message).
CREATE UNIQUE INDEX mandats_number_key ON mandats (number) WHERE NOT deleted;
CREATE INDEX mandats_organisation ON mandats (organisation_id, id) WHERE NOT deleted;
CREATE INDEX mandats_status ON mandats (status, id) WHERE NOT deleted;
CREATE INDEX mandats_end_date ON mandats (end_date, id) WHERE NOT deleted;
CREATE INDEX mandats_signed_at ON mandats (signed_at, id) WHERE NOT deleted;
CREATE INDEX mandats_number ON mandats (number, id) WHERE NOT deleted;
CREATE INDEX mandats_updated ON mandats (updated_at, id) WHERE NOT deleted;
CREATE INDEX mandats_owner ON mandats (owner_id, id);
CREATE INDEX mandats_team ON mandats (team_id, id);
CREATE INDEX mandats_search ON mandats USING gin (search);
CREATE INDEX mandats_trgm ON mandats USING gin (search_name gin_trgm_ops);

CREATE TABLE interactions (
  id               uuid PRIMARY KEY,
  version          bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  created_by       uuid REFERENCES users (id),
  updated_by       uuid REFERENCES users (id),
  owner_id         uuid REFERENCES users (id),
  team_id          uuid REFERENCES teams (id),
  deleted          boolean NOT NULL DEFAULT false,
  type             text NOT NULL CHECK (type IN ('call', 'meeting', 'email', 'note', 'event')),
  occurred_at      timestamptz NOT NULL,
  organisation_id  uuid REFERENCES organisations (id),
  participant_ids  uuid[],
  subject          text NOT NULL,
  body             text,
  outcome          text,
  created_seq      bigint NOT NULL,
  stamps           jsonb NOT NULL DEFAULT '{}',
  search_name      text GENERATED ALWAYS AS (crm_fold (subject)) STORED,
  search           tsvector GENERATED ALWAYS AS (
                     setweight (to_tsvector ('french', crm_fold (coalesce (subject, ''))), 'A') ||
                     setweight (to_tsvector ('french', crm_fold (coalesce (outcome, ''))), 'B') ||
                     setweight (to_tsvector ('french', crm_fold (coalesce (body, ''))), 'C'))
                   STORED
);
CREATE INDEX interactions_occurred ON interactions (occurred_at, id) WHERE NOT deleted;
CREATE INDEX interactions_organisation ON interactions (organisation_id, occurred_at, id)
  WHERE NOT deleted;
CREATE INDEX interactions_type ON interactions (type, id) WHERE NOT deleted;
CREATE INDEX interactions_updated ON interactions (updated_at, id) WHERE NOT deleted;
CREATE INDEX interactions_owner ON interactions (owner_id, id);
CREATE INDEX interactions_team ON interactions (team_id, id);
CREATE INDEX interactions_participants ON interactions USING gin (participant_ids);
CREATE INDEX interactions_search ON interactions USING gin (search);
CREATE INDEX interactions_trgm ON interactions USING gin (search_name gin_trgm_ops);

CREATE TABLE tasks (
  id               uuid PRIMARY KEY,
  version          bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  created_by       uuid REFERENCES users (id),
  updated_by       uuid REFERENCES users (id),
  owner_id         uuid REFERENCES users (id),
  team_id          uuid REFERENCES teams (id),
  deleted          boolean NOT NULL DEFAULT false,
  title            text NOT NULL,
  description      text,
  due_at           timestamptz,
  priority         text CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status           text CHECK (status IN ('todo', 'in_progress', 'done', 'cancelled')),
  assignee_id      uuid REFERENCES users (id),
  organisation_id  uuid REFERENCES organisations (id),
  person_id        uuid REFERENCES people (id),
  mandat_id        uuid REFERENCES mandats (id),
  created_seq      bigint NOT NULL,
  stamps           jsonb NOT NULL DEFAULT '{}',
  search_name      text GENERATED ALWAYS AS (crm_fold (title)) STORED,
  search           tsvector GENERATED ALWAYS AS (
                     setweight (to_tsvector ('french', crm_fold (coalesce (title, ''))), 'A') ||
                     setweight (to_tsvector ('french', crm_fold (coalesce (description, ''))), 'C'))
                   STORED
);
CREATE INDEX tasks_due ON tasks (due_at, id) WHERE NOT deleted;
CREATE INDEX tasks_assignee ON tasks (assignee_id, due_at, id) WHERE NOT deleted;
CREATE INDEX tasks_status ON tasks (status, id) WHERE NOT deleted;
CREATE INDEX tasks_priority ON tasks (priority, id) WHERE NOT deleted;
CREATE INDEX tasks_organisation ON tasks (organisation_id, id) WHERE NOT deleted;
CREATE INDEX tasks_person ON tasks (person_id, id) WHERE NOT deleted;
CREATE INDEX tasks_mandat ON tasks (mandat_id, id) WHERE NOT deleted;
CREATE INDEX tasks_updated ON tasks (updated_at, id) WHERE NOT deleted;
CREATE INDEX tasks_owner ON tasks (owner_id, id);
CREATE INDEX tasks_team ON tasks (team_id, id);
CREATE INDEX tasks_assignee_all ON tasks (assignee_id, id);
CREATE INDEX tasks_search ON tasks USING gin (search);
CREATE INDEX tasks_trgm ON tasks USING gin (search_name gin_trgm_ops);

-- A notification belongs to its recipient alone, whatever the reader's scope; the
-- store keeps owner_id = user_id so the change log's visibility columns say so too.
CREATE TABLE notifications (
  id           uuid PRIMARY KEY,
  version      bigint NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  created_by   uuid REFERENCES users (id),
  updated_by   uuid REFERENCES users (id),
  owner_id     uuid REFERENCES users (id),
  team_id      uuid REFERENCES teams (id),
  deleted      boolean NOT NULL DEFAULT false,
  user_id      uuid NOT NULL REFERENCES users (id),
  type         text NOT NULL CHECK (type IN ('task_assigned', 'task_due_soon', 'task_overdue',
                                             'task_completed', 'mandat_signed',
                                             'mandat_expiring', 'mandat_expired',
                                             'organisation_assigned', 'pipeline_changed',
                                             'interaction_created', 'mention',
                                             'import_finished', 'export_ready',
                                             'webhook_failing', 'sync_conflict')),
  priority     text CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  title        text NOT NULL,
  message      text,
  link_entity  text CHECK (link_entity IN ('organisation', 'person', 'link', 'mandat',
                                           'interaction', 'task')),
  link_id      uuid,
  is_read      boolean,
  is_archived  boolean,
  expires_at   timestamptz,
  created_seq  bigint NOT NULL,
  stamps       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX notifications_user ON notifications (user_id, created_at, id) WHERE NOT deleted;
CREATE INDEX notifications_unread ON notifications (user_id, id)
  WHERE NOT deleted AND NOT coalesce (is_read, false);
CREATE INDEX notifications_expires ON notifications (expires_at) WHERE expires_at IS NOT NULL;
