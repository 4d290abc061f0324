import { stringify } from 'yaml';
import type * as Yaml from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { configYaml } from './yaml-text.js';

vi.mock('yaml', async (importOriginal) => {
  const lib = await importOriginal<typeof Yaml>();
  return { ...lib, stringify: vi.fn(lib.stringify) };
});

const library = (doc: Record<string, unknown>): string => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });

describe('configYaml: the text yaml.stringify writes', () => {
  it.each<[string, Record<string, unknown>]>([
    ['empty document', {}],
    ['a rendered configuration', {
      global: { resolve_timeout: '5m' },
      route: { receiver: 'default', group_by: ['alertname', 'namespace'], routes: [{ receiver: 'herald-platform', matchers: ['alert_source="platform"'], continue: false }, { matchers: ['alert_source!="platform"'], routes: [{ receiver: 'ns-1/cfg-0/hook', matchers: ['namespace="ns-1"', 'team="cfg-0"'], continue: true, routes: [] }] }] },
      receivers: [{ name: 'default' }, { name: 'ns-1/cfg-0/hook', webhook_configs: [{ url: 'http://127.0.0.1:5001/hook?ns=ns-1&cfg=cfg-0', send_resolved: true, max_alerts: 0 }] }],
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
    }],
    ['null, booleans, numbers', { a: null, b: true, c: false, d: 0, e: -0, f: -12, g: 1.25, h: 1e21, i: 1e-7 }],
    ['empty collections and nesting', { a: [], b: {}, c: [[], {}, [1, [2]], { x: { y: 1 }, z: [1] }], d: [{ e: [{ f: 1 }] }], g: { h: {} } }],
    ['undefined entries and items', { a: undefined, b: [undefined, 1], c: { d: undefined } }],
    ['strings that need quotes', { a: '', b: 'a: b', c: 'a #b', d: 'x ', e: ' x', f: 'true', g: '1', h: '0x1F', i: '1e3', j: 'null', k: '~', l: '-x', m: '*x', n: '!x', o: '&x', p: '[x]', q: '{x}', r: 'x,y', s: "'x'", t: '"x"', u: '@x', v: '`x', w: '%x', x: 'x:', y: '- x', z: '? x' }],
    ['strings written plain', { a: 'x: y:z', b: 'team="a b"', c: "it's", d: 'a#b', e: 'http://h:1/p?q=1&r=2', f: 'a|b>c', g: '1.2.3', h: '12:30', i: 'yes', j: 'x=~"a.*"' }],
    ['multi-line and non-ASCII strings', { a: 'x\ny', b: 'x\n', c: 'é', d: 'a\tb' }],
    ['keys that need quotes', { 'a b': 1, 'a: b': 2, '1': 3, true: 4, '': 5 }],
    ['non-finite numbers', { a: NaN, b: Infinity, c: -Infinity }],
  ])('%s', (_name, doc) => {
    expect(configYaml(doc)).toBe(library(doc));
  });

  it('writes a configuration of names, matchers and URLs itself, without the library', () => {
    vi.mocked(stringify).mockClear();
    const doc = { route: { receiver: 'r', routes: [{ matchers: ['a="b c"', 'x=~"y.*"'], receiver: 'ns/c/r', continue: true }] }, receivers: [{ name: 'r', webhook_configs: [{ url: 'http://h:1/p?q=1&r=2' }] }] };
    const text = configYaml(doc);
    expect(stringify).not.toHaveBeenCalled();
    expect(text).toBe(library(doc));
    configYaml({ a: 'x\ny' });
    expect(stringify).toHaveBeenCalledTimes(2);
  });

  it('writes the same text as the library for random documents', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const chars = 'aZ09_/.=!"\'()?&%+@*~<>^$|;: -#,[]{}\\`\n\té';
    const words = ['null', 'True', 'yes', '~', '1', '-1', '+1', '.5', '1e3', '0o17', '.inf', '---', '...', 'a: b', 'a:b', 'a #b', 'a ', 'a:', '', '<<'];
    const str = (): string => {
      if (rnd(3) === 0) return words[rnd(words.length)] as string;
      let s = '';
      for (let i = 0, n = 1 + rnd(6); i < n; i++) s += chars[rnd(chars.length)] as string;
      return s;
    };
    const val = (d: number): unknown => {
      const r = rnd(d > 3 ? 5 : 8);
      if (r === 0) return null;
      if (r === 1) return rnd(2) === 0;
      if (r === 2) return [0, -0, 1, -5, 1.5, 1e21, NaN][rnd(7)];
      if (r < 5) return str();
      if (r === 5) return Array.from({ length: rnd(4) }, () => (rnd(8) === 0 ? undefined : val(d + 1)));
      const o: Record<string, unknown> = {};
      for (let i = 0, n = rnd(4); i < n; i++) o[rnd(2) ? str() : 'name'] = rnd(10) === 0 ? undefined : val(d + 1);
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const doc = { k: val(0), [str()]: val(1) };
      expect(configYaml(doc)).toBe(library(doc));
    }
  });
});
