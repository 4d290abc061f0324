import { describe, expect, it } from 'vitest';
import { needsUpdate } from './needs-update.js';
import type { NflogEntry } from './types.js';

const NOW = 1_700_000_000_000;
const MIN = 60_000;

function entry(firing: number[], resolved: number[], timestamp = 0): NflogEntry {
  return {
    groupKey: 'g',
    receiverKey: 'r/webhook/0',
    timestamp,
    firingAlerts: firing.map(String),
    resolvedAlerts: resolved.map(String),
    expiresAt: NOW + 60 * MIN,
  };
}
const set = (...ids: number[]): Set<string> => new Set(ids.map(String));

// Ported from upstream notify/notify_test.go TestDedupStageNeedsUpdate (same order and inputs),
// with the reason each case takes through needsUpdate.
describe('needsUpdate (upstream TestDedupStageNeedsUpdate)', () => {
  it.each([
    { name: 'no entry, alerts firing', e: undefined, firing: set(2, 3, 4), resolved: set(), repeat: 0, sendResolved: false, notify: true, reason: 'first notification' },
    { name: 'no entry, only resolved', e: undefined, firing: set(), resolved: set(2, 3, 4), repeat: 0, sendResolved: false, notify: false, reason: 'none' },
    { name: 'different firing sets', e: entry([1, 2, 3], []), firing: set(2, 3, 4), resolved: set(), repeat: 0, sendResolved: false, notify: true, reason: 'new alerts added' },
    { name: 'zero timestamp always updates', e: entry([1, 2, 3], [], 0), firing: set(1, 2, 3), resolved: set(), repeat: 0, sendResolved: false, notify: true, reason: 'repeat interval elapsed' },
    { name: 'same set before repeat_interval', e: entry([1, 2, 3], [], NOW - 9 * MIN), firing: set(1, 2, 3), resolved: set(), repeat: 10 * MIN, sendResolved: false, notify: false, reason: 'none' },
    { name: 'same set after repeat_interval', e: entry([1, 2, 3], [], NOW - 11 * MIN), firing: set(1, 2, 3), resolved: set(), repeat: 10 * MIN, sendResolved: false, notify: true, reason: 'repeat interval elapsed' },
    { name: 'new resolved without firing, after repeat', e: entry([], [1, 2, 3], NOW - 11 * MIN), firing: set(), resolved: set(3, 4, 5), repeat: 10 * MIN, sendResolved: true, notify: false, reason: 'none' },
    { name: 'new resolved, send_resolved=false', e: entry([1, 2], [3], NOW - 9 * MIN), firing: set(1), resolved: set(2, 3), repeat: 10 * MIN, sendResolved: false, notify: false, reason: 'none' },
    { name: 'new resolved, send_resolved=true', e: entry([1, 2], [3], NOW - 9 * MIN), firing: set(1), resolved: set(2, 3), repeat: 10 * MIN, sendResolved: true, notify: true, reason: 'some alerts resolved' },
    { name: 'all resolved, send_resolved=false', e: entry([1, 2], [3], NOW - 9 * MIN), firing: set(), resolved: set(1, 2, 3), repeat: 10 * MIN, sendResolved: false, notify: true, reason: 'all alerts resolved' },
    { name: 'all resolved, send_resolved=true', e: entry([1, 2], [3], NOW - 9 * MIN), firing: set(), resolved: set(1, 2, 3), repeat: 10 * MIN, sendResolved: true, notify: true, reason: 'all alerts resolved' },
  ])('$name -> $notify ($reason)', ({ e, firing, resolved, repeat, sendResolved, notify, reason }) => {
    expect(needsUpdate(e, firing, resolved, sendResolved, repeat, NOW)).toEqual({ notify, reason });
  });
});

describe('needsUpdate: further reasons', () => {
  it.each([
    { name: 'firing again after an all-resolved entry is a first notification', e: entry([], [1], NOW - MIN), firing: set(1), resolved: set(), notify: true, reason: 'first notification' },
    { name: 'fewer firing alerts, nothing newly resolved, inside repeat', e: entry([1, 2], [], NOW - MIN), firing: set(1), resolved: set(), notify: false, reason: 'none' },
    { name: 'repeat boundary: exactly repeat_interval ago does not repeat', e: entry([1], [], NOW - 10 * MIN), firing: set(1), resolved: set(), notify: false, reason: 'none' },
    { name: 'subset check over a large log', e: entry(Array.from({ length: 50 }, (_, i) => i), [], NOW - MIN), firing: set(3, 49, 50), resolved: set(), notify: true, reason: 'new alerts added' },
    { name: 'large firing set fully logged', e: entry(Array.from({ length: 50 }, (_, i) => i), [], NOW - MIN), firing: set(0, 10, 49), resolved: set(), notify: false, reason: 'none' },
  ])('$name', ({ e, firing, resolved, notify, reason }) => {
    expect(needsUpdate(e, firing, resolved, true, 10 * MIN, NOW)).toEqual({ notify, reason });
  });
});
