-- A 24x7 calendar runs around the clock, so working hours stored on one were ignored; since
-- they are refused (POST and PUT), a calendar that has them could not be sent back as it is
-- listed. They go. No clock changes: none of them read the hours.
update sla_calendar set weekly = '{}'::jsonb where kind = '24x7' and weekly <> '{}'::jsonb;
