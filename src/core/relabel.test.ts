import { describe, expect, it } from 'vitest';
import { expandTemplate, newRelabelRule, relabel } from './relabel.js';
import type { RawRelabelRule, RelabelRule } from './relabel.js';

function rules(raw: RawRelabelRule[]): RelabelRule[] {
  return raw.map((r) => {
    const res = newRelabelRule(r);
    if (!res.ok) throw new Error(res.issues.map((i) => i.message).join('; '));
    return res.value;
  });
}

// Cases follow prometheus/prometheus model/relabel TestRelabel.
const cases: Array<[string, Record<string, string>, RawRelabelRule[], Record<string, string> | 'drop']> = [
  ['replace with ${1}', { a: 'foo', b: 'bar', c: 'baz' }, [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' }], { a: 'foo', b: 'bar', c: 'baz', d: 'choo-choo' }],
  [
    'chained replaces over two sources',
    { a: 'foo', b: 'bar', c: 'baz' },
    [
      { source_labels: ['a', 'b'], regex: 'f(.*);(.*)r', target_label: 'a', replacement: 'b${1}${2}m' },
      { source_labels: ['c', 'a'], regex: '(b).*b(.*)ba(.*)', target_label: 'd', replacement: '$1$2$2$3' },
    ],
    { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' },
  ],
  ['drop stops the chain', { a: 'foo' }, [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }, { source_labels: ['a'], target_label: 'd' }], 'drop'],
  ['regex is anchored (drop)', { a: 'foo' }, [{ source_labels: ['a'], regex: 'f|o', action: 'drop' }], { a: 'foo' }],
  ['partial group match', { a: 'abc' }, [{ source_labels: ['a'], regex: '.*(b).*', target_label: 'd' }], { a: 'abc', d: 'b' }],
  ['keep without match drops', { a: 'foo' }, [{ source_labels: ['a'], regex: 'no-match', action: 'keep' }], 'drop'],
  ['keep with match', { a: 'foo' }, [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }], { a: 'foo' }],
  ['no replacement without a match', { a: 'boo' }, [{ source_labels: ['a'], regex: 'f', target_label: 'b', replacement: 'bar' }], { a: 'boo' }],
  ['hashmod', { a: 'foo', b: 'bar', c: 'baz' }, [{ source_labels: ['c'], target_label: 'd', action: 'hashmod', modulus: 1000 }], { a: 'foo', b: 'bar', c: 'baz', d: '976' }],
  ['hashmod with newline', { a: 'foo\nbar' }, [{ source_labels: ['a'], target_label: 'b', action: 'hashmod', modulus: 1000 }], { a: 'foo\nbar', b: '734' }],
  ['labelmap', { a: 'foo', b1: 'bar', b2: 'baz' }, [{ regex: '(b.*)', replacement: 'bar_${1}', action: 'labelmap' }], { a: 'foo', b1: 'bar', b2: 'baz', bar_b1: 'bar', bar_b2: 'baz' }],
  ['labelmap of meta labels', { a: 'foo', __meta_my_bar: 'aaa', __meta_other: 'ccc' }, [{ regex: '__meta_(my.*)', replacement: '${1}', action: 'labelmap' }], { a: 'foo', __meta_my_bar: 'aaa', __meta_other: 'ccc', my_bar: 'aaa' }],
  ['templated target label', { a: 'some-name-value' }, [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${2}', target_label: '${1}' }], { a: 'some-name-value', name: 'value' }],
  ['empty replacement deletes (unknown group)', { a: 'some-name-value', name: 'x' }, [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${3}', target_label: '${1}' }], { a: 'some-name-value' }],
  ['invalid expanded target is skipped', { a: 'some-name-0' }, [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${1}', target_label: '${3}' }], { a: 'some-name-0' }],
  ['labelkeep', { a: 'foo', b1: 'bar', b2: 'baz' }, [{ regex: '(b.*)', action: 'labelkeep' }], { b1: 'bar', b2: 'baz' }],
  ['labeldrop', { a: 'foo', b1: 'bar', b2: 'baz' }, [{ regex: '(b.*)', action: 'labeldrop' }], { a: 'foo' }],
  [
    'upper and lower case',
    { foo: 'bAr123Foo' },
    [
      { source_labels: ['foo'], action: 'uppercase', target_label: 'foo_uppercase' },
      { source_labels: ['foo'], action: 'lowercase', target_label: 'foo_lowercase' },
    ],
    { foo: 'bAr123Foo', foo_lowercase: 'bar123foo', foo_uppercase: 'BAR123FOO' },
  ],
  ['keepequal keeps', { __tmp_port: '1234', __port1: '1234' }, [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port1' }], { __tmp_port: '1234', __port1: '1234' }],
  ['keepequal drops', { __tmp_port: '1234', __port2: '5678' }, [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port2' }], 'drop'],
  ['dropequal drops', { __tmp_port: '1234', __port1: '1234' }, [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port1' }], 'drop'],
  ['dropequal keeps', { __tmp_port: '1234', __port2: '5678' }, [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port2' }], { __tmp_port: '1234', __port2: '5678' }],
  ['missing source is empty string', { a: 'x' }, [{ source_labels: ['a', 'nope'], regex: 'x;', target_label: 'ok', replacement: 'yes' }], { a: 'x', ok: 'yes' }],
  ['custom separator', { a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], separator: '/', target_label: 'c' }], { a: 'x', b: 'y', c: 'x/y' }],
  ['action is case-insensitive', { a: 'x' }, [{ source_labels: ['a'], regex: 'y', action: 'KEEP' }], 'drop'],
];

describe('relabel', () => {
  it.each(cases)('%s', (_name, input, raw, want) => {
    const out = relabel(input, rules(raw));
    if (want === 'drop') expect(out).toBeUndefined();
    else expect(out).toEqual(want);
  });
});

describe('newRelabelRule validation', () => {
  it.each<[RawRelabelRule, string]>([
    [{ action: 'replace', target_label: '' }, "relabel configuration for replace action requires 'target_label' value"],
    [{ action: 'lowercase' }, "requires 'target_label' value"],
    [{ action: 'lowercase', target_label: '${3}' }, `"\${3}" is invalid 'target_label'`],
    [{ action: 'replace', target_label: '0${3}' }, `"0\${3}" is invalid 'target_label'`],
    [{ action: 'replace', target_label: '-${3}' }, `"-\${3}" is invalid 'target_label' for replace action`],
    [{ action: 'hashmod', target_label: 'x' }, 'relabel configuration for hashmod requires non-zero modulus'],
    [{ action: 'frobnicate' }, 'unknown relabel action "frobnicate"'],
    [{ regex: '(' }, 'invalid regular expression'],
    [{ action: 'labeldrop', regex: 'a', target_label: 'x' }, "labeldrop action requires only 'regex', and no other fields"],
    [{ action: 'keepequal', target_label: 'x', regex: 'y' }, "keepequal action requires only 'source_labels' and 'target_label'"],
  ])('%j fails', (raw, msg) => {
    const r = newRelabelRule(raw, ['relabel_configs', 0]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('; ')).toContain(msg);
  });

  it.each(['label', 'label${1}', '${1}label', '${1}', '$1', 'asd$2asd', '_${1}_', 'foo${bar}foo'])('target %s is valid for replace', (t) => {
    expect(newRelabelRule({ target_label: t }).ok).toBe(true);
  });

  it.each(['-label', '${', '$', '${}', 'foo${', '-foo${1}bar-'])('target %s is invalid for replace', (t) => {
    expect(newRelabelRule({ target_label: t }).ok).toBe(false);
  });
});

describe('expandTemplate (Go regexp.Expand)', () => {
  const m = Object.assign(['abc', 'a', 'b'], { index: 0, input: 'abc', groups: { name: 'N' } }) as unknown as RegExpExecArray;
  it.each([
    ['$1', 'a'],
    ['${2}x', 'bx'],
    ['$1x', ''], // `$1x` names group "1x", which does not exist
    ['$$1', '$1'],
    ['${name}-$name', 'N-N'],
    ['$9', ''],
    ['a$', 'a$'],
    ['${bad', '${bad'],
  ])('%s -> %s', (tpl, want) => {
    expect(expandTemplate(tpl, m)).toBe(want);
  });
});
