import { describe, expect, it } from 'vitest';
import { generatorURL, needsSending, newAlert, queryEscape, takeAlertsToSend } from './alert.js';
import type { RuleAlert } from './alert.js';

const MIN = 60_000;

function firing(o: Partial<RuleAlert> = {}): RuleAlert {
  return { ...newAlert({ alertname: 'A' }, {}, 1, 0), state: 'firing', firedAt: 0, ...o };
}

describe('queryEscape (Go url.QueryEscape)', () => {
  it.each([
    ['up', 'up'],
    ['a b', 'a+b'],
    ['rate(x[5m]) > 0.5', 'rate%28x%5B5m%5D%29+%3E+0.5'],
    ['{a="b"}', '%7Ba%3D%22b%22%7D'],
    ["!'()*~-_.", "%21%27%28%29%2A~-_."],
    ['é', '%C3%A9'],
    ['a+b/c?d&e#f', 'a%2Bb%2Fc%3Fd%26e%23f'],
  ])('%s -> %s', (input, want) => {
    expect(queryEscape(input)).toBe(want);
  });

  it('generatorURL', () => {
    expect(generatorURL('http://h:9090/prefix', 'up == 0')).toBe('http://h:9090/prefix/graph?g0.expr=up+%3D%3D+0&g0.tab=1');
  });
});

describe('needsSending', () => {
  it.each([
    { name: 'pending: never', a: { state: 'pending' as const }, ts: 10 * MIN, want: false },
    { name: 'firing, never sent (also at time 0)', a: {}, ts: 0, want: true },
    { name: 'firing, sent exactly resend delay ago: not yet', a: { lastSentAt: 0 }, ts: MIN, want: false },
    { name: 'firing, sent more than resend delay ago', a: { lastSentAt: 0 }, ts: MIN + 1, want: true },
    { name: 'resolved after the last send: at once', a: { state: 'inactive' as const, lastSentAt: 0, resolvedAt: 1000 }, ts: 1000, want: true },
    { name: 'resolved and already sent: after the resend delay', a: { state: 'inactive' as const, lastSentAt: 1000, resolvedAt: 1000 }, ts: 30_000, want: false },
  ])('$name', ({ a, ts, want }) => {
    expect(needsSending(firing(a), ts, MIN)).toBe(want);
  });
});

describe('takeAlertsToSend', () => {
  it('marks alerts sent, ValidUntil = ts + 4 x max(interval, resend delay)', () => {
    const a = firing({ firedAt: 5 });
    const r = takeAlertsToSend([a, firing({ state: 'pending' })], 100, MIN, 2 * MIN, 'u');
    expect(r).toEqual([{ labels: { alertname: 'A' }, annotations: {}, startsAt: 5, endsAt: 100 + 8 * MIN, generatorURL: 'u' }]);
    expect([a.lastSentAt, a.validUntil]).toEqual([100, 100 + 8 * MIN]);
    expect(takeAlertsToSend([a], 200, MIN, 2 * MIN, 'u')).toEqual([]);
  });
});
