import { describe, expect, it } from 'vitest';
import { PolicySpec, SlaRules } from '../../../server/src/sla/sla.model';

const policy = (id: number, appliesTo: PolicySpec['appliesTo']): PolicySpec => ({
  id,
  name: `p${id}`,
  appliesTo,
  targets: [{ priority: 1, responseMinutes: 15, resolutionMinutes: 240, calendarId: 1 }],
  pauseStatuses: [' Awaiting User Info '],
  stopStatuses: ['Resolved'],
  version: 1,
});

describe('SlaRules', () => {
  const rules = new SlaRules(
    [policy(1, {}), policy(2, { source: 'sn' }), policy(3, { source: 'sn', category: 'network' }), policy(4, { category: 'network' })],
    [{ id: 1, name: '24x7', timezone: 'UTC', kind: '24x7', weekly: {}, holidays: [], version: 1 }],
  );

  it('gives an incident the most specific matching policy, then the lowest id', () => {
    // sn + network matches 1 (0 fields), 2 (1), 3 (2), 4 (1): 3 is the most specific.
    expect(rules.policyFor('sn', null, 'network')?.id).toBe(3);
    // sn + storage matches 1 and 2: 2.
    expect(rules.policyFor('sn', null, 'storage')?.id).toBe(2);
    // other + network matches 1 and 4: 4.
    expect(rules.policyFor('other', null, 'network')?.id).toBe(4);
    // other + no category: only the default.
    expect(rules.policyFor('other', null, null)?.id).toBe(1);
  });

  it('matches pausing statuses case-insensitively after trimming', () => {
    expect(rules.pauseStatuses(1).has('awaiting user info')).toBe(true);
    expect(rules.stopStatuses(1).has('resolved')).toBe(true);
  });
});
