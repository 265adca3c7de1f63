-- The summary's exact percentiles and partial days are index-only reads of rollup_contrib and
-- incident, and an index-only read fetches the row after all on every page changed since the
-- table's last vacuum (only a vacuum marks a page all-visible again). A refresh rewrites each
-- changed incident's rows in both tables, on pages spread over the year. By default autovacuum
-- waits for a fifth of a table to change. Measured at 1 M incidents, a year with two filters
-- (~59 500 durations): 100-110 ms after a vacuum; 101-137 ms after 1 000 and 2 000 random
-- changes; 167-171 ms after 5 000, when its read fetched most rows; 213-244 ms after 26 000.
-- Vacuuming after every 0.1 % of the rows changed or added keeps that within about a tenth. Each
-- such vacuum reads the changed pages and scans the indexes once, in the background: 0.29 s for
-- rollup_contrib and 0.34 s for incident at 1 M.
alter table incident set (autovacuum_vacuum_scale_factor = 0.001, autovacuum_vacuum_insert_scale_factor = 0.001);
alter table rollup_contrib set (autovacuum_vacuum_scale_factor = 0.001, autovacuum_vacuum_insert_scale_factor = 0.001);
