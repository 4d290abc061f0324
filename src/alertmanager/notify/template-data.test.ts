import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { buildTemplateData, commonPairs, quoteMeta } from './template-data.js';

describe('quoteMeta (regexp.QuoteMeta)', () => {
  it.each([
    { in: 'team-X.ops', out: 'team-X\\.ops' },
    { in: 'a+b*c?(d)|[e]{f}^$\\', out: 'a\\+b\\*c\\?\\(d\\)\\|\\[e\\]\\{f\\}\\^\\$\\\\' },
    { in: 'plain_name-1', out: 'plain_name-1' },
  ])('$in', ({ in: s, out }) => expect(quoteMeta(s)).toBe(out));
});

describe('commonPairs', () => {
  it.each([
    { sets: [], out: {} },
    { sets: [{ a: '1' }], out: { a: '1' } },
    { sets: [{ a: '1', b: '2' }, { a: '1', b: '3' }], out: { a: '1' } },
    { sets: [{ a: '1' }, { b: '1' }, { a: '1' }], out: {} },
    { sets: [{ a: '' }, {}], out: {} },
  ])('$sets', ({ sets, out }) => expect(commonPairs(sets)).toEqual(out));
});

describe('buildTemplateData', () => {
  const base: Alert = { labels: { a: '1' }, annotations: {}, startsAt: 1000, endsAt: 0, generatorURL: '', updatedAt: 0, timeout: false };
  const ctx = { tenant: 't', receiver: 'r', groupKey: 'k', groupLabels: {}, externalURL: 'u', signal: new AbortController().signal, now: 5000 };
  it.each([
    { name: 'no alerts', alerts: [], status: 'resolved' },
    { name: 'one firing', alerts: [base], status: 'firing' },
    { name: 'ends in the future', alerts: [{ ...base, endsAt: 6000 }], status: 'firing' },
    { name: 'ends exactly now', alerts: [{ ...base, endsAt: 5000 }], status: 'resolved' },
    { name: 'mixed', alerts: [{ ...base, endsAt: 10 }, { ...base, labels: { a: '2' } }], status: 'firing' },
  ])('$name -> $status', ({ alerts, status }) => {
    expect(buildTemplateData(ctx, alerts).status).toBe(status);
  });
});

describe('buildTemplateData fingerprints', () => {
  const a: Alert = { labels: { alertname: 'A' }, annotations: {}, startsAt: 1000, endsAt: 0, generatorURL: '', updatedAt: 0, timeout: false };
  const b: Alert = { ...a, labels: { alertname: 'B' } };
  const ctx = { tenant: 't', receiver: 'r', groupKey: 'k', groupLabels: {}, externalURL: 'u', signal: new AbortController().signal, now: 5000 };
  it('takes the fingerprints the pipeline passes and computes the others', () => {
    const data = buildTemplateData({ ...ctx, fingerprints: new Map([[a, 'from-pipeline']]) }, [a, b]);
    expect(data.alerts.map((x) => x.fingerprint)).toEqual(['from-pipeline', buildTemplateData(ctx, [b]).alerts[0]?.fingerprint]);
    expect(buildTemplateData(ctx, [b]).alerts[0]?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});
