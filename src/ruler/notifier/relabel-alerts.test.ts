import { describe, expect, it } from 'vitest';
import type { RelabelRule } from '../../core/relabel.js';
import { alertLabels, validateAlertRelabelConfigs } from './relabel-alerts.js';

function rules(raw: unknown[]): RelabelRule[] {
  const r = validateAlertRelabelConfigs(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const EXT = { cluster: 'eu1', replica: 'a' };
const EXT_NAMES = ['cluster', 'replica'];

describe('validateAlertRelabelConfigs', () => {
  it('accepts Prometheus relabel configs, YAML scalars as strings', () => {
    const r = validateAlertRelabelConfigs([{ source_labels: ['severity'], regex: 1, target_label: 'x' }, { action: 'labeldrop', regex: 'tmp_.*' }, { action: 'hashmod', source_labels: ['a'], modulus: 4, target_label: 'shard' }]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.map((x) => [x.action, x.regexText])).toEqual([['replace', '1'], ['labeldrop', 'tmp_.*'], ['hashmod', '(.*)']]);
  });

  it('reports every problem with its path', () => {
    const r = validateAlertRelabelConfigs(
      [
        'drop',
        { action: 'explode' },
        { regex: '(', target_label: 'x' },
        { source_labels: 'a', modulus: -1, foo: 1 },
        { action: 'replace', target_label: ['x'] },
        { action: 'hashmod', target_label: 'x' },
      ],
      ['ruler', 'alert_relabel_configs'],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const got = r.issues.map((i) => `${(i.path ?? []).join('.')}: ${i.message}`);
    expect(got).toEqual([
      'ruler.alert_relabel_configs.0: relabel config must be a mapping, got string "drop"',
      'ruler.alert_relabel_configs.1.action: unknown relabel action "explode"',
      expect.stringMatching(/^ruler\.alert_relabel_configs\.2\.regex: /),
      'ruler.alert_relabel_configs.3.foo: field foo not found in type relabel.plain',
      'ruler.alert_relabel_configs.3.source_labels: source_labels must be a list of label names, got string "a"',
      'ruler.alert_relabel_configs.3.modulus: modulus must be a non-negative integer, got number -1',
      'ruler.alert_relabel_configs.4.target_label: target_label must be a string, got a list',
      'ruler.alert_relabel_configs.5.modulus: relabel configuration for hashmod requires non-zero modulus',
    ]);
  });

  it('an empty list is valid', () => {
    expect(validateAlertRelabelConfigs([])).toEqual({ ok: true, value: [] });
  });
});

describe('alertLabels', () => {
  it('adds external labels only where the alert lacks them (or has them empty)', () => {
    expect(alertLabels('t1', { alertname: 'A', cluster: 'us1', replica: '' }, EXT, EXT_NAMES, [])).toEqual({ alertname: 'A', cluster: 'us1', replica: 'a' });
  });

  it('returns the same object when nothing changes (no copy on the hot path)', () => {
    const l = { alertname: 'A', cluster: 'x', replica: 'y' };
    expect(alertLabels('t1', l, EXT, EXT_NAMES, [])).toBe(l);
  });

  it('relabel rules see external labels and __tenant__; __ labels are gone afterwards', () => {
    const r = rules([
      { source_labels: ['__tenant__'], regex: 'team-.*', target_label: 'alert_source', replacement: 'platform' },
      { source_labels: ['cluster'], target_label: '__scratch' },
    ]);
    expect(alertLabels('team-a', { alertname: 'A' }, EXT, EXT_NAMES, r)).toEqual({ alertname: 'A', cluster: 'eu1', replica: 'a', alert_source: 'platform' });
    expect(alertLabels('other', { alertname: 'A' }, EXT, EXT_NAMES, r)).toEqual({ alertname: 'A', cluster: 'eu1', replica: 'a' });
  });

  it('the tenant meta label wins over an alert label of the same name', () => {
    const r = rules([{ source_labels: ['__tenant__'], target_label: 'tenant' }]);
    expect(alertLabels('t1', { alertname: 'A', __tenant__: 'spoofed' }, {}, [], r)).toEqual({ alertname: 'A', tenant: 't1' });
  });

  it('a drop rule drops the alert; keep keeps only matches', () => {
    const drop = rules([{ action: 'drop', source_labels: ['severity'], regex: 'info' }]);
    expect(alertLabels('t1', { alertname: 'A', severity: 'info' }, {}, [], drop)).toBeUndefined();
    expect(alertLabels('t1', { alertname: 'A', severity: 'page' }, {}, [], drop)).toEqual({ alertname: 'A', severity: 'page' });
    const keep = rules([{ action: 'keep', source_labels: ['__tenant__'], regex: 'prod' }]);
    expect(alertLabels('dev', { alertname: 'A' }, {}, [], keep)).toBeUndefined();
    expect(alertLabels('prod', { alertname: 'A' }, {}, [], keep)).toEqual({ alertname: 'A' });
  });

  it('relabeling can replace an external label after it was added', () => {
    const r = rules([{ source_labels: ['cluster'], regex: 'eu(.*)', target_label: 'cluster', replacement: 'europe-$1' }]);
    expect(alertLabels('t1', { alertname: 'A' }, EXT, EXT_NAMES, r)).toEqual({ alertname: 'A', cluster: 'europe-1', replica: 'a' });
  });
});
