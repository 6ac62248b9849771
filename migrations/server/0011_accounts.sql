-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Accounts and permissions (DESIGN.md §5): teams, roles with their level and
-- visibility scope, the role × resource × action matrix, users, refresh tokens and
-- the failed-login log that several server instances share.

CREATE TABLE teams (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length (btrim (name)) BETWEEN 1 AND 120),
  created_at  timestamptz NOT NULL DEFAULT now ()
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower (name));

CREATE TABLE roles (
  name   text PRIMARY KEY,
  level  integer NOT NULL UNIQUE,
  scope  text NOT NULL CHECK (scope IN ('own', 'team', 'all')),
  label  text NOT NULL
);

INSERT INTO roles (name, level, scope, label) VALUES
  ('admin', 3, 'all', 'Administrateur'),
  ('manager', 2, 'team', 'Responsable'),
  ('user', 1, 'own', 'Conseiller'),
  ('viewer', 0, 'team', 'Lecteur');

-- A row means "allowed"; a missing row means "denied", so a typo can only close a door.
CREATE TABLE permissions (
  role      text NOT NULL REFERENCES roles (name) ON UPDATE CASCADE ON DELETE CASCADE,
  resource  text NOT NULL CHECK (resource IN ('organisations', 'people', 'mandats',
                                              'interactions', 'tasks', 'documents', 'users',
                                              'roles', 'teams', 'settings', 'reports',
                                              'webhooks')),
  action    text NOT NULL CHECK (action IN ('read', 'create', 'update', 'delete', 'export',
                                            'import', 'manage')),
  PRIMARY KEY (role, resource, action)
);

-- The default matrix of core/crm-permissions.c (docs/PERMISSIONS.md), cell for cell;
-- tests/server/store/test-store-migrate.c compares the two.
INSERT INTO permissions (role, resource, action)
SELECT role, resource, unnest (actions)
  FROM (VALUES
    ('admin', 'organisations', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'people', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'mandats', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'interactions', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'tasks', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'documents', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'users', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'roles', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'teams', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'settings', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'reports', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('admin', 'webhooks', ARRAY['read', 'create', 'update', 'delete', 'export', 'import', 'manage']),
    ('manager', 'organisations', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'people', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'mandats', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'interactions', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'tasks', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'documents', ARRAY['read', 'create', 'update', 'delete', 'export', 'import']),
    ('manager', 'users', ARRAY['read']),
    ('manager', 'roles', ARRAY['read']),
    ('manager', 'teams', ARRAY['read']),
    ('manager', 'settings', ARRAY['read']),
    ('manager', 'reports', ARRAY['read', 'export']),
    ('user', 'organisations', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'people', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'mandats', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'interactions', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'tasks', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'documents', ARRAY['read', 'create', 'update', 'delete', 'export']),
    ('user', 'users', ARRAY['read']),
    ('user', 'teams', ARRAY['read']),
    ('user', 'reports', ARRAY['read']),
    ('viewer', 'organisations', ARRAY['read']),
    ('viewer', 'people', ARRAY['read']),
    ('viewer', 'mandats', ARRAY['read']),
    ('viewer', 'interactions', ARRAY['read']),
    ('viewer', 'tasks', ARRAY['read']),
    ('viewer', 'documents', ARRAY['read']),
    ('viewer', 'users', ARRAY['read']),
    ('viewer', 'teams', ARRAY['read']),
    ('viewer', 'reports', ARRAY['read'])
  ) AS seed (role, resource, actions);

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  email          text NOT NULL CHECK (length (email) BETWEEN 3 AND 254),
  display_name   text NOT NULL CHECK (length (btrim (display_name)) BETWEEN 1 AND 200),
  password_hash  text NOT NULL,
  role           text NOT NULL REFERENCES roles (name) ON UPDATE CASCADE,
  team_id        uuid REFERENCES teams (id),
  locale         text NOT NULL DEFAULT 'fr_FR',
  is_active      boolean NOT NULL DEFAULT true,
  -- Bumped when the role or the team changes: the app then re-syncs from zero
  -- (DESIGN.md §4), and refresh tokens issued under an older epoch stop working.
  epoch          bigint NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now (),
  updated_at     timestamptz NOT NULL DEFAULT now (),
  last_login_at  timestamptz
);
-- "Alice@Alforis.fr" and "alice@alforis.fr" are one account.
CREATE UNIQUE INDEX users_email_key ON users (lower (email));
CREATE INDEX users_team ON users (team_id);

CREATE TABLE refresh_tokens (
  token_hash         text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  family_id          uuid NOT NULL,
  user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  epoch              bigint NOT NULL,
  issued_at          timestamptz NOT NULL DEFAULT now (),
  expires_at         timestamptz NOT NULL,
  family_expires_at  timestamptz,
  used_at            timestamptz,
  revoked_at         timestamptz,
  replaced_by        text
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

-- Shared between instances so a rate limit holds behind a load balancer; old rows are
-- pruned by time.
CREATE TABLE login_failures (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_key  text,
  address    text,
  at         timestamptz NOT NULL DEFAULT now ()
);
CREATE INDEX login_failures_email ON login_failures (email_key, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);
