import { describe, expect, it } from 'vitest';
import { dataValue, sortedPairs } from './data.js';
import { buildTemplateSet } from './template-set.js';

const set = (() => {
  const r = buildTemplateSet([], { defaults: false });
  if (!r.ok) throw new Error('load failed');
  return r.value;
})();

// Re-expressed from upstream TestKVSortedPairs, TestKVRemove, TestPairsString, TestAlertsFiring.
describe('template.KV, Pairs and Alerts', () => {
  it('sorts pairs by name with alertname first', () => {
    expect(sortedPairs({ d: 'dVal', b: 'bVal', c: 'cVal' }).map((p) => p.name)).toEqual(['b', 'c', 'd']);
    expect(sortedPairs({ d: 'dVal', b: 'bVal', c: 'cVal', alertname: 'alert', a: 'aVal' }).map((p) => p.name)).toEqual(['alertname', 'a', 'b', 'c', 'd']);
  });

  const data = dataValue({
    receiver: 'r', status: 'firing', externalURL: 'http://x', groupLabels: {},
    commonLabels: { key1: 'val1', key2: 'val2', key3: 'val3', key4: 'val4' }, commonAnnotations: { name1: 'value1', name2: 'value2' },
    alerts: ['firing', 'resolved', 'firing', 'resolved', 'resolved'].map((status, i) => ({
      status: status as 'firing' | 'resolved', labels: { i: String(i) }, annotations: {}, startsAt: 1000, endsAt: 0, generatorURL: '', fingerprint: `f${i}`,
    })),
  });

  it.each([
    ['{{ (.CommonLabels.Remove (stringSlice "key2" "key4")).Names }}', '[key1 key3]'],
    ['{{ .CommonAnnotations.SortedPairs }}', 'name1=value1, name2=value2'],
    ['{{ .CommonAnnotations.SortedPairs.Names }} {{ .CommonAnnotations.SortedPairs.Values }}', '[name1 name2] [value1 value2]'],
    ['{{ range .Alerts.Firing }}{{ .Status }}{{ .Labels.i }} {{ end }}', 'firing0 firing2 '],
    ['{{ range .Alerts.Resolved }}{{ .Labels.i }}{{ end }}', '134'],
    ['{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}', 'key1=val1;key2=val2;key3=val3;key4=val4;'],
    ['{{ .Receiver }} {{ .Status }} {{ .ExternalURL }} {{ len .Alerts }}', 'r firing http://x 5'],
    ['{{ (index .Alerts 0).StartsAt }} {{ (index .Alerts 0).Fingerprint }}', '1970-01-01 00:00:01 +0000 UTC f0'],
  ])('%s', (text, want) => {
    expect(set.executeValue(text, data)).toBe(want);
  });

  it('has no Firing method on the []Alert that Firing returns', () => {
    expect(() => set.executeValue('{{ .Alerts.Firing.Firing }}', data)).toThrow("can't evaluate field Firing in type []template.Alert");
  });

  it('rejects unknown fields of Data', () => {
    expect(() => set.executeValue('{{ .Nope }}', data)).toThrow("can't evaluate field Nope in type *template.Data");
  });
});
