import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Issue, Result } from '../../core/result.js';
import type { AlertmanagerConfig } from './types.js';
import { loadConfig, loadConfigValue } from './load.js';
import { parseYaml } from './yaml-doc.js';

const DIR = fileURLToPath(new URL('../../../../shared/conformance/alertmanager-config/', import.meta.url));

const BASE = 'route:\n  receiver: r\nreceivers:\n- name: r\n';

/** Texts with problems of every stage: decoding, receivers, routes, inhibit rules, time intervals, tenant mode. */
const TEXTS: ReadonlyArray<readonly [string, string]> = [
  ['minimal', BASE],
  ['unknown key', BASE + 'recievers: []\n'],
  ['unknown integration key', BASE + '  webhook_configs:\n  - url: http://x/\n    urll: http://y/\n'],
  ['root continue', 'route:\n  receiver: r\n  continue: yes\nreceivers:\n- name: r\n'],
  ['undefined receiver', 'route:\n  receiver: r\n  routes:\n  - receiver: nope\nreceivers:\n- name: r\n'],
  ['bad matcher', 'route:\n  receiver: r\n  routes:\n  - matchers: [\'a=~"(\']\nreceivers:\n- name: r\n'],
  ['duplicate receiver', BASE + '- name: r\n'],
  ['bad duration', 'route:\n  receiver: r\n  group_wait: 5 minutes\nreceivers:\n- name: r\n'],
  ['inhibit rule', BASE + 'inhibit_rules:\n- source_matchers: [a="b"]\n  target_matchers: [c="d"]\n  equal: [x]\n'],
  ['time interval', BASE + 'time_intervals:\n- name: t\n  time_intervals:\n  - weekdays: [monday:friday]\n'],
  ['bad time interval', BASE + 'time_intervals:\n- name: t\n  time_intervals:\n  - weekdays: [someday]\n'],
  ['not a mapping', '- a\n- b\n'],
  ['no route', 'receivers:\n- name: r\n'],
];

const conformance = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f): [string, string] => [f, readFileSync(DIR + f, 'utf8')]);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Issues without positions, in a stable order. */
function unplaced(issues: readonly Issue[]): Array<[string, string, string]> {
  return issues.map((i): [string, string, string] => [i.code, i.message, JSON.stringify(i.path ?? [])]).sort();
}

function expectSame(asData: Result<AlertmanagerConfig>, asText: Result<AlertmanagerConfig>): void {
  expect(asData.ok).toBe(asText.ok);
  if (asData.ok && asText.ok) expect({ ...asData.value, original: asText.value.original }).toEqual(asText.value);
  if (!asData.ok && !asText.ok) {
    expect(unplaced(asData.issues)).toEqual(unplaced(asText.issues));
    for (const i of asData.issues) expect(i.range).toBeUndefined();
  }
}

describe('loadConfigValue: what loadConfig gives for the same data', () => {
  it.each([...TEXTS, ...conformance])('%s', (_name, text) => {
    const doc = parseYaml(text);
    if (doc.issues.length > 0) return;
    for (const tenantMode of [false, true]) {
      // Frozen: validating must not modify the caller's data (a throw here would say it does).
      expectSame(loadConfigValue(deepFreeze(doc.value), { tenantMode, original: text }), loadConfig(text, { tenantMode }));
    }
  });

  it('keeps the text it is given as the original', () => {
    const r = loadConfigValue({ route: { receiver: 'r' }, receivers: [{ name: 'r' }] }, { original: 'x' });
    expect(r.ok && r.value.original).toBe('x');
    const bare = loadConfigValue({ route: { receiver: 'r' }, receivers: [{ name: 'r' }] });
    expect(bare.ok && bare.value.original).toBe('');
  });
});

class Box {
  readonly name = 'r';
}

describe('loadConfigValue: values no YAML text gives', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 205; i++) deep = [deep];
  it.each<[string, unknown, ReadonlyArray<string | number>]>([
    ['an undefined value', { route: { receiver: undefined }, receivers: [{ name: 'r' }] }, ['route', 'receiver']],
    ['an undefined list item', { route: { receiver: 'r' }, receivers: [undefined] }, ['receivers', 0]],
    ['a class instance', { route: { receiver: 'r' }, receivers: [new Box()] }, ['receivers', 0]],
    ['a Map', { route: new Map([['receiver', 'r']]) }, ['route']],
    ['a function', { route: { receiver: 'r' }, receivers: [{ name: () => 'r' }] }, ['receivers', 0, 'name']],
    ['a bigint', { route: { receiver: 'r', group_wait: 10n } }, ['route', 'group_wait']],
    ['a merge key', { route: { receiver: 'r', '<<': { group_wait: '1m' } } }, ['route', '<<']],
    ['nesting deeper than YAML is read', { route: { receiver: 'r' }, templates: deep }, expect.arrayContaining(['templates'])],
  ])('%s', (_name, value, path) => {
    const r = loadConfigValue(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ code: 'invalid_value', path })]);
  });

  it('accepts data shaped as YAML reads it (a null-prototype object, NaN)', () => {
    const route = Object.assign(Object.create(null) as Record<string, unknown>, { receiver: 'r' });
    expect(loadConfigValue({ route, receivers: [{ name: 'r', webhook_configs: [{ url: 'http://x/', max_alerts: 0 }] }] }).ok).toBe(true);
    expect(loadConfigValue({ route: { receiver: 'r' }, receivers: [{ name: 'r' }], tracing: { sampling_fraction: NaN } }).ok).toBe(true);
  });
});
