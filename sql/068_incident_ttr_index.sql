-- Incidents by time to restore (restored at or after their opening): an incident list sorted by
-- it walks this index to find its page (sql/figures/incident-list.sql) instead of reading every
-- incident of its population. At 10 M incidents (297 MB, built in 7 s) a year's MTRS list of
-- one category, longest restore first, took 1.6-1.8 s, a year's breached list 3.0-3.3 s.
create index incident_ttr_idx on incident ((restored_at - opened_at)) where restored_at >= opened_at;
