import type { Figure, ReportWindow, Summary } from '../api/api.types';
import { addMonths, daysBetween } from '../filters/period';
import { formatChange, formatCount, formatHours, formatRate, type ChangeKind } from '../format/format';

/** Which way a figure should move: MTRS down is good news, compliance up is. */
type Better = 'lower' | 'higher' | 'neither';

export interface TileSpec {
  id: string;
  label: string;
  value: string;
  details: string[];
  previous: string;
  change: string;
  tone: 'good' | 'bad' | 'neutral';
  /** The list a click on the tile opens, and its title. */
  figure: Figure;
  listTitle: string;
  links: { label: string; figure: Figure; listTitle: string }[];
  hint: string;
}

function tone(current: number | null, previous: number | null, better: Better): TileSpec['tone'] {
  if (better === 'neither' || current === null || previous === null || current === previous) return 'neutral';
  return (current < previous) === (better === 'lower') ? 'good' : 'bad';
}

function compare(
  current: number | null,
  previous: number | null,
  kind: ChangeKind,
  better: Better,
): Pick<TileSpec, 'previous' | 'change' | 'tone'> {
  const format = kind === 'hours' ? formatHours : kind === 'rate' ? formatRate : formatCount;
  return {
    previous: format(previous),
    change: formatChange(current, previous, kind),
    tone: tone(current, previous, better),
  };
}

/** '≈ ' before a percentile read from the histograms (within 0.1 %), nothing before an exact one. */
function about(figure: { percentiles: 'exact' | 'histogram' }): string {
  return figure.percentiles === 'histogram' ? '≈ ' : '';
}

function histogramNote(figure: { percentiles: 'exact' | 'histogram' }): string {
  return figure.percentiles === 'histogram'
    ? '; the median and p90 come from histograms of the durations, within 0.1 % of the exact values'
    : '';
}

/** The overview's tiles for one summary answer, every number written as the page shows it. */
export function summaryTiles(summary: Summary): TileSpec[] {
  const { previous: prev } = summary;
  const verdict = summary.sla.sourceVerdict;
  const ftr = summary.firstTimeResolution;

  return [
    {
      id: 'mtrs',
      label: 'MTRS (mean time to restore)',
      value: formatHours(summary.mtrs.meanHours),
      details: [
        `Median ${about(summary.mtrs)}${formatHours(summary.mtrs.medianHours)} · p90 ${about(summary.mtrs)}${formatHours(summary.mtrs.p90Hours)}`,
        `n = ${formatCount(summary.mtrs.n)} restored`,
      ],
      ...compare(summary.mtrs.meanHours, prev.mtrs.meanHours, 'hours', 'lower'),
      figure: 'mtrs',
      listTitle: 'Incidents behind MTRS',
      links: [],
      hint: `Mean of restored − opened over incidents restored in the window${histogramNote(summary.mtrs)}`,
    },
    {
      id: 'mtta',
      label: 'MTTA (mean time to acknowledge)',
      value: formatHours(summary.mtta.meanHours),
      details: [`Median ${about(summary.mtta)}${formatHours(summary.mtta.medianHours)}`, `n = ${formatCount(summary.mtta.n)} acknowledged`],
      ...compare(summary.mtta.meanHours, prev.mtta.meanHours, 'hours', 'lower'),
      figure: 'mtta',
      listTitle: 'Incidents behind MTTA',
      links: [],
      hint: `Mean of acknowledged − opened over incidents acknowledged in the window${histogramNote(summary.mtta)}`,
    },
    {
      id: 'ftr',
      label: 'First-time resolution',
      value: formatRate(ftr.rate),
      details: [
        `${formatCount(ftr.firstTime)} of ${formatCount(ftr.resolved)} restored`,
        `Escalated ${formatRate(ftr.escalationShare)} (${formatCount(ftr.escalated)}) · reopened ${formatRate(ftr.reopenShare)} (${formatCount(ftr.reopened)})`,
      ],
      ...compare(ftr.rate, prev.firstTimeResolution.rate, 'rate', 'higher'),
      figure: 'first-time',
      listTitle: 'Incidents resolved first time',
      links: [
        { label: `All restored (${formatCount(ftr.resolved)})`, figure: 'resolved', listTitle: 'Incidents restored' },
        { label: `Escalated (${formatCount(ftr.escalated)})`, figure: 'escalated', listTitle: 'Escalated incidents' },
        { label: `Reopened (${formatCount(ftr.reopened)})`, figure: 'reopened', listTitle: 'Reopened incidents' },
      ],
      hint: 'Restored with no reassignment and never reopened, over all restored',
    },
    {
      id: 'sla-resolution',
      label: 'SLA resolution compliance',
      value: formatRate(summary.sla.resolution.compliance),
      details: [
        `${formatCount(summary.sla.resolution.met)} met · ${formatCount(summary.sla.resolution.breached)} breached`,
      ],
      ...compare(summary.sla.resolution.compliance, prev.sla.resolution.compliance, 'rate', 'higher'),
      figure: 'sla-breached',
      listTitle: 'Resolution SLA breaches',
      links: [
        { label: `Met (${formatCount(summary.sla.resolution.met)})`, figure: 'sla-met', listTitle: 'Resolution SLA met' },
        {
          label: `Breached (${formatCount(summary.sla.resolution.breached)})`,
          figure: 'sla-breached',
          listTitle: 'Resolution SLA breaches',
        },
      ],
      hint: 'Met / (met + breached) over resolution clocks stopped in the window',
    },
    {
      id: 'sla-response',
      label: 'SLA response compliance',
      value: formatRate(summary.sla.response.compliance),
      details: [`${formatCount(summary.sla.response.met)} met · ${formatCount(summary.sla.response.breached)} breached`],
      ...compare(summary.sla.response.compliance, prev.sla.response.compliance, 'rate', 'higher'),
      figure: 'sla-response-breached',
      listTitle: 'Response SLA breaches',
      links: [
        {
          label: `Met (${formatCount(summary.sla.response.met)})`,
          figure: 'sla-response-met',
          listTitle: 'Response SLA met',
        },
        {
          label: `Breached (${formatCount(summary.sla.response.breached)})`,
          figure: 'sla-response-breached',
          listTitle: 'Response SLA breaches',
        },
      ],
      hint: 'Met / (met + breached) over response clocks stopped in the window',
    },
    {
      id: 'agreement',
      label: "Agreement with the source's SLA verdict",
      value: formatRate(verdict.agreementRate),
      details:
        verdict.n > 0
          ? [
              `Source ${formatRate(verdict.sourceCompliance)} · ours ${formatRate(verdict.ourCompliance)} on the same incidents`,
              `${formatCount(verdict.agree)} agree · ${formatCount(verdict.disagree)} disagree of ${formatCount(verdict.n)}`,
            ]
          : ['The source records no verdict here'],
      ...compare(verdict.agreementRate, prev.sla.sourceVerdict.agreementRate, 'rate', 'neither'),
      figure: 'source-disagree',
      listTitle: "Incidents where our verdict differs from the source's",
      links: [],
      hint: "Share of incidents with a source verdict (e.g. ServiceNow made_sla) on which ours agrees",
    },
    {
      id: 'opened',
      label: 'Opened',
      value: formatCount(summary.volume.opened),
      details: ['incidents opened in the window'],
      ...compare(summary.volume.opened, prev.volume.opened, 'count', 'neither'),
      figure: 'opened',
      listTitle: 'Incidents opened',
      links: [],
      hint: 'Incidents whose opening falls in the window',
    },
    {
      id: 'restored',
      label: 'Restored',
      value: formatCount(summary.volume.restored),
      details: ['incidents restored in the window'],
      ...compare(summary.volume.restored, prev.volume.restored, 'count', 'neither'),
      figure: 'restored',
      listTitle: 'Incidents restored',
      links: [],
      hint: 'Incidents whose restoration falls in the window',
    },
    {
      id: 'backlog',
      label: 'Backlog at end of window',
      value: formatCount(summary.backlog.n),
      details: ['opened, not restored by the end of the window'],
      ...compare(summary.backlog.n, prev.backlog.n, 'count', 'lower'),
      figure: 'backlog',
      listTitle: 'Backlog at the end of the window',
      links: [],
      hint: 'Opened by the end of the window and not restored by then',
    },
  ];
}

/**
 * What the tiles compare with, from the previous window the API chose: whole calendar months
 * before a window of whole months (February, 29 days, before March), else as many days before.
 */
export function previousLabel(previous: ReportWindow): string {
  const { from, to } = previous;
  if (from.endsWith('-01') && to.endsWith('-01')) {
    let months = 1;
    while (addMonths(from, months) < to) months++;
    return months === 1 ? 'Compared with the month before' : `Compared with the ${months} months before`;
  }
  return `Compared with the ${daysBetween(from, to)} days before`;
}
