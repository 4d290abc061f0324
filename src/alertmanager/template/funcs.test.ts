import { describe, expect, it } from 'vitest';
import type { TemplateData } from '../notify/template-data.js';
import { GoTime, loadZone } from './go-time.js';
import { humanizeDuration, titleCase } from './funcs.js';
import { buildTemplateSet } from './template-set.js';
import { GoMap, GoSlice, stringSlice } from './values.js';
import type { GoValue } from './values.js';
import { kvValue } from './data.js';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const set = (() => {
  const r = buildTemplateSet([], { clock: { now: () => NOW } });
  if (!r.ok) throw new Error('defaults failed to load');
  return r.value;
})();

const jan1 = GoTime.fromMillis(Date.UTC(2024, 0, 1, 8, 15, 30));
const floats = (xs: number[]): GoSlice => new GoSlice('[]float64', xs);
const ints = (xs: number[]): GoSlice => new GoSlice('[]int', xs.map((x) => BigInt(x)));
const dataWithGroupLabels = new GoMap('template.Data', new Map<string, GoValue>([['GroupLabels', kvValue({ key1: 'key1', key2: 'key2', key3: 'key3', key4: 'key4' })]]), undefined);

// Expected outputs re-expressed from Alertmanager's template/template_test.go
// (TestTemplateExpansion and TestTemplateFuncs).
const UPSTREAM: Array<[string, string, GoValue, string, boolean?]> = [
  ['no action', 'abc', undefined, 'abc'],
  ['simple action', '{{ "abc" }}', undefined, 'abc'],
  ['toUpper', '{{ "abc" | toUpper }}', undefined, 'ABC'],
  ['toLower', '{{ "ABC" | toLower }}', undefined, 'abc'],
  ['title', '{{ "abc" | title }}', undefined, 'Abc'],
  ['trimSpace', '{{ " a b c " | trimSpace }}', undefined, 'a b c'],
  ['positive match', '{{ if match "^a" "abc"}}abc{{ end }}', undefined, 'abc'],
  ['negative match', '{{ if match "abcd" "abc" }}abc{{ end }}', undefined, ''],
  ['match prints bool', '{{ match "[a-z]+" "abc" }}', undefined, 'true'],
  ['join', '{{ . | join "," }}', stringSlice(['a', 'b', 'c']), 'a,b,c'],
  ['text keeps <b>', '{{ "<b>" }}', undefined, '<b>'],
  ['html escapes <b>', '{{ "<b>" }}', undefined, '&lt;b&gt;', true],
  ['safeHtml', '{{ "<b>" | safeHtml }}', undefined, '<b>', true],
  ['reReplaceAll', '{{ reReplaceAll "ab" "AB" "abcdabcda"}}', undefined, 'ABcdABcda'],
  ['stringSlice + Remove', '{{ with .GroupLabels }}{{ with .Remove (stringSlice "key1" "key3") }}{{ .SortedPairs.Values }}{{ end }}{{ end }}', dataWithGroupLabels, '[key2 key4]'],
  ['date', '{{ . | date "2006-01-02" }}', jan1, '2024-01-01'],
  ['tz', '{{ . | tz "Europe/Paris" }}', jan1, '2024-01-01 09:15:30 +0100 CET'],
  ['humanizeDuration floats', '{{ range . }}{{ humanizeDuration . }}:{{ end }}', floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]),
    '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:'],
  ['humanizeDuration strings', '{{ range . }}{{ humanizeDuration . }}:{{ end }}', stringSlice(['0', '1', '60', '3600', '86400']), '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:'],
  ['humanizeDuration sub-second floats', '{{ range . }}{{ humanizeDuration . }}:{{ end }}', floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]),
    '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
  ['humanizeDuration sub-second strings', '{{ range . }}{{ humanizeDuration . }}:{{ end }}', stringSlice(['.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345']),
    '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
  ['humanizeDuration ints', '{{ range . }}{{ humanizeDuration . }}:{{ end }}', ints([0, -1, 1, 1234567]), '0s:-1s:1s:14d 6h 56m 7s:'],
  ['since | humanizeDuration', '{{ . | since | humanizeDuration }}', GoTime.fromMillis(NOW - 3600_000), '1h 0m 0s'],
];

const UPSTREAM_ERRORS: Array<[string, string, GoValue, string]> = [
  ['invalid syntax', '{{ ', undefined, 'template: :1: unclosed action'],
  ['invalid tz', '{{ . | tz "Invalid/Timezone" }}', jan1, 'template: :1:7: executing "" at <tz "Invalid/Timezone">: error calling tz: unknown time zone Invalid/Timezone'],
  ['humanizeDuration of a word', '{{ humanizeDuration "one" }}', undefined,
    'template: :1:3: executing "" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax'],
];

describe('Alertmanager template functions (upstream template_test.go cases)', () => {
  it.each(UPSTREAM)('%s', (_t, text, dot, want, html) => {
    expect(set.executeValue(text, dot, html === true)).toBe(want);
  });
  it.each(UPSTREAM_ERRORS)('%s fails', (_t, text, dot, want) => {
    expect(() => set.executeValue(text, dot)).toThrow(want);
  });
});

const DATA: TemplateData = {
  receiver: 'r', status: 'firing', externalURL: 'http://am', groupLabels: { job: 'api' }, commonLabels: { job: 'api' }, commonAnnotations: {},
  alerts: [{ status: 'firing', labels: { job: 'api', alertname: 'Up' }, annotations: { summary: 'x' }, startsAt: Date.UTC(2024, 0, 2, 3, 4, 5, 678), endsAt: 0, generatorURL: 'g', fingerprint: 'f1' }],
};

describe('more functions', () => {
  it.each([
    ['title lowers the rest', '{{ title "hELLO wORLD foo-bar it\'s x_y" }}', "Hello World Foo-Bar It's X_y"],
    ['reReplaceAll groups', '{{ reReplaceAll "(a+)(b)" "${2}$1" "aab ab" }}', 'baa ba'],
    ['reReplaceAll named', '{{ reReplaceAll "(?P<x>[0-9]+)" "<$x>" "a1b22" }}', 'a<1>b<22>'],
    ['safeUrl in text is plain', '{{ safeUrl "javascript:x" }}', 'javascript:x'],
    ['urlUnescape', '{{ urlUnescape "a%20b+c%2F" }}', 'a b c/'],
    ['toJson of labels', '{{ toJson (index .Alerts 0).Labels }}', '{"alertname":"Up","job":"api"}'],
    ['toJson of a string', '{{ toJson "<a>" }}', '"\\u003ca\\u003e"'],
    ['toJson of an alert', '{{ toJson (index .Alerts 0) }}',
      '{"status":"firing","labels":{"alertname":"Up","job":"api"},"annotations":{"summary":"x"},"startsAt":"2024-01-02T03:04:05.678Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"g","fingerprint":"f1"}'],
    ['date with a zone', '{{ (index .Alerts 0).StartsAt | tz "America/New_York" | date "Mon Jan _2 03:04:05.000 PM MST 2006 -07:00" }}', 'Mon Jan  1 10:04:05.678 PM EST 2024 -05:00'],
    ['time printing', '{{ (index .Alerts 0).StartsAt }}|{{ (index .Alerts 0).EndsAt }}', '2024-01-02 03:04:05.678 +0000 UTC|0001-01-01 00:00:00 +0000 UTC'],
    ['time methods', '{{ with index .Alerts 0 }}{{ .StartsAt.Unix }} {{ .StartsAt.UTC.Year }} {{ .EndsAt.IsZero }} {{ .StartsAt.Format "2006-01-02T15:04:05Z07:00" }}{{ end }}',
      '1704164645 2024 true 2024-01-02T03:04:05Z'],
    ['since on data', '{{ (index .Alerts 0).StartsAt | since }}', '3632h55m54.322s'],
    ['Firing/Resolved', '{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }}', '1/0'],
    ['KV String and Names', '{{ (index .Alerts 0).Labels }} {{ (index .Alerts 0).Labels.Names }}', 'alertname=Up, job=api [alertname job]'],
    ['missing label is empty', '[{{ .CommonLabels.nope }}][{{ index .CommonLabels "nope" }}]', '[][]'],
  ])('%s', (_t, text, want) => {
    expect(set.executeText(text, DATA)).toBe(want);
  });

  it.each([
    ['bad regex in match', '{{ match "(" "x" }}', 'template: :1:3: executing "" at <match "(" "x">: error calling match: error parsing regexp: missing closing ): `(`'],
    ['bad regex in reReplaceAll', '{{ reReplaceAll "(" "" "x" }}', 'error calling reReplaceAll: regexp: Compile("("): error parsing regexp: missing closing ): `(`'],
    ['join of a string', '{{ join "," "abc" }}', 'template: :1:12: executing "" at <"abc">: can\'t handle "abc" for arg of type []string'],
    ['toUpper of an int', '{{ toUpper 1 }}', 'template: :1:11: executing "" at <1>: expected string; found 1'],
    ['toUpper of a KV', '{{ toUpper .CommonLabels }}', 'template: :1:11: executing "" at <.CommonLabels>: wrong type for value; expected string; got template.KV'],
    ['urlUnescape bad escape', '{{ urlUnescape "%zz" }}', 'error calling urlUnescape: invalid URL escape "%zz"'],
  ])('%s fails', (_t, text, want) => {
    expect(() => set.executeText(text, DATA)).toThrow(want);
  });

  it('humanizeDuration edge values', () => {
    expect(humanizeDuration(Infinity)).toBe('+Inf');
    expect(humanizeDuration('NaN')).toBe('NaN');
    expect(() => humanizeDuration(true)).toThrow("can't convert bool to float");
    expect(titleCase('élan vital')).toBe('Élan Vital');
  });

  it('zone abbreviations fall back to numeric offsets', () => {
    expect(loadZone('Nope/Zone')).toBeUndefined();
    expect(loadZone('Asia/Kolkata')?.at(0).offset).toBe(19800);
  });
});
