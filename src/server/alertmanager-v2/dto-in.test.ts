import { describe, expect, it } from 'vitest';
import { parseTime } from '../../core/alert.js';
import { postableAlertsFromDto, postableSilenceFromDto } from './dto-in.js';

const t = (s: string): number => parseTime(s) as number;

describe('postableAlertsFromDto times', () => {
  it('parses each alert its own time, shared or not', () => {
    const r = postableAlertsFromDto([
      { labels: { a: '1' }, startsAt: '2024-01-01T00:00:00Z', endsAt: '2024-01-01T01:00:00Z' },
      { labels: { a: '2' }, startsAt: '2024-01-01T00:00:05Z', endsAt: '2024-01-01T01:00:00Z' },
      { labels: { a: '3' }, endsAt: '2024-01-01T02:00:00.5Z' },
    ]);
    expect(r.ok && r.value.map((p) => [p.startsAt, p.endsAt])).toEqual([
      [t('2024-01-01T00:00:00Z'), t('2024-01-01T01:00:00Z')],
      [t('2024-01-01T00:00:05Z'), t('2024-01-01T01:00:00Z')],
      [0, t('2024-01-01T02:00:00.5Z')],
    ]);
  });

  it('reports every malformed time, also when repeated', () => {
    const r = postableAlertsFromDto([
      { labels: { a: '1' }, endsAt: 'soon' },
      { labels: { a: '2' }, endsAt: 'soon' },
      { labels: { a: '3' }, endsAt: '' },
      { labels: { a: '4' }, endsAt: 5 },
    ]);
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([
      '0.endsAt in body must be of type date-time: "soon"',
      '1.endsAt in body must be of type date-time: "soon"',
      '2.endsAt in body must be of type date-time: ""',
      '3.endsAt in body must be of type date-time: 5',
    ]);
  });
});

describe('postableAlertsFromDto shape problems', () => {
  it('names each field by item index in messages and paths', () => {
    const r = postableAlertsFromDto([
      { labels: { a: '1' } },
      { labels: 'x', annotations: { s: 1, t: 'ok' } },
      { labels: { a: '3', b: null }, annotations: [], startsAt: 7 },
    ]);
    expect(r.ok ? [] : r.issues.map((i) => [i.message, i.path])).toEqual([
      ['1.labels in body must be of type object', ['1.labels']],
      ['1.annotations.s in body must be of type string: "number"', ['1.annotations', 's']],
      ['2.labels.b in body must be of type string: "object"', ['2.labels', 'b']],
      ['2.annotations in body must be of type object', ['2.annotations']],
      ['2.startsAt in body must be of type date-time: 7', ['2.startsAt']],
    ]);
  });

  it('names silence fields without an index', () => {
    const r = postableSilenceFromDto({ matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: 'now', endsAt: '2024-01-01T00:00:00Z', createdBy: 'me', comment: 'c', annotations: { k: 2 } });
    expect(r.ok ? [] : r.issues.map((i) => [i.message, i.path])).toEqual([
      ['startsAt in body must be of type date-time: "now"', ['startsAt']],
      ['annotations.k in body must be of type string: "number"', ['annotations', 'k']],
    ]);
  });
});
