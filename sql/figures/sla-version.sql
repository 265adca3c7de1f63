-- The last incident version the SLA engine has evaluated (its watermark, sla.engine.ts), as text:
-- '0' before its first pass.
select coalesce((select version from derived_watermark where name = 'sla'), 0)::text as version
