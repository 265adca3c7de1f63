-- The SLA compliance report counts the incidents whose clock would stop before they were opened
-- (a data-quality gap, never met or breached). These partial indexes hold only those incidents,
-- so counting them in a window reads a handful of entries instead of scanning every incident
-- (90 ms at 1 M incidents, on every compliance request). The expressions are the SLA engine's
-- stops, written exactly as the report's query writes them.
create index incident_resolution_stop_gap_idx on incident ((coalesce(restored_at, closed_at)))
  where coalesce(restored_at, closed_at) < opened_at;
create index incident_response_stop_gap_idx on incident ((coalesce(acknowledged_at, restored_at, closed_at)))
  where coalesce(acknowledged_at, restored_at, closed_at) < opened_at;
