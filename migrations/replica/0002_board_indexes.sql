-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The pipeline board lists each stage's investors by assets, largest first: an
-- index that serves the filter and the order together, so a column of the board
-- costs a page read however many organisations the replica holds.

CREATE INDEX organisations_stage_aum ON organisations (pipeline_stage, aum_eur) WHERE deleted = 0;
