import { describe, expect, it } from 'vitest';
import { parseTime } from '../../core/alert.js';
import type { OutgoingAlert } from '../api.js';
import { encodeBatch, encodePostableAlert } from './wire.js';

const t = (s: string): number => parseTime(s) as number;

const base: OutgoingAlert = {
  labels: { b: '<x&y>', alertname: 'HighCPU', a: '1' },
  annotations: { summary: 'CPU "hot"\n' },
  startsAt: t('2024-01-01T12:00:00.123Z'),
  endsAt: t('2024-01-01T12:04:00Z'),
  generatorURL: 'http://prom:9090/graph?g0.expr=up&g0.tab=1',
};

describe('encodePostableAlert', () => {
  it('writes the go-swagger field order, sorted maps, HTML-safe escapes and millisecond times', () => {
    expect(encodePostableAlert(base)).toBe(
      '{"annotations":{"summary":"CPU \\"hot\\"\\n"},"endsAt":"2024-01-01T12:04:00.000Z","startsAt":"2024-01-01T12:00:00.123Z",' +
        '"generatorURL":"http://prom:9090/graph?g0.expr=up\\u0026g0.tab=1","labels":{"a":"1","alertname":"HighCPU","b":"\\u003cx\\u0026y\\u003e"}}',
    );
  });

  it('leaves out empty annotations and generatorURL (omitempty) but always writes labels', () => {
    expect(encodePostableAlert({ ...base, labels: {}, annotations: {}, generatorURL: '' })).toBe('{"endsAt":"2024-01-01T12:04:00.000Z","startsAt":"2024-01-01T12:00:00.123Z","labels":{}}');
  });

  it('sorts label names byte-wise, as Go does (upper case before lower case)', () => {
    const json = encodePostableAlert({ ...base, labels: { b: '1', B: '2', _: '3', a: '4' } });
    expect(json.slice(json.indexOf('"labels"'))).toBe('"labels":{"B":"2","_":"3","a":"4","b":"1"}}');
  });

  it('writes Go zero time for an unset time', () => {
    expect(encodePostableAlert({ ...base, endsAt: 0 })).toContain('"endsAt":"0001-01-01T00:00:00.000Z"');
  });

  it('a body is a JSON array a JSON parser reads back', () => {
    const body = encodeBatch([encodePostableAlert(base), encodePostableAlert({ ...base, labels: { alertname: 'Other' } })]);
    const parsed = JSON.parse(body) as Array<{ labels: Record<string, string>; generatorURL: string }>;
    expect(parsed.map((a) => a.labels['alertname'])).toEqual(['HighCPU', 'Other']);
    expect(parsed[0]?.generatorURL).toBe(base.generatorURL);
    expect(encodeBatch([])).toBe('[]');
  });
});
