-- Three indexes of 001 and 020 lead with the same column as a covering index of 041/044 that
-- carries more: every query that used them can read the covering one instead, and each index
-- costs the import an insertion per incident (11 indexes on incident before this, 8 after).
drop index if exists incident_restored_idx;
drop index if exists incident_opened_idx;
drop index if exists incident_acknowledged_idx;
