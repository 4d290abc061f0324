import { describe, expect, it } from 'vitest';
import { closeBrace, completions, labelIndex, lastSegmentStart } from './complete.js';

const index = labelIndex([
  { alertname: 'HighLatency', severity: 'critical', job: 'api' },
  { alertname: 'DiskFull', severity: 'warning', job: 'node', instance: 'a:9100' },
  { alertname: 'DiskFull', severity: 'critical', job: 'node', service: 'search' },
]);

describe('labelIndex', () => {
  it('collects sorted names and distinct sorted values', () => {
    expect([...index.keys()]).toEqual(['alertname', 'instance', 'job', 'service', 'severity']);
    expect(index.get('severity')).toEqual(['critical', 'warning']);
    expect(index.get('alertname')).toEqual(['DiskFull', 'HighLatency']);
  });
});

describe('completions', () => {
  it('offers label names for a name prefix, prefix matches before substring matches', () => {
    expect(completions('se', index).map((c) => c.label)).toEqual(['service', 'severity']);
    expect(completions('s', index).map((c) => c.label)).toEqual(['service', 'severity', 'instance']);
    expect(completions('sev', index)).toEqual([{ kind: 'name', label: 'severity', text: 'severity=', complete: false }]);
  });

  it('offers every name for an empty input, and still the name once fully typed', () => {
    expect(completions('', index)).toHaveLength(5);
    expect(completions('severity', index).map((c) => c.text)).toEqual(['severity=']);
  });

  it('offers the values of the label once an operator is typed, as whole matchers', () => {
    expect(completions('severity=', index)).toEqual([
      { kind: 'value', label: 'severity="critical"', text: 'severity="critical"', complete: true },
      { kind: 'value', label: 'severity="warning"', text: 'severity="warning"', complete: true },
    ]);
    expect(completions('severity="w', index).map((c) => c.label)).toEqual(['severity="warning"']);
    expect(completions('job!~no', index).map((c) => c.label)).toEqual(['job!~"node"']);
    expect(completions('alertname=disk', index).map((c) => c.label)).toEqual(['alertname="DiskFull"']);
  });

  it('completes the last matcher and keeps the earlier ones', () => {
    expect(completions('{job="api", sev', index).map((c) => c.text)).toEqual(['{job="api", severity=']);
    expect(completions('job="a,b", severity=c', index).map((c) => c.text)).toEqual(['job="a,b", severity="critical"']);
  });

  it('offers nothing for unknown labels or text that is no name', () => {
    expect(completions('nope=', index)).toEqual([]);
    expect(completions('"quoted', index)).toEqual([]);
    expect(completions('zzz', index)).toEqual([]);
  });

  it('caps the list', () => {
    expect(completions('', index, 2)).toHaveLength(2);
  });
});

describe('helpers', () => {
  it.each([
    ['sev', 0],
    ['{a="1", sev', 8],
    ['a="x,{y", b', 10],
    ['a="q\\"{", ', 10],
  ])('lastSegmentStart(%s) = %i', (text, at) => {
    expect(lastSegmentStart(text)).toBe(at);
  });

  it('closes an opened brace only', () => {
    expect(closeBrace('{a="1", b="2"')).toBe('{a="1", b="2"}');
    expect(closeBrace('{a="1"}')).toBe('{a="1"}');
    expect(closeBrace('a="1"')).toBe('a="1"');
  });
});
