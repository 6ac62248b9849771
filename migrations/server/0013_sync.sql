-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Sync bookkeeping (DESIGN.md §4), the transactional outbox of events and the
-- webhook queue (§7), and the audit trail.

-- The global change sequence. Writers take their number with
--   UPDATE sync_counter SET seq = seq + 1 RETURNING seq
-- inside the writing transaction; the row lock is held until commit, so numbers are
-- handed out and committed in the same order and a pull that has seen N has seen
-- every change below N ("no skipped commits").
CREATE TABLE sync_counter (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL CHECK (seq >= 0)
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

-- One row per committed change. Visibility before and after lets a pull send the row
-- to whoever may see it now and a revoke to whoever could see it and no longer can.
CREATE TABLE change_log (
  seq              bigint PRIMARY KEY,
  entity           text NOT NULL,
  entity_id        uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'restore')),
  version          bigint NOT NULL,
  deleted          boolean NOT NULL,
  owner_before     uuid,
  team_before      uuid,
  assignee_before  uuid,
  owner_after      uuid,
  team_after       uuid,
  assignee_after   uuid,
  user_id          uuid,
  client_id        text,
  committed_at     timestamptz NOT NULL DEFAULT now ()
);
CREATE INDEX change_log_row ON change_log (entity, entity_id, seq);
CREATE INDEX change_log_owner_after ON change_log (owner_after, seq);
CREATE INDEX change_log_team_after ON change_log (team_after, seq);
CREATE INDEX change_log_assignee_after ON change_log (assignee_after, seq);
CREATE INDEX change_log_owner_before ON change_log (owner_before, seq);
CREATE INDEX change_log_team_before ON change_log (team_before, seq);
CREATE INDEX change_log_assignee_before ON change_log (assignee_before, seq);

-- Push idempotency: the first result of (client_id, op_id) is the only one.
CREATE TABLE applied_ops (
  client_id   text NOT NULL,
  op_id       text NOT NULL,
  user_id     uuid,
  entity      text NOT NULL,
  entity_id   uuid,
  result      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now (),
  PRIMARY KEY (client_id, op_id)
);
CREATE INDEX applied_ops_created ON applied_ops (created_at);

-- An incoming value that did not apply because someone else changed the field after
-- the author's base version ("mine" = the author's value, "theirs" = the committed
-- one). seq comes from the change sequence so a pull delivers it to its author.
CREATE TABLE conflicts (
  id              uuid PRIMARY KEY,
  seq             bigint NOT NULL,
  entity          text NOT NULL,
  entity_id       uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('field', 'deleted')),
  field           text,
  mine            jsonb,
  theirs          jsonb,
  theirs_version  bigint,
  theirs_user     uuid,
  theirs_client   text,
  by_user         uuid,
  by_client       text,
  op_id           text,
  at              timestamptz NOT NULL DEFAULT now (),
  resolved        boolean NOT NULL DEFAULT false,
  resolved_at     timestamptz,
  CHECK ((kind = 'field') = (field IS NOT NULL))
);
CREATE INDEX conflicts_author ON conflicts (by_user, seq);
CREATE INDEX conflicts_row ON conflicts (entity, entity_id) WHERE NOT resolved;

-- Transactional outbox: written in the mutation's transaction, read by the
-- dispatchers (notifications, webhooks) after commit.
CREATE TABLE events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type           text NOT NULL,
  entity         text NOT NULL,
  entity_id      uuid NOT NULL,
  seq            bigint,
  user_id        uuid,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now (),
  dispatched     boolean NOT NULL DEFAULT false,
  dispatched_at  timestamptz
);
CREATE INDEX events_pending ON events (id) WHERE NOT dispatched;
CREATE INDEX events_row ON events (entity, entity_id, id);

CREATE TABLE webhooks (
  id             uuid PRIMARY KEY,
  url            text NOT NULL,
  description    text,
  events         text[] NOT NULL DEFAULT '{}',
  secret         text NOT NULL,
  is_active      boolean NOT NULL DEFAULT true,
  failure_count  integer NOT NULL DEFAULT 0,
  disabled_at    timestamptz,
  created_by     uuid REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now (),
  updated_at     timestamptz NOT NULL DEFAULT now ()
);

-- One row per (webhook, event); attempts update it. status pending -> delivered, or
-- failed after the retry bound. next_attempt_at orders the queue, which instances
-- share with SELECT ... FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id         bigint NOT NULL REFERENCES events (id),
  event_type       text NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now (),
  last_attempt_at  timestamptz,
  response_status  integer,
  response_body    text,
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now (),
  delivered_at     timestamptz,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE audit (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now (),
  user_id    uuid,
  client_id  text,
  action     text NOT NULL,
  entity     text,
  entity_id  text,
  details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_row ON audit (entity, entity_id, at);
CREATE INDEX audit_user ON audit (user_id, at);
