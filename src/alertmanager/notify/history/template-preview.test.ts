import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../template/index.js';
import { sampleAlerts } from './receiver-test.js';
import { previewTemplate } from './template-preview.js';

const NOW = Date.UTC(2024, 0, 1);
const base = { alerts: sampleAlerts(undefined, NOW), sources: [], receiver: 'preview', externalURL: 'http://herald', tenant: 't', now: NOW };

describe('previewTemplate with the real template engine', () => {
  it.each([
    ['{{ template "__subject" . }}', '[FIRING:1] TestAlert (Herald)'],
    ['{{ .Status }} {{ len .Alerts }} {{ .ExternalURL }}', 'firing 1 http://herald'],
    ['{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}', 'Notification test'],
  ])('%s', (template, output) => expect(previewTemplate(loadTemplates, { ...base, template })).toEqual({ ok: true, value: output }));

  it('uses given template files', () => {
    const sources = [{ name: 'mine.tmpl', text: '{{ define "mine" }}hello {{ .Receiver }}{{ end }}' }];
    expect(previewTemplate(loadTemplates, { ...base, sources, template: '{{ template "mine" . }}' })).toEqual({ ok: true, value: 'hello preview' });
  });

  it.each([
    [{ template: 'ab {{ nope }}' }, /^template: :1: function "nope" not defined$/],
    [{ template: '{{ if }}' }, /^template: :1: missing value for if$/],
    [{ template: 'x', sources: [{ name: 'bad.tmpl', text: '{{ define "a" }}' }] }, /^template: bad\.tmpl:1: unexpected EOF$/],
  ])('reports %j with its position', (over, message) => {
    const r = previewTemplate(loadTemplates, { ...base, ...over });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(message);
  });
});
