import { clean } from '../import.fields';
import { timeProblem, TimeReader } from '../import.time';
import { columnIndex, isBlank, pick, Rejection, SourceRow, ImportRequestError } from '../import.types';
import { copyText } from '../import.copy';

export const ACTIVITY_TYPE_COLUMN = 'Detail Incident Activity.IncidentActivity_Type';

const NO_PLACEHOLDERS = new Set<string>();

export const CREATE_ACTIVITY = `
  create temp table if not exists import_activity (
    incident_id text not null, activity text not null, at timestamptz not null, assignment_group text, line int not null);
  truncate import_activity;
`;
export const COPY_ACTIVITY = 'copy import_activity (incident_id, activity, at, assignment_group, line) from stdin';
export const INDEX_ACTIVITY = `
  create index if not exists import_activity_incident_idx on import_activity (incident_id);
  analyze import_activity;
`;

/**
 * Turns the derived activity log's rows into COPY lines for import_activity. The file is not
 * sorted, so the rows go to PostgreSQL as they come and are grouped there, not in memory. Stray
 * byte-order marks inside Incident IDs are dropped (clean), so those rows join their incident.
 */
export async function* activityCopyLines(
  rows: AsyncIterable<SourceRow>,
  header: string[],
  time: TimeReader,
  reject: (rejection: Rejection) => void,
): AsyncGenerator<string> {
  const index = columnIndex(header);
  const id = pick(index, 'Incident ID');
  const type = pick(index, ACTIVITY_TYPE_COLUMN);
  const stamp = pick(index, 'Detail Incident Activity.DateStamp');
  const group = pick(index, 'Detail Incident Activity.Assignment Group');
  if (id < 0 || type < 0 || stamp < 0) throw new ImportRequestError('bpi2014 activity log: the header lacks Incident ID, type or DateStamp');

  let lines = '';
  let n = 0;
  for await (const row of rows) {
    if (!row.error && isBlank(row.values)) continue;
    const incidentId = clean(row.values[id], NO_PLACEHOLDERS);
    if (row.error) {
      reject({ line: row.line, field: row.error.field, reason: row.error.reason, externalId: incidentId });
      continue;
    }
    const activity = clean(row.values[type], NO_PLACEHOLDERS);
    const rawAt = clean(row.values[stamp], NO_PLACEHOLDERS);
    const at = rawAt === null ? undefined : time.read(rawAt);
    if (incidentId === null || activity === null || at === undefined) {
      const field = incidentId === null ? 'Incident ID' : activity === null ? 'IncidentActivity_Type' : 'DateStamp';
      reject({ line: row.line, field, reason: rawAt !== null && at === undefined ? timeProblem(rawAt) : 'missing', externalId: incidentId });
      continue;
    }
    const assignmentGroup = group < 0 ? null : clean(row.values[group], NO_PLACEHOLDERS);
    lines += `${copyText(incidentId)}\t${copyText(activity)}\t${at.toISOString()}\t${copyText(assignmentGroup)}\t${row.line}\n`;
    if (++n % 5_000 === 0) {
      yield lines;
      lines = '';
    }
  }
  if (lines !== '') yield lines;
}

/**
 * Which activities become events. Assignments carry the activity's group; status activities a
 * status name (Detail_Incident's open status is "Work in progress"; a Reopen returns to Open);
 * customer and vendor communications are updates to that audience. The rest (Operator Update,
 * Caused By CI, Quality Indicator, ...) are work notes without a value and make no event.
 */
const ACTIVITY_EVENTS = `(values
    ('Open', 'status', 'Open'), ('Reopen', 'status', 'Open'), ('Status Change', 'status', 'Work in progress'),
    ('Pending vendor', 'status', 'Pending vendor'), ('Resolved', 'status', 'Resolved'), ('Closed', 'status', 'Closed'),
    ('Assignment', 'assignment', null), ('Reassignment', 'assignment', null),
    ('External Vendor Assignment', 'assignment', null), ('External Vendor Reassignment', 'assignment', null),
    ('Communication with customer', 'update', 'customer'), ('Mail to Customer', 'update', 'customer'),
    ('Communication with vendor', 'update', 'vendor')
  ) as m (activity, kind, to_value)`;

/**
 * For the staged batch: events from the activity log (in time order, file order on ties; a
 * status or group equal to the one before is no change and makes no event), acknowledged_at from
 * the first Assignment or Operator Update, the number of Reassignment activities where
 * `# Reassignments` is empty, and the number of Reopen activities where it exceeds what `Reopen
 * Time` says (it holds only the last reopen, and is empty on 13 incidents that have a Reopen
 * activity), all folded into the content hash.
 */
export const ENRICH_FROM_ACTIVITY = `
  insert into import_stage_event (external_id, seq, at, kind, from_value, to_value)
  select external_id, row_number() over (partition by external_id order by at, line, kind), at, kind, from_value, to_value
    from (
      select *, case when kind = 'update' then null
                     else lag(to_value) over (partition by external_id, kind order by at, line) end as from_value
        from (
          select a.incident_id as external_id, a.at, a.line, m.kind, coalesce(m.to_value, a.assignment_group) as to_value
            from import_activity a
            join ${ACTIVITY_EVENTS} on m.activity = a.activity
           where a.incident_id in (select external_id from import_stage)
        ) mapped
       where to_value is not null
    ) chained
   where kind = 'update' or from_value is distinct from to_value;

  update import_stage s
     set acknowledged_at = coalesce(x.ack, s.acknowledged_at),
         reassignment_count = coalesce(x.reassignments, s.reassignment_count),
         reopen_count = greatest(s.reopen_count, coalesce(x.reopens, 0)),
         -- SOURCE.md: the assignment group is the activity log's; the incident's is the group it
         -- was last assigned to (Detail_Incident.csv has none of its own).
         assignment_group = coalesce(s.assignment_group, x.last_group),
         content_hash = md5(s.content_hash || coalesce((x.ack at time zone 'UTC')::text, '') || coalesce(x.events, '')
                            || coalesce('r' || x.reassignments, '') || coalesce('o' || x.reopens, '')
                            || coalesce('g' || x.last_group, ''))
    from (
      select st.external_id, ack.at as ack, ev.events, ev.last_group, re.n as reassignments, ro.n as reopens
        from import_stage st
        left join (
          select a.incident_id, min(a.at) as at from import_activity a
           where a.activity in ('Assignment', 'Operator Update')
             and a.incident_id in (select external_id from import_stage)
           group by a.incident_id
        ) ack on ack.incident_id = st.external_id
        left join (
          select e.external_id,
                 string_agg(concat_ws('|', e.seq, e.at at time zone 'UTC', e.kind, e.from_value, e.to_value), ';' order by e.seq) as events,
                 (array_agg(e.to_value order by e.seq desc) filter (where e.kind = 'assignment'))[1] as last_group
            from import_stage_event e group by e.external_id
        ) ev on ev.external_id = st.external_id
        -- "# Reassignments" is the number of Reassignment activities; where it is empty, count them.
        left join (
          select a.incident_id, count(*)::int as n from import_activity a
           where a.activity = 'Reassignment'
             and a.incident_id in (select external_id from import_stage where attributes ? 'reassignmentsMissing')
           group by a.incident_id
        ) re on re.incident_id = st.external_id
        left join (
          select a.incident_id, count(*)::int as n from import_activity a
           where a.activity = 'Reopen'
             and a.incident_id in (select external_id from import_stage)
           group by a.incident_id
        ) ro on ro.incident_id = st.external_id
    ) x
   where x.external_id = s.external_id;
`;
