import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../core/result.js';
import { parseRuleFile, parseRuleFileValue } from './index.js';
import { valueTree } from './value-tree.js';
import type { YamlNode } from './yaml-tree.js';
import { parseYamlTree } from './yaml-tree.js';

const rule = (over: Record<string, unknown>): Record<string, unknown> => ({ alert: 'A', expr: 'up == 0', ...over });
const file = (...rules: unknown[]): Record<string, unknown> => ({ groups: [{ name: 'g', rules }] });

/** Rule files as data, good and bad, with scalars of every kind where rulefmt reads text. */
const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['good, every field', { groups: [{ name: 'g', interval: '1m', query_offset: '30s', limit: 5, labels: { team: 'db' }, rules: [rule({ for: '5m', keep_firing_for: '1m', labels: { severity: 'page' }, annotations: { summary: '{{ $labels.job }} is down' } }), { record: 'job:up:sum', expr: 'sum by (job) (up)' }] }] }],
  ['numbers, booleans and null as label values', file(rule({ labels: { a: 5, b: 1.5, c: true, d: null, e: -0, f: 1e21, g: '' } }))],
  ['empty file', {}],
  ['null groups', { groups: null }],
  ['undefined fields are left out', file(rule({ for: undefined, labels: { a: 'b', c: undefined } }))],
  ['unknown field', file(rule({ fro: '5m' }))],
  ['bad duration', file(rule({ for: '5 minutes' }))],
  ['number as duration', file(rule({ for: 300 }))],
  ['bad expression', file(rule({ expr: 'sum(' }))],
  ['no expression', file({ alert: 'A' })],
  ['record and alert', file({ alert: 'A', record: 'r', expr: 'up' })],
  ['bad template', file(rule({ annotations: { summary: '{{ .Foo ' } }))],
  ['repeated group', { groups: [{ name: 'g', rules: [rule({})] }, { name: 'g', rules: [rule({})] }] }],
  ['groups not a list', { groups: 'x' }],
  ['rules not a list', { groups: [{ name: 'g', rules: { a: 1 } }] }],
  ['list as a label value', file(rule({ labels: { a: ['x'] } }))],
  ['negative limit', { groups: [{ name: 'g', limit: -1, rules: [rule({})] }] }],
  ['float limit', { groups: [{ name: 'g', limit: 1.5, rules: [rule({})] }] }],
  ['YAML 1.1 words and numbers as text', file(rule({ labels: { a: 'yes', b: 'off', c: '123', d: '0x1F', e: '1e3', f: 'null', g: '~' } }))],
  ['multi-line expression and text', file(rule({ expr: 'sum(\n  up\n) == 0\n', annotations: { d: 'line 1\nline 2: "x" #y' } }))],
];

function unplaced(issues: readonly Issue[]): Array<[string, string]> {
  return issues.map((i): [string, string] => [i.code, i.message]);
}

describe('parseRuleFileValue: what parseRuleFile gives for the data written as YAML', () => {
  it.each(FILES)('%s', (_name, value) => {
    const asData = parseRuleFileValue(value);
    const asText = parseRuleFile(stringify(value), 'f.yml');
    expect(asData.ok).toBe(asText.ok);
    if (asData.ok && asText.ok) expect(asData.value).toEqual(asText.value);
    if (!asData.ok && !asText.ok) expect(unplaced(asData.issues)).toEqual(unplaced(asText.issues));
  });

  it.each<[string, unknown, ReadonlyArray<string | number>]>([
    ['a Map', { groups: [new Map()] }, ['groups', 0]],
    ['a function', file(rule({ expr: () => 'up' })), ['groups', 0, 'rules', 0, 'expr']],
    ['a merge key', file(rule({ '<<': { for: '1m' } })), ['groups', 0, 'rules', 0, '<<']],
  ])('reports %s as a value with no YAML form', (_name, value, path) => {
    const r = parseRuleFileValue(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ code: 'invalid_value', path })]);
  });
});

/** The parts of a node parsing YAML decides (not positions). */
function shape(n: YamlNode): unknown {
  if (n.kind === 'scalar') return [n.tag, n.text, n.value];
  if (n.kind === 'seq') return n.items.map(shape);
  return n.entries.map((e) => [e.key, shape(e.keyNode), shape(e.value)]);
}

describe('valueTree: the tree parsing the data written as YAML gives', () => {
  it.each<[string, unknown]>([
    ['strings that read as other types', { a: 'true', b: '1', c: 'null', d: '~', e: '.inf', f: '0o7', g: '', h: ' x ', i: 'a: b', j: '- x', k: "it's \"q\"" }],
    ['numbers', { a: 0, b: -0, c: -3, d: 1.5, e: 1e21, f: 1e-7, g: 123456789012, h: NaN, i: Infinity, j: -Infinity }],
    ['keys that read as other types', { true: 1, '1': 2, null: 3, '': 4 }],
    ['nesting, empty collections, undefined items', { a: [[], {}, [1, undefined, { b: null }]], c: { d: { e: false } } }],
    ['multi-line strings', { a: 'x\ny\n', b: 'x\n\n  y', c: '\ttab' }],
  ])('%s', (_name, value) => {
    const parsed = parseYamlTree(stringify(value));
    const built = valueTree(value);
    expect(parsed.ok && built.ok).toBe(true);
    if (parsed.ok && built.ok && parsed.root) expect(shape(built.root)).toEqual(shape(parsed.root));
  });

  it('refuses data deeper than YAML text is read', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 205; i++) deep = { a: deep };
    const t = valueTree(deep);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.problem).toBe('nested too deeply');
  });
});
