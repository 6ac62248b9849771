-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The local replica (DESIGN.md §3–4): the seven synced entities, the outbox of
-- local operations, field history, sync state, conflicts, rejections, quarantine,
-- and the full-text indexes.
--
-- Conventions, shared with the C code that composes SQL from core/crm-schema.c:
-- * one column per field of the entity table, same name; TAGS and UUID_LIST hold
--   a JSON array as text, BOOL 0/1, DECIMAL REAL, INT INTEGER, everything else TEXT;
-- * `rid INTEGER PRIMARY KEY` is a local, stable row number: FTS5 external content
--   needs an integer key that VACUUM never renumbers, and it is the keyset
--   tie-breaker every index carries for free. The sync id is `id`.
-- * references between synced rows (organisation_id, person_id...) have no FOREIGN
--   KEY: the server decides what this user may see, so a replica legitimately holds
--   a task whose organisation it cannot see, and pull pages arrive in any order.
--   Local writes check their references in C instead.
-- * columns people sort and filter on by name use COLLATE NOCASE, so "lyon" equals
--   "Lyon" and the sort indexes serve the keyset comparisons directly;
-- * list indexes are partial (WHERE deleted = 0): lists never show tombstones, and
--   the queries spell `deleted = 0` literally so the planner can use them.
-- * crm_fold(), crm_terms() and crm_indexed() are SQL functions the store
--   registers on every connection (crm-replica-search.c): the first folds œ/æ/ß,
--   which unicode61 does not, the second extracts the words fed to the vocabulary
--   (search_terms), the third defers indexing during bulk loads.

CREATE TABLE organisations (
  rid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  version        INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT,
  updated_at     TEXT,
  created_by     TEXT,
  updated_by     TEXT,
  owner_id       TEXT,
  team_id        TEXT,
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  name           TEXT COLLATE NOCASE,
  type           TEXT,
  category       TEXT,
  pipeline_stage TEXT,
  email          TEXT,
  phone          TEXT,
  website        TEXT,
  address        TEXT,
  postal_code    TEXT,
  city           TEXT COLLATE NOCASE,
  country        TEXT,
  language       TEXT,
  aum_eur        REAL,
  notes          TEXT,
  is_active      INTEGER CHECK (is_active IN (0, 1)),
  tags           TEXT CHECK (tags IS NULL OR json_type (tags) = 'array')
);

CREATE INDEX organisations_name ON organisations (name) WHERE deleted = 0;
CREATE INDEX organisations_type ON organisations (type, name) WHERE deleted = 0;
CREATE INDEX organisations_category ON organisations (category, name) WHERE deleted = 0;
CREATE INDEX organisations_stage ON organisations (pipeline_stage, name) WHERE deleted = 0;
CREATE INDEX organisations_city ON organisations (city, name) WHERE deleted = 0;
CREATE INDEX organisations_country ON organisations (country, name) WHERE deleted = 0;
CREATE INDEX organisations_owner ON organisations (owner_id, name) WHERE deleted = 0;
CREATE INDEX organisations_active ON organisations (is_active, name) WHERE deleted = 0;
CREATE INDEX organisations_updated ON organisations (updated_at) WHERE deleted = 0;
CREATE INDEX organisations_created ON organisations (created_at) WHERE deleted = 0;
CREATE INDEX organisations_aum ON organisations (aum_eur) WHERE deleted = 0;

CREATE TABLE people (
  rid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  version        INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT,
  updated_at     TEXT,
  created_by     TEXT,
  updated_by     TEXT,
  owner_id       TEXT,
  team_id        TEXT,
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  first_name     TEXT COLLATE NOCASE,
  last_name      TEXT COLLATE NOCASE,
  personal_email TEXT,
  personal_phone TEXT,
  mobile         TEXT,
  job_title      TEXT COLLATE NOCASE,
  linkedin_url   TEXT,
  language       TEXT,
  notes          TEXT,
  is_active      INTEGER CHECK (is_active IN (0, 1)),
  tags           TEXT CHECK (tags IS NULL OR json_type (tags) = 'array')
);

CREATE INDEX people_last_name ON people (last_name) WHERE deleted = 0;
CREATE INDEX people_first_name ON people (first_name) WHERE deleted = 0;
CREATE INDEX people_language ON people (language, last_name) WHERE deleted = 0;
CREATE INDEX people_owner ON people (owner_id, last_name) WHERE deleted = 0;
CREATE INDEX people_updated ON people (updated_at) WHERE deleted = 0;

CREATE TABLE links (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  version         INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT,
  updated_at      TEXT,
  created_by      TEXT,
  updated_by      TEXT,
  owner_id        TEXT,
  team_id         TEXT,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  person_id       TEXT,
  organisation_id TEXT,
  role            TEXT COLLATE NOCASE,
  work_email      TEXT,
  work_phone      TEXT,
  is_primary      INTEGER CHECK (is_primary IN (0, 1)),
  start_date      TEXT,
  end_date        TEXT
);

CREATE INDEX links_organisation ON links (organisation_id, is_primary) WHERE deleted = 0;
CREATE INDEX links_person ON links (person_id, organisation_id) WHERE deleted = 0;

CREATE TABLE mandats (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  version         INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT,
  updated_at      TEXT,
  created_by      TEXT,
  updated_by      TEXT,
  owner_id        TEXT,
  team_id         TEXT,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  organisation_id TEXT,
  number          TEXT COLLATE NOCASE,
  type            TEXT,
  status          TEXT,
  signed_at       TEXT,
  start_date      TEXT,
  end_date        TEXT,
  products        TEXT,
  fee_terms       TEXT,
  notes           TEXT
);

-- Not UNIQUE: the server owns uniqueness, and a pull page may carry a renumbering
-- (A→B, B→A) whose intermediate state would fail a unique index. Local writes check.
CREATE INDEX mandats_number ON mandats (number) WHERE deleted = 0;
CREATE INDEX mandats_organisation ON mandats (organisation_id, number) WHERE deleted = 0;
CREATE INDEX mandats_status ON mandats (status, number) WHERE deleted = 0;
CREATE INDEX mandats_end ON mandats (end_date) WHERE deleted = 0;
CREATE INDEX mandats_signed ON mandats (signed_at) WHERE deleted = 0;

CREATE TABLE interactions (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  version         INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT,
  updated_at      TEXT,
  created_by      TEXT,
  updated_by      TEXT,
  owner_id        TEXT,
  team_id         TEXT,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  type            TEXT,
  occurred_at     TEXT,
  organisation_id TEXT,
  participant_ids TEXT CHECK (participant_ids IS NULL OR json_type (participant_ids) = 'array'),
  subject         TEXT COLLATE NOCASE,
  body            TEXT,
  outcome         TEXT
);

CREATE INDEX interactions_occurred ON interactions (occurred_at) WHERE deleted = 0;
CREATE INDEX interactions_organisation ON interactions (organisation_id, occurred_at) WHERE deleted = 0;
CREATE INDEX interactions_type ON interactions (type, occurred_at) WHERE deleted = 0;

-- participant_ids is a JSON array; this side table makes "interactions of a person"
-- an index lookup instead of a json_each scan of every interaction.
CREATE TABLE interaction_participants (
  person_id       TEXT NOT NULL,
  interaction_rid INTEGER NOT NULL REFERENCES interactions (rid) ON DELETE CASCADE,
  PRIMARY KEY (person_id, interaction_rid)
) WITHOUT ROWID;
CREATE INDEX interaction_participants_rid ON interaction_participants (interaction_rid);

CREATE TRIGGER interactions_participants_ai AFTER INSERT ON interactions BEGIN
  INSERT OR IGNORE INTO interaction_participants (person_id, interaction_rid)
    SELECT value, new.rid FROM json_each (new.participant_ids) WHERE type = 'text';
END;
CREATE TRIGGER interactions_participants_au AFTER UPDATE OF participant_ids ON interactions BEGIN
  DELETE FROM interaction_participants WHERE interaction_rid = old.rid;
  INSERT OR IGNORE INTO interaction_participants (person_id, interaction_rid)
    SELECT value, new.rid FROM json_each (new.participant_ids) WHERE type = 'text';
END;

CREATE TABLE tasks (
  rid             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  version         INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT,
  updated_at      TEXT,
  created_by      TEXT,
  updated_by      TEXT,
  owner_id        TEXT,
  team_id         TEXT,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  title           TEXT COLLATE NOCASE,
  description     TEXT,
  due_at          TEXT,
  priority        TEXT,
  status          TEXT,
  assignee_id     TEXT,
  organisation_id TEXT,
  person_id       TEXT,
  mandat_id       TEXT
);

CREATE INDEX tasks_due ON tasks (due_at) WHERE deleted = 0;
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_at) WHERE deleted = 0;
CREATE INDEX tasks_status ON tasks (status, due_at) WHERE deleted = 0;
CREATE INDEX tasks_organisation ON tasks (organisation_id, due_at) WHERE deleted = 0;
CREATE INDEX tasks_person ON tasks (person_id, due_at) WHERE deleted = 0;
CREATE INDEX tasks_mandat ON tasks (mandat_id, due_at) WHERE deleted = 0;

CREATE TABLE notifications (
  rid         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  version     INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT,
  updated_at  TEXT,
  created_by  TEXT,
  updated_by  TEXT,
  owner_id    TEXT,
  team_id     TEXT,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  user_id     TEXT,
  type        TEXT,
  priority    TEXT,
  title       TEXT COLLATE NOCASE,
  message     TEXT,
  link_entity TEXT,
  link_id     TEXT,
  is_read     INTEGER CHECK (is_read IN (0, 1)),
  is_archived INTEGER CHECK (is_archived IN (0, 1)),
  expires_at  TEXT
);

CREATE INDEX notifications_user ON notifications (user_id, is_read, created_at) WHERE deleted = 0;
CREATE INDEX notifications_created ON notifications (created_at) WHERE deleted = 0;

-- Local operations waiting for the server, in the order they were made (DESIGN.md §4).
-- `fields` is a JSON object of the changed fields only. An op the sync engine has
-- sent is in_flight: it is never coalesced again, because the server may already
-- have applied it.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id        TEXT NOT NULL UNIQUE,
  entity       TEXT NOT NULL,
  row_id       TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'restore')),
  base_version INTEGER NOT NULL,
  fields       TEXT NOT NULL DEFAULT '{}' CHECK (json_type (fields) = 'object'),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  in_flight    INTEGER NOT NULL DEFAULT 0 CHECK (in_flight IN (0, 1)),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT
);
CREATE INDEX outbox_row ON outbox (entity, row_id, seq);

-- Every applied change, local or pulled, so a record's history shows offline.
-- Values are in their wire text form (crm_record_dup_text).
CREATE TABLE field_history (
  hid        INTEGER PRIMARY KEY,
  entity     TEXT NOT NULL,
  row_id     TEXT NOT NULL,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  changed_by TEXT,
  changed_at TEXT NOT NULL,
  op_kind    TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('local', 'remote')),
  version    INTEGER
);
CREATE INDEX field_history_row ON field_history (entity, row_id, changed_at);
CREATE INDEX field_history_time ON field_history (changed_at);

-- One row: who this replica is and where it stands with the server.
CREATE TABLE sync_state (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  client_id    TEXT NOT NULL,
  cursor       INTEGER NOT NULL DEFAULT 0,
  epoch        INTEGER NOT NULL DEFAULT 0,
  user_id      TEXT,
  team_id      TEXT,
  last_pull_at TEXT,
  last_push_at TEXT
);

-- Fields the server kept its own value for (DESIGN.md §4), shown on the record with
-- "garder la mienne / garder la leur". kind 'deleted' has no field.
CREATE TABLE conflicts (
  cid         INTEGER PRIMARY KEY,
  entity      TEXT NOT NULL,
  row_id      TEXT NOT NULL,
  field       TEXT,
  kind        TEXT NOT NULL DEFAULT 'field' CHECK (kind IN ('field', 'deleted')),
  mine        TEXT,
  theirs      TEXT,
  by_user     TEXT,
  at          TEXT,
  op_id       TEXT,
  resolved    INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX conflicts_row ON conflicts (entity, row_id) WHERE resolved = 0;

-- Ops the server refused with a 4xx: out of the queue, kept for the user to fix.
CREATE TABLE rejections (
  jid          INTEGER PRIMARY KEY,
  op_id        TEXT NOT NULL UNIQUE,
  entity       TEXT NOT NULL,
  row_id       TEXT NOT NULL,
  kind         TEXT NOT NULL,
  base_version INTEGER NOT NULL,
  fields       TEXT NOT NULL,
  problem      TEXT,
  rejected_at  TEXT NOT NULL,
  dismissed    INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1))
);

-- Local edits to rows the server revoked from this user: never dropped, shown.
CREATE TABLE quarantine (
  qid            INTEGER PRIMARY KEY,
  op_id          TEXT,
  entity         TEXT NOT NULL,
  row_id         TEXT NOT NULL,
  kind           TEXT,
  base_version   INTEGER,
  fields         TEXT,
  row_data       TEXT,
  reason         TEXT NOT NULL,
  quarantined_at TEXT NOT NULL
);

-- Full text (issue 3 "Search"). External content: the text lives once, in the entity
-- tables; triggers keep the indexes current. prefix='2 3' makes search-as-you-type
-- on a short last word an index lookup instead of a scan of every term.
CREATE VIRTUAL TABLE organisations_fts USING fts5 (
  name, email, city, notes, tags,
  content = 'organisations', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE people_fts USING fts5 (
  first_name, last_name, personal_email, job_title, notes,
  content = 'people', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE mandats_fts USING fts5 (
  number, products, notes,
  content = 'mandats', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE interactions_fts USING fts5 (
  subject, body,
  content = 'interactions', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE tasks_fts USING fts5 (
  title, description,
  content = 'tasks', content_rowid = 'rid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

-- Only live rows are indexed: a tombstone leaves the index and a restore puts
-- the row back, so a search needs no join to skip deleted rows. On an update the
-- old text leaves before the new one comes in (FTS5 deletes per token and row).
-- crm_indexed (table, rid) is true except for rows inserted during a bulk load
-- (demo data, a pull page): SQLite 3.40's FTS5 flushes its pending terms at every
-- statement savepoint, so a row-by-row trigger costs 20 times an INSERT ... SELECT
-- over the whole batch, which is what the store runs at the end of the load.
CREATE TRIGGER organisations_fts_ai AFTER INSERT ON organisations
  WHEN crm_indexed ('organisations', new.rid) BEGIN
  INSERT INTO organisations_fts (rowid, name, email, city, notes, tags)
    SELECT new.rid, crm_fold (new.name), new.email, crm_fold (new.city), crm_fold (new.notes), crm_fold (new.tags)
    WHERE new.deleted = 0;
END;
CREATE TRIGGER organisations_fts_ad AFTER DELETE ON organisations
  WHEN crm_indexed ('organisations', old.rid) BEGIN
  INSERT INTO organisations_fts (organisations_fts, rowid, name, email, city, notes, tags)
    SELECT 'delete', old.rid, crm_fold (old.name), old.email, crm_fold (old.city), crm_fold (old.notes), crm_fold (old.tags)
    WHERE old.deleted = 0;
END;
CREATE TRIGGER organisations_fts_au AFTER UPDATE OF name, email, city, notes, tags, deleted ON organisations
  WHEN crm_indexed ('organisations', new.rid) BEGIN
  INSERT INTO organisations_fts (organisations_fts, rowid, name, email, city, notes, tags)
    SELECT 'delete', old.rid, crm_fold (old.name), old.email, crm_fold (old.city), crm_fold (old.notes), crm_fold (old.tags)
    WHERE old.deleted = 0;
  INSERT INTO organisations_fts (rowid, name, email, city, notes, tags)
    SELECT new.rid, crm_fold (new.name), new.email, crm_fold (new.city), crm_fold (new.notes), crm_fold (new.tags)
    WHERE new.deleted = 0;
END;

CREATE TRIGGER people_fts_ai AFTER INSERT ON people
  WHEN crm_indexed ('people', new.rid) BEGIN
  INSERT INTO people_fts (rowid, first_name, last_name, personal_email, job_title, notes)
    SELECT new.rid, crm_fold (new.first_name), crm_fold (new.last_name), new.personal_email, crm_fold (new.job_title), crm_fold (new.notes)
    WHERE new.deleted = 0;
END;
CREATE TRIGGER people_fts_ad AFTER DELETE ON people
  WHEN crm_indexed ('people', old.rid) BEGIN
  INSERT INTO people_fts (people_fts, rowid, first_name, last_name, personal_email, job_title, notes)
    SELECT 'delete', old.rid, crm_fold (old.first_name), crm_fold (old.last_name), old.personal_email, crm_fold (old.job_title), crm_fold (old.notes)
    WHERE old.deleted = 0;
END;
CREATE TRIGGER people_fts_au AFTER UPDATE OF first_name, last_name, personal_email, job_title, notes, deleted ON people
  WHEN crm_indexed ('people', new.rid) BEGIN
  INSERT INTO people_fts (people_fts, rowid, first_name, last_name, personal_email, job_title, notes)
    SELECT 'delete', old.rid, crm_fold (old.first_name), crm_fold (old.last_name), old.personal_email, crm_fold (old.job_title), crm_fold (old.notes)
    WHERE old.deleted = 0;
  INSERT INTO people_fts (rowid, first_name, last_name, personal_email, job_title, notes)
    SELECT new.rid, crm_fold (new.first_name), crm_fold (new.last_name), new.personal_email, crm_fold (new.job_title), crm_fold (new.notes)
    WHERE new.deleted = 0;
END;

CREATE TRIGGER mandats_fts_ai AFTER INSERT ON mandats
  WHEN crm_indexed ('mandats', new.rid) BEGIN
  INSERT INTO mandats_fts (rowid, number, products, notes)
    SELECT new.rid, new.number, crm_fold (new.products), crm_fold (new.notes)
    WHERE new.deleted = 0;
END;
CREATE TRIGGER mandats_fts_ad AFTER DELETE ON mandats
  WHEN crm_indexed ('mandats', old.rid) BEGIN
  INSERT INTO mandats_fts (mandats_fts, rowid, number, products, notes)
    SELECT 'delete', old.rid, old.number, crm_fold (old.products), crm_fold (old.notes)
    WHERE old.deleted = 0;
END;
CREATE TRIGGER mandats_fts_au AFTER UPDATE OF number, products, notes, deleted ON mandats
  WHEN crm_indexed ('mandats', new.rid) BEGIN
  INSERT INTO mandats_fts (mandats_fts, rowid, number, products, notes)
    SELECT 'delete', old.rid, old.number, crm_fold (old.products), crm_fold (old.notes)
    WHERE old.deleted = 0;
  INSERT INTO mandats_fts (rowid, number, products, notes)
    SELECT new.rid, new.number, crm_fold (new.products), crm_fold (new.notes)
    WHERE new.deleted = 0;
END;

CREATE TRIGGER interactions_fts_ai AFTER INSERT ON interactions
  WHEN crm_indexed ('interactions', new.rid) BEGIN
  INSERT INTO interactions_fts (rowid, subject, body)
    SELECT new.rid, crm_fold (new.subject), crm_fold (new.body)
    WHERE new.deleted = 0;
END;
CREATE TRIGGER interactions_fts_ad AFTER DELETE ON interactions
  WHEN crm_indexed ('interactions', old.rid) BEGIN
  INSERT INTO interactions_fts (interactions_fts, rowid, subject, body)
    SELECT 'delete', old.rid, crm_fold (old.subject), crm_fold (old.body)
    WHERE old.deleted = 0;
END;
CREATE TRIGGER interactions_fts_au AFTER UPDATE OF subject, body, deleted ON interactions
  WHEN crm_indexed ('interactions', new.rid) BEGIN
  INSERT INTO interactions_fts (interactions_fts, rowid, subject, body)
    SELECT 'delete', old.rid, crm_fold (old.subject), crm_fold (old.body)
    WHERE old.deleted = 0;
  INSERT INTO interactions_fts (rowid, subject, body)
    SELECT new.rid, crm_fold (new.subject), crm_fold (new.body)
    WHERE new.deleted = 0;
END;

CREATE TRIGGER tasks_fts_ai AFTER INSERT ON tasks
  WHEN crm_indexed ('tasks', new.rid) BEGIN
  INSERT INTO tasks_fts (rowid, title, description)
    SELECT new.rid, crm_fold (new.title), crm_fold (new.description)
    WHERE new.deleted = 0;
END;
CREATE TRIGGER tasks_fts_ad AFTER DELETE ON tasks
  WHEN crm_indexed ('tasks', old.rid) BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description)
    SELECT 'delete', old.rid, crm_fold (old.title), crm_fold (old.description)
    WHERE old.deleted = 0;
END;
CREATE TRIGGER tasks_fts_au AFTER UPDATE OF title, description, deleted ON tasks
  WHEN crm_indexed ('tasks', new.rid) BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description)
    SELECT 'delete', old.rid, crm_fold (old.title), crm_fold (old.description)
    WHERE old.deleted = 0;
  INSERT INTO tasks_fts (rowid, title, description)
    SELECT new.rid, crm_fold (new.title), crm_fold (new.description)
    WHERE new.deleted = 0;
END;

-- The vocabulary: every distinct word of the indexed columns (folded to plain
-- lower-case ASCII, three characters or more) in search_terms. It serves twice:
-- * typo and substring tolerance: a trigram index over the words finds "generale"
--   from "genarale" or "nerale", and the store runs the word search again with them;
-- * search as you type: a long last word ("gestio") is expanded to the few words
--   it begins, which FTS5 streams, instead of a prefix query, which SQLite 3.40
--   materialises over every matching row.
-- crm_terms() returns only the words this connection has not seen yet, so a bulk
-- load costs one hash lookup per word. Words are never removed: a stale one only
-- yields a candidate that matches nothing.
CREATE TABLE search_terms (
  tid  INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_terms_tri USING fts5 (
  term, content = 'search_terms', content_rowid = 'tid', tokenize = 'trigram'
);
-- Words with digits (numbers, "dupont42" in an e-mail) are no typo candidates:
-- they stay out of the trigram index, which they would otherwise swell.
CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms
  WHEN new.term NOT GLOB '*[0-9]*' BEGIN
  INSERT INTO search_terms_tri (rowid, term) VALUES (new.tid, new.term);
END;

CREATE TRIGGER organisations_terms_ai AFTER INSERT ON organisations
  WHEN crm_indexed ('organisations', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.name, new.email, new.city, new.notes, new.tags));
END;
CREATE TRIGGER organisations_terms_au AFTER UPDATE OF name, email, city, notes, tags ON organisations
  WHEN crm_indexed ('organisations', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.name, new.email, new.city, new.notes, new.tags));
END;
CREATE TRIGGER people_terms_ai AFTER INSERT ON people
  WHEN crm_indexed ('people', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.first_name, new.last_name, new.personal_email,
                                            new.job_title, new.notes));
END;
CREATE TRIGGER people_terms_au AFTER UPDATE OF first_name, last_name, personal_email, job_title, notes ON people
  WHEN crm_indexed ('people', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.first_name, new.last_name, new.personal_email,
                                            new.job_title, new.notes));
END;
CREATE TRIGGER mandats_terms_ai AFTER INSERT ON mandats
  WHEN crm_indexed ('mandats', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.number, new.products, new.notes));
END;
CREATE TRIGGER mandats_terms_au AFTER UPDATE OF number, products, notes ON mandats
  WHEN crm_indexed ('mandats', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.number, new.products, new.notes));
END;
CREATE TRIGGER interactions_terms_ai AFTER INSERT ON interactions
  WHEN crm_indexed ('interactions', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.subject, new.body));
END;
CREATE TRIGGER interactions_terms_au AFTER UPDATE OF subject, body ON interactions
  WHEN crm_indexed ('interactions', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.subject, new.body));
END;
CREATE TRIGGER tasks_terms_ai AFTER INSERT ON tasks
  WHEN crm_indexed ('tasks', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.title, new.description));
END;
CREATE TRIGGER tasks_terms_au AFTER UPDATE OF title, description ON tasks
  WHEN crm_indexed ('tasks', new.rid) BEGIN
  INSERT OR IGNORE INTO search_terms (term)
    SELECT value FROM json_each (crm_terms (new.title, new.description));
END;
