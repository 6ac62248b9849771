-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Sync state beyond the cursor (issue 5).
--
-- A conflict keeps the server's id of its record: the author's choice is reported
-- to the server once ("reported"), which closes the record there, and a record that
-- comes again (another page, an epoch re-sync) is recognised by that id, resolved or
-- not, instead of showing up once more.
ALTER TABLE conflicts ADD COLUMN server_id TEXT;
ALTER TABLE conflicts ADD COLUMN reported INTEGER NOT NULL DEFAULT 0 CHECK (reported IN (0, 1));
CREATE INDEX conflicts_server_id ON conflicts (server_id) WHERE server_id IS NOT NULL;

-- An epoch re-sync (DESIGN.md §4) downloads the new view from cursor 0, then revokes
-- what it did not bring. What it has brought so far is kept here, written with each
-- page in the page's transaction, so a re-sync interrupted by a restart resumes where
-- it was and still knows what to keep at its end. sync_state.resync says one runs.
CREATE TABLE resync_seen (
  entity  TEXT NOT NULL,
  row_id  TEXT NOT NULL,
  PRIMARY KEY (entity, row_id)
) WITHOUT ROWID;
ALTER TABLE sync_state ADD COLUMN resync INTEGER NOT NULL DEFAULT 0 CHECK (resync IN (0, 1));
