-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The change log's six visibility indexes (owner, team and assignee, before and after)
-- served a pull that asked for every visible change after the cursor. A pull now reads
-- a bounded window of the log by its primary key and filters it (crm-pg-pull.c), and
-- the WebSocket hub reads a range of the primary key too: no statement uses them, and
-- every change paid six index insertions for them (a push op, and each row of a seed).
-- The index of a row's changes (entity, entity_id, seq) stays.

DROP INDEX IF EXISTS change_log_owner_after;
DROP INDEX IF EXISTS change_log_team_after;
DROP INDEX IF EXISTS change_log_assignee_after;
DROP INDEX IF EXISTS change_log_owner_before;
DROP INDEX IF EXISTS change_log_team_before;
DROP INDEX IF EXISTS change_log_assignee_before;
