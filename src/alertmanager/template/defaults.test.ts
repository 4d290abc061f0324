import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TemplateData } from '../notify/template-data.js';
import { buildTemplateSet, checkTemplates, loadTemplates } from './index.js';
import type { TemplateSet } from './index.js';

const DIR = new URL('../../../../shared/conformance/alertmanager-templates/', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, DIR), 'utf8');

const T0 = Date.UTC(2024, 0, 1);

function alert(status: 'firing' | 'resolved', labels: Record<string, string>, annotations: Record<string, string>, i: number) {
  return {
    status, labels, annotations, startsAt: T0 + i * 1000, endsAt: status === 'resolved' ? T0 + 3600_000 : 0,
    generatorURL: `http://prom:9090/graph?g0.expr=up&i=${i}`, fingerprint: `fp${i}`,
  };
}

/** Data sets covering firing/resolved/mixed groups, severities and empty label sets. */
const DATA: Array<[string, TemplateData]> = [
  ['mixed', {
    receiver: 'team-x\\.ops', status: 'firing', externalURL: 'http://am.example.com:9093',
    groupLabels: { alertname: 'HighLatency', cluster: 'eu 1' },
    commonLabels: { alertname: 'HighLatency', cluster: 'eu 1', job: 'api', severity: 'warning' },
    commonAnnotations: { summary: 'Latency > 1s', runbook: 'http://rb/<x>&y' },
    alerts: [
      alert('firing', { alertname: 'HighLatency', cluster: 'eu 1', job: 'api', severity: 'warning', instance: 'a:1' }, { summary: 'Latency > 1s', runbook: 'http://rb/<x>&y', description: 'p99 "high"' }, 1),
      alert('firing', { alertname: 'HighLatency', cluster: 'eu 1', job: 'api', severity: 'warning', instance: 'b:1' }, { summary: 'Latency > 1s', runbook: 'http://rb/<x>&y' }, 2),
      alert('resolved', { alertname: 'HighLatency', cluster: 'eu 1', job: 'api', severity: 'warning', instance: 'c:1' }, { summary: 'Latency > 1s', runbook: 'http://rb/<x>&y' }, 3),
    ],
  }],
  ['resolved', {
    receiver: 'ops', status: 'resolved', externalURL: 'http://am',
    groupLabels: {}, commonLabels: { job: 'db' }, commonAnnotations: {},
    alerts: [alert('resolved', { job: 'db', severity: 'critical' }, {}, 1)],
  }],
  ['critical-and-info', {
    receiver: 'r', status: 'firing', externalURL: '',
    groupLabels: { job: 'x' }, commonLabels: { job: 'x' }, commonAnnotations: { a: '1' },
    alerts: [
      alert('firing', { job: 'x', severity: 'info' }, { a: '1' }, 1),
      alert('firing', { job: 'x', severity: 'critical' }, { a: '1' }, 2),
      alert('resolved', { job: 'x', severity: 'warning' }, { a: '1' }, 3),
    ],
  }],
  ['resolved-priority-fallback', {
    receiver: 'r', status: 'firing', externalURL: 'http://am',
    groupLabels: {}, commonLabels: {}, commonAnnotations: {},
    alerts: [alert('firing', { job: 'x' }, {}, 1), alert('resolved', { severity: 'info' }, {}, 2), alert('resolved', { severity: 'warning' }, {}, 3)],
  }],
  ['empty', {
    receiver: '', status: 'resolved', externalURL: '', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, alerts: [],
  }],
];

function upstream(): TemplateSet {
  const r = buildTemplateSet([{ name: 'default.tmpl', text: read('default.tmpl') }, { name: 'email.tmpl', text: read('email.tmpl') }], { defaults: false });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function herald(): TemplateSet {
  const r = buildTemplateSet([]);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('built-in defaults match upstream default.tmpl', () => {
  const up = upstream();
  const ours = herald();
  const names = up.definedNames().filter((n) => n !== 'email.default.html');

  it('define every upstream name', () => {
    const mine = new Set(ours.definedNames());
    expect(names.length).toBeGreaterThan(60);
    for (const n of up.definedNames()) expect(mine.has(n), n).toBe(true);
  });

  const cases = names.flatMap((n) => DATA.map(([d, data]) => [n, d, data] as const));
  it.each(cases)('%s with %s data', (name, _d, data) => {
    const text = `{{ template "${name}" . }}`;
    // Upstream's pagerduty.default.instances ranges over the whole Data and fails: so must ours.
    const run = (t: TemplateSet): string => {
      try {
        return t.executeText(text, data);
      } catch (e) {
        return 'error: ' + (e as Error).message.replace(/^.*: /, '');
      }
    };
    expect(run(ours)).toBe(run(up));
  });

  it('renders upstream email.default.html through html/template escaping', () => {
    const data = DATA[0]![1];
    const html = up.executeHtml('{{ template "email.default.html" . }}', data);
    expect(html).not.toContain('Mailgun'); // the licence comment is stripped as html/template does
    expect(html).toContain('<title>[FIRING:2] HighLatency eu 1 (api warning)</title>');
    expect(html).toContain('href="http://am.example.com:9093/#/alerts?receiver=team-x%5C.ops"');
    expect(html).toContain('runbook = http://rb/&lt;x&gt;&amp;y');
    expect(html).toContain('description = p99 &#34;high&#34;');
    expect(html).toContain('href="http://prom:9090/graph?g0.expr=up&amp;i=1"');
  });

  it('renders Herald email.default.html with escaped values and links', () => {
    const html = ours.executeHtml('{{ template "email.default.html" . }}', DATA[0]![1]);
    expect(html).toContain('<title>[FIRING:2] HighLatency eu 1 (api warning)</title>');
    expect(html).toContain('href="http://am.example.com:9093/#/alerts?receiver=team-x%5C.ops"');
    expect(html).toContain('http://rb/&lt;x&gt;&amp;y');
    expect(html).toContain('href="http://prom:9090/graph?g0.expr=up&amp;i=1"');
    expect(html).toContain('[2] Firing');
    expect(html).toContain('[1] Resolved');
  });
});

describe('loadTemplates / checkTemplates', () => {
  it('loads the defaults with no tenant files', () => {
    const r = loadTemplates([]);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.executeText('{{ template "slack.default.color" . }}', DATA[1]![1])).toBe('good');
  });

  it('lets tenant files override a default definition', () => {
    const r = loadTemplates([{ name: 'dir/my.tmpl', text: '{{ define "slack.default.title" }}custom {{ .Status }}{{ end }}' }]);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.executeText('{{ template "slack.default.title" . }}', DATA[1]![1])).toBe('custom resolved');
      expect(r.value.definedNames()).toContain('slack.default.title');
      expect(r.value.definedNames()).not.toContain('my.tmpl');
    }
  });

  it('keeps a definition when a later file redefines it with an empty body', () => {
    const r = loadTemplates([{ name: 'a.tmpl', text: '{{ define "x" }}one{{ end }}' }, { name: 'b.tmpl', text: '{{ define "x" }} {{ end }}' }]);
    expect(r.ok && r.value.executeText('{{ template "x" }}', DATA[4]![1])).toBe('one');
  });

  it('reports parse errors with file, line and column', () => {
    const r = checkTemplates([
      { name: 'ok.tmpl', text: '{{ define "a" }}a{{ end }}' },
      { name: 'conf/bad.tmpl', text: '{{ define "b" }}\nline two {{ nope . }}\n{{ end }}' },
      { name: 'worse.tmpl', text: '{{ if .X }}' },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toHaveLength(2);
      expect(r.issues[0]).toMatchObject({
        message: 'template: bad.tmpl:2: function "nope" not defined', path: ['conf/bad.tmpl'], range: { start: { line: 2, column: 13 } },
      });
      expect(r.issues[1]?.message).toBe('template: worse.tmpl:1: unexpected EOF');
    }
  });

  it('accepts the upstream files as tenant files', () => {
    expect(checkTemplates([{ name: 'default.tmpl', text: read('default.tmpl') }, { name: 'email.tmpl', text: read('email.tmpl') }]).ok).toBe(true);
  });
});
