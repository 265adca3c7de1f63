/**
 * The shape of the synthetic service desk: how often each thing happens. Tests read the same
 * numbers to check that the generated data follows them.
 */
export const PRIORITY_SHARES: readonly number[] = [0.01, 0.06, 0.28, 0.5, 0.15];

/** Median time to restore by priority, hours; log-normal with sigma RESTORE_SIGMA. */
export const RESTORE_MEDIAN_HOURS: readonly number[] = [2.5, 6, 20, 40, 96];
export const RESTORE_SIGMA = 1.0;

/** Median time to acknowledge by priority, minutes. */
export const ACK_MEDIAN_MINUTES: readonly number[] = [4, 12, 45, 120, 240];
export const ACK_SIGMA = 0.9;

export const CATEGORIES: readonly (readonly [string, readonly string[]])[] = [
  ['application', ['error', 'performance', 'login', 'report']],
  ['network', ['connectivity', 'dns', 'vpn', 'wifi']],
  ['hardware', ['laptop', 'printer', 'monitor', 'phone']],
  ['access', ['password', 'permissions', 'account locked']],
  ['software', ['installation', 'licence', 'update']],
  ['database', ['slow query', 'connection', 'replication']],
  ['email', ['delivery', 'mailbox', 'spam']],
  ['storage', ['capacity', 'backup', 'restore']],
  ['security', ['malware', 'phishing', 'vulnerability']],
  ['telephony', ['voicemail', 'call quality']],
  ['facilities', ['badge', 'power']],
  ['cloud', ['instance', 'billing', 'quota']],
];
export const CATEGORY_ZIPF_S = 1.1;
export const CI_COUNT = 2_000;
export const CI_ZIPF_S = 1.05;
export const SERVICE_COUNT = 60;
export const GROUP_COUNT = 40;
export const GROUP_ZIPF_S = 0.9;

export const DETECTION_SOURCES: readonly (readonly [string | null, number])[] = [
  ['monitoring', 0.35],
  ['user', 0.45],
  ['service_desk', 0.15],
  [null, 0.05],
];

/** Openings by weekday (Monday first) and by UTC hour, as relative rates. */
export const WEEKDAY_RATE: readonly number[] = [1.15, 1.1, 1.05, 1.0, 0.9, 0.3, 0.25];
export const HOUR_RATE: readonly number[] = [
  0.2, 0.15, 0.12, 0.12, 0.15, 0.25, 0.5, 0.9, 1.4, 1.6, 1.6, 1.5, 1.2, 1.4, 1.5, 1.4, 1.2, 0.9,
  0.6, 0.45, 0.35, 0.3, 0.25, 0.22,
];

export const SHARES = {
  /** Restored with at least one functional escalation (reassignment). */
  reassigned: 0.3,
  /** Reopened at least once after restoration. */
  reopened: 0.06,
  hierarchicalEscalation: 0.03,
  /** Major incident share among P1. */
  majorAmongP1: 0.4,
  /** Incidents with a pause in 'Awaiting User Info' (visible in events). */
  awaitingUser: 0.15,
  /** Part of a burst of failures of one configuration item. */
  burst: 0.01,
  workaround: 0.2,
  knowledgeArticle: 0.3,
  supplier: 0.1,
} as const;

/** Share of every data-quality gap of METRICS.md, each applied independently. */
export const GAP_SHARES = {
  missingCategory: 0.01,
  vagueCategory: 0.01,
  missingCiOrService: 0.01,
  restoredWithoutClosure: 0.01,
  restoredBeforeOpened: 0.003,
  closedBeforeRestored: 0.003,
  ackBeforeOpened: 0.003,
  futureTime: 0.001,
  priorityAgainstMatrix: 0.005,
  closedWithoutVerification: 0.003,
  duplicateId: 0.002,
  staleOpen: 0.002,
} as const;

export const VAGUE_CATEGORIES: readonly string[] = ['other', 'misc', 'general', 'unknown'];

/** Configuration items that fail in bursts (recurring failures, problem candidates). */
export const BURST_CIS: readonly string[] = ['ci-sap-prd-01', 'ci-fw-edge-02', 'ci-san-03'];
/** Number of bursts per burst CI over the generated period, and their length in hours. */
export const BURSTS_PER_CI = 4;
export const BURST_HOURS = 36;
