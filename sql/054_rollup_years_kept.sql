-- Yearly histograms are kept for the source and priority levels only (YEAR_HIST_LEVELS in
-- server/src/rollups/rollups.sql.ts): a category's or assignment group's year merges its twelve
-- monthly histograms instead. Their yearly rows would no longer be kept up to date, so they go.
delete from rollup_hist h
 using rollup_cell k
 where h.cell = k.id and k.level in (13, 14) and h.grain = 'y';
