import { describe, expect, it } from 'vitest';
import type { RuleSample } from '../api.js';
import { ALERT_TEMPLATE_PREFIX, expandAlertTemplate, tryExpandAlertTemplate } from './index.js';
import type { AlertTemplateData, TemplateEnv } from './index.js';

const EVAL_MS = 1_700_000_000_000;
const env = (query: (expr: string) => Promise<RuleSample[]> = () => Promise.resolve([])): TemplateEnv =>
  ({ evalTimeMs: EVAL_MS, externalURL: 'https://prom.example.com/sub', query });
const data: AlertTemplateData = {
  labels: { __name__: 'http_errors', instance: 'web-1.example.com:9100', job: 'api' },
  externalLabels: { cluster: 'eu-1' },
  value: 1234567.891,
};
/** Column of a position in the user's text: Go counts the prefix, which shares the first line. */
const col = (n: number): number => ALERT_TEMPLATE_PREFIX.length + n;

describe('expandAlertTemplate', () => {
  it.each([
    ['{{ $labels.instance }} of {{ $labels.job }}', 'web-1.example.com:9100 of api'],
    ['{{ $value }}', '1.234567891e+06'],
    ['{{ $value | humanize }} {{ .Value | printf "%.2f" }}', '1.235M 1234567.89'],
    ['{{ $externalLabels.cluster }} {{ $externalURL }} {{ .ExternalURL }}', 'eu-1 https://prom.example.com/sub https://prom.example.com/sub'],
    ['[{{ $labels.missing }}] [{{ .Labels.missing }}] [{{ $externalLabels.x }}]', '[] [] []'],
    ['{{ $labels.instance | stripPort | stripDomain }}', 'web-1'],
    ['{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}', '__name__=http_errors;instance=web-1.example.com:9100;job=api;'],
    ['{{ now | humanizeTimestamp }} {{ pathPrefix }}', '2023-11-14 22:13:20 +0000 UTC /sub'],
    ['no template at all', 'no template at all'],
    ['', ''],
  ])('%s', async (text, want) => {
    expect(await expandAlertTemplate('HighErrors', text, data, env())).toBe(want);
  });

  it('uses the data\'s ExternalURL when given, the env\'s for the externalURL function', async () => {
    const d = { ...data, externalURL: 'http://other' };
    expect(await expandAlertTemplate('A', '{{ $externalURL }} {{ externalURL }}', d, env())).toBe('http://other https://prom.example.com/sub');
  });

  it('renders execution errors as <error expanding template: ...> with Go\'s positions', async () => {
    expect(await expandAlertTemplate('HighErrors', '{{ humanize "x" }}', data, env())).toBe(
      `<error expanding template: error executing template __alert_HighErrors: template: __alert_HighErrors:1:${col(3)}: ` +
      'executing "__alert_HighErrors" at <humanize "x">: error calling humanize: strconv.ParseFloat: parsing "x": invalid syntax>');
    expect(await expandAlertTemplate('A', 'line one\n{{ .Nope }}', data, env())).toBe(
      '<error expanding template: error executing template __alert_A: template: __alert_A:2:3: executing "__alert_A" at <.Nope>: ' +
      'can\'t evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }>');
  });

  it('renders parse errors the same way', async () => {
    expect(await expandAlertTemplate('A', '{{ nosuch }}', data, env())).toBe(
      '<error expanding template: error parsing template __alert_A: template: __alert_A:1: function "nosuch" not defined>');
    expect(await tryExpandAlertTemplate('A', 'x\n{{ end }}', data, env())).toEqual({ ok: false, error:
      'error parsing template __alert_A: template: __alert_A:2: unexpected {{end}}' });
  });

  it('queries at the evaluation through env.query and expands with the results', async () => {
    const seen: string[] = [];
    const q = (expr: string): Promise<RuleSample[]> => {
      seen.push(expr);
      return Promise.resolve([{ labels: { instance: 'b' }, t: EVAL_MS, v: 0.25 }, { labels: { instance: 'a' }, t: EVAL_MS, v: 0.5 }]);
    };
    const text = '{{ range query (printf "rate(x{job=%q}[5m])" $labels.job) | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value | humanizePercentage }} {{ end }}';
    expect(await expandAlertTemplate('A', text, data, env(q))).toBe('a=50% b=25% ');
    expect(seen).toEqual(['rate(x{job="api"}[5m])']);
  });

  it('turns a failing query into the template error, never a rejection', async () => {
    const bad = env(() => Promise.reject(new Error('http://remote/api/v1/query: 503 Service Unavailable')));
    expect(await expandAlertTemplate('A', '{{ query "up" | len }}', data, bad)).toBe(
      `<error expanding template: error executing template __alert_A: template: __alert_A:1:${col(3)}: executing "__alert_A" at <query "up">: ` +
      'error calling query: http://remote/api/v1/query: 503 Service Unavailable>');
    // A template that never reaches the query does not run it.
    expect(await expandAlertTemplate('A', '{{ if false }}{{ query "up" }}{{ end }}ok', data, bad)).toBe('ok');
  });

  it('gives the same answer on every expansion of a cached text', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await expandAlertTemplate('A', '{{ $value | humanize1024 }}', { ...data, value: 2048 * (i + 1) }, env())).toBe(`${2 * (i + 1)}ki`);
    }
  });
});
