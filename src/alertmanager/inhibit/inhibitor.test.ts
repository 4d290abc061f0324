import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import type { Clock } from '../../core/runtime.js';
import type { InhibitRuleConfig } from '../config/types.js';
import { Inhibitor } from './inhibitor.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

function fixedClock(t: number): Clock & { t: number } {
  const c = {
    t,
    now: () => c.t,
    schedule: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
  return c;
}

function eqMatchers(m: Record<string, string>): ReturnType<typeof mustMatcher>[] {
  return Object.entries(m).map(([k, v]) => mustMatcher(k, '=', v));
}

function rule(source: Record<string, string>, target: Record<string, string>, equal: string[]): InhibitRuleConfig {
  return { sourceMatchers: eqMatchers(source), targetMatchers: eqMatchers(target), equal };
}

function alert(labels: Labels, endsAt: number): Alert {
  return { labels, annotations: {}, startsAt: NOW - MIN, endsAt, generatorURL: '', updatedAt: NOW, timeout: false };
}

function build(rules: InhibitRuleConfig[], sources: Alert[], now = NOW): Inhibitor {
  const ih = new Inhibitor(rules, fixedClock(now));
  for (const a of sources) ih.observe(a, fingerprint(a.labels));
  return ih;
}

// Upstream TestInhibitRuleHasEqual: a rule whose source side matches everything.
describe('equal-label lookup (upstream TestInhibitRuleHasEqual)', () => {
  it.each([
    { name: 'no source alerts', initial: [] as Alert[], equal: [] as string[], input: { a: 'b' }, result: false },
    { name: 'no equal labels, any source alert satisfies', initial: [alert({}, 0)], equal: [], input: { a: 'b' }, result: true },
    {
      name: 'matching but already resolved',
      initial: [alert({ a: 'b', b: 'f' }, NOW - 1000), alert({ a: 'b', b: 'c' }, NOW - 1000)],
      equal: ['a', 'b'],
      input: { a: 'b', b: 'c' },
      result: false,
    },
    {
      name: 'matching and unresolved',
      initial: [alert({ a: 'b', c: 'd' }, NOW - 1000), alert({ a: 'b', c: 'f' }, NOW + HOUR)],
      equal: ['a'],
      input: { a: 'b' },
      result: true,
    },
    {
      name: 'equal label does not match',
      initial: [alert({ a: 'c', c: 'd' }, NOW - 1000), alert({ a: 'c', c: 'f' }, NOW - 1000)],
      equal: ['a'],
      input: { a: 'b' },
      result: false,
    },
  ])('$name', ({ initial, equal, input, result }) => {
    // Upstream calls hasEqual(lset, false, now) on a bare rule; here: every alert is a source and
    // the target side needs a label the sources lack, so no source is two-sided.
    const r: InhibitRuleConfig = { sourceMatchers: [], targetMatchers: [mustMatcher('target', '=', 'yes')], equal };
    const ih = build([r], initial);
    expect(ih.mutes({ ...input, target: 'yes' }, 'self') !== undefined).toBe(result);
  });
});

const RULE1 = rule({ s1: '1' }, { t1: '1' }, ['e']);
const RULE2 = rule({ s2: '1' }, { t2: '1' }, ['e']);
const SOURCE1 = alert({ s1: '1', t1: '2', e: '1' }, NOW + HOUR);
const SOURCE2 = alert({ s2: '1', t2: '1', e: '1' }, NOW + HOUR);

describe('rule matching (upstream TestInhibitRuleMatches)', () => {
  const ih = build([RULE1, RULE2], [SOURCE1, SOURCE2]);
  it.each([
    { target: { t1: '1', e: '1' }, expected: true },
    { target: { t2: '1', e: '1' }, expected: true },
    { target: { t1: '1', t3: '1', e: '1' }, expected: true },
    { target: { t1: '1', t2: '1', e: '1' }, expected: true },
    { target: { t1: '0', e: '1' }, expected: false },
    // Both sides of rule1; SOURCE1 is source-only, so it inhibits.
    { target: { s1: '1', t1: '1', e: '1' }, expected: true },
    // Both sides of rule2; SOURCE2 is two-sided too, so no inhibition.
    { target: { s2: '1', t2: '1', e: '1' }, expected: false },
    { target: { t1: '1', e: '0' }, expected: false },
  ])('$target -> $expected', ({ target, expected }) => {
    expect(ih.mutes(target, fingerprint(target)) !== undefined).toBe(expected);
  });

  it('returns the fingerprint of the inhibiting source', () => {
    expect(ih.mutes({ t1: '1', e: '1' }, 'x')).toBe(fingerprint(SOURCE1.labels));
    expect(ih.mutes({ t2: '1', e: '1' }, 'x')).toBe(fingerprint(SOURCE2.labels));
  });
});

describe('rule matchers (upstream TestInhibitRuleMatchers)', () => {
  const r1: InhibitRuleConfig = { sourceMatchers: [mustMatcher('s1', '=', '1')], targetMatchers: [mustMatcher('t1', '!=', '1')], equal: ['e'] };
  const r2: InhibitRuleConfig = { sourceMatchers: [mustMatcher('s2', '=', '1')], targetMatchers: [mustMatcher('t2', '=', '1')], equal: ['e'] };
  const ih = build([r1, r2], [SOURCE1, SOURCE2]);
  it.each([
    { target: { t1: '1', e: '1' }, expected: false },
    { target: { t2: '1', e: '1' }, expected: true },
    { target: { t1: '1', t3: '1', e: '1' }, expected: false },
    { target: { t1: '1', t2: '1', e: '1' }, expected: true },
    { target: { t1: '0', e: '1' }, expected: true },
    { target: { s1: '1', t1: '1', e: '1' }, expected: false },
    { target: { s2: '1', t2: '1', e: '1' }, expected: true },
    { target: { t1: '1', e: '0' }, expected: false },
  ])('$target -> $expected', ({ target, expected }) => {
    expect(ih.mutes(target, fingerprint(target)) !== undefined).toBe(expected);
  });
});

describe('end to end (upstream TestInhibit)', () => {
  const r = rule({ s: '1' }, { t: '1' }, ['e']);
  const one = alert({ t: '1', e: 'f' }, NOW + HOUR);
  const two = (resolved: boolean): Alert => alert({ s: '1', e: 'f' }, resolved ? NOW - 1000 : NOW + HOUR);
  it.each([
    { name: 'source never fired', alerts: [one], expected: [{ lbls: one.labels, muted: false }] },
    {
      name: 'active source mutes target',
      alerts: [one, two(false)],
      expected: [
        { lbls: one.labels, muted: true },
        { lbls: two(false).labels, muted: false },
      ],
    },
    {
      name: 'resolved update of the source lifts inhibition',
      alerts: [one, two(false), two(true)],
      expected: [
        { lbls: one.labels, muted: false },
        { lbls: two(false).labels, muted: false },
      ],
    },
  ])('$name', ({ alerts, expected }) => {
    const ih = build([r], alerts);
    for (const e of expected) expect(ih.mutes(e.lbls, fingerprint(e.lbls)) !== undefined).toBe(e.muted);
  });
});

describe('equal-label key (upstream TestInhibitRule_fingerprintEquals)', () => {
  const r = rule({ s: '1' }, { t: '1' }, ['service', 'cluster']);
  it.each([
    { name: 'other labels differ', src: { s: '1', cluster: 'prod', service: 'api', instance: 'h1' }, tgt: { t: '1', cluster: 'prod', service: 'api', instance: 'h2' }, muted: true },
    { name: 'equal label differs', src: { s: '1', cluster: 'prod', service: 'api' }, tgt: { t: '1', cluster: 'staging', service: 'api' }, muted: false },
    { name: 'absent equals empty', src: { s: '1', cluster: '', service: 'api' }, tgt: { t: '1', service: 'api' }, muted: true },
    { name: 'absent on one side only', src: { s: '1', service: 'api' }, tgt: { t: '1', cluster: 'x', service: 'api' }, muted: false },
    { name: 'values cannot forge a separator', src: { s: '1', cluster: 'a1:b', service: '' }, tgt: { t: '1', cluster: 'a', service: 'b1:' }, muted: false },
  ])('$name', ({ src, tgt, muted }) => {
    const ih = build([r], [alert(src, 0)]);
    expect(ih.mutes(tgt, fingerprint(tgt)) !== undefined).toBe(muted);
  });
});

describe('lifecycle', () => {
  const r = rule({ severity: 'critical' }, { severity: 'warning' }, ['instance']);
  const crit = alert({ alertname: 'Down', severity: 'critical', instance: 'a' }, 0);
  const crit2 = alert({ alertname: 'Down2', severity: 'critical', instance: 'a' }, 0);
  const warn = { alertname: 'Slow', severity: 'warning', instance: 'a' };

  it('forget removes one source but keeps others with the same key', () => {
    const ih = build([r], [crit, crit2]);
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit.labels));
    ih.forget(fingerprint(crit.labels));
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit2.labels));
    ih.forget(fingerprint(crit2.labels));
    expect(ih.mutes(warn, fingerprint(warn))).toBeUndefined();
    expect(ih.sourceCounts()).toEqual([0]);
  });

  it('a key goes from one source to several and back, keeping the first live one first', () => {
    const crit3 = alert({ alertname: 'Down3', severity: 'critical', instance: 'a' }, 0);
    const ih = build([r], [crit]);
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit.labels));
    ih.observe(crit2, fingerprint(crit2.labels));
    ih.observe(crit3, fingerprint(crit3.labels));
    ih.forget(fingerprint(crit2.labels));
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit.labels));
    ih.forget(fingerprint(crit.labels));
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit3.labels));
    ih.observe(crit, fingerprint(crit.labels));
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit3.labels));
    expect(ih.sourceCounts()).toEqual([2]);
  });

  it('gc of a source cached by two rules drops it from both, and forget after gc is harmless', () => {
    const clock = fixedClock(NOW);
    const other = rule({ alertname: 'Down' }, { alertname: 'Slow' }, ['instance']);
    const ih = new Inhibitor([r, other], clock);
    const fp = fingerprint(crit.labels);
    ih.observe({ ...crit, endsAt: NOW + MIN }, fp);
    ih.observe(crit2, fingerprint(crit2.labels));
    expect(ih.sourceCounts()).toEqual([2, 1]);
    clock.t = NOW + MIN;
    expect(ih.gc()).toBe(2);
    expect(ih.sourceCounts()).toEqual([1, 0]);
    ih.forget(fp);
    ih.forget(fingerprint(crit2.labels));
    expect(ih.sourceCounts()).toEqual([0, 0]);
  });

  it('a resolved source is skipped in favour of a firing one with the same key', () => {
    const ih = build([r], [{ ...crit, endsAt: NOW - 1 }, crit2]);
    expect(ih.mutes(warn, fingerprint(warn))).toBe(fingerprint(crit2.labels));
  });

  it('a source resolving in the future inhibits until then', () => {
    const clock = fixedClock(NOW);
    const ih = new Inhibitor([r], clock);
    ih.observe({ ...crit, endsAt: NOW + MIN }, fingerprint(crit.labels));
    expect(ih.mutes(warn, 'w')).toBeDefined();
    clock.t = NOW + MIN;
    expect(ih.mutes(warn, 'w')).toBeUndefined();
    expect(ih.gc()).toBe(1);
    expect(ih.sourceCounts()).toEqual([0]);
  });

  it('re-firing a resolved source (update) inhibits again', () => {
    const ih = build([r], [{ ...crit, endsAt: NOW - 1 }]);
    expect(ih.mutes(warn, 'w')).toBeUndefined();
    ih.observe(crit, fingerprint(crit.labels));
    expect(ih.mutes(warn, 'w')).toBe(fingerprint(crit.labels));
  });

  it('alerts that do not match any source side are not cached', () => {
    const ih = build([r], [alert({ severity: 'info', instance: 'a' }, 0), alert(warn, 0)]);
    expect(ih.sourceCounts()).toEqual([0]);
  });

  it('first matching rule in config order wins', () => {
    const rA = rule({ k: 'a' }, { severity: 'warning' }, []);
    const rB = rule({ k: 'b' }, { severity: 'warning' }, []);
    const a = alert({ k: 'a' }, 0);
    const b = alert({ k: 'b' }, 0);
    expect(build([rB, rA], [a, b]).mutes(warn, 'w')).toBe(fingerprint(b.labels));
    expect(build([rA, rB], [a, b]).mutes(warn, 'w')).toBe(fingerprint(a.labels));
  });

  it('no rules: nothing is muted', () => {
    expect(build([], [crit]).mutes(warn, 'w')).toBeUndefined();
  });

  it('an alert matching both sides never inhibits itself', () => {
    const both = rule({ team: 'x' }, { team: 'x' }, []);
    const a = alert({ team: 'x', alertname: 'A' }, 0);
    const ih = build([both], [a]);
    expect(ih.mutes(a.labels, fingerprint(a.labels))).toBeUndefined();
  });

  it('handles many sources with O(1) lookup per rule', () => {
    const ih = new Inhibitor([r], fixedClock(NOW));
    for (let i = 0; i < 20_000; i++) {
      const l = { severity: 'critical', instance: `i${i}` };
      ih.observe(alert(l, 0), fingerprint(l));
    }
    const t0 = performance.now();
    let muted = 0;
    for (let i = 0; i < 20_000; i++) if (ih.mutes({ severity: 'warning', instance: `i${i}` }, 'x') !== undefined) muted++;
    expect(muted).toBe(20_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('many rules (indexed by an equality matcher per side)', () => {
  // Rules as rendered from AlertmanagerConfig objects: each pinned to a namespace on both sides,
  // mixed with rules the index cannot place (regex only) and ones on other label names.
  function rules(): InhibitRuleConfig[] {
    const out: InhibitRuleConfig[] = [];
    for (let i = 0; i < 40; i++) {
      out.push(rule({ severity: 'critical', namespace: `ns-${i % 13}` }, { severity: 'warning', namespace: `ns-${i % 13}` }, i % 3 ? ['alertname'] : []));
      if (i % 7 === 0) out.push({ sourceMatchers: [mustMatcher('team', '=~', 'a|b')], targetMatchers: [mustMatcher('severity', '=~', 'info|warning')], equal: ['team'] });
      if (i % 11 === 0) out.push(rule({ cluster: `c${i % 2}` }, { cluster: `c${(i + 1) % 2}` }, []));
    }
    return out;
  }
  function alerts(n: number, seed: number): Alert[] {
    const sev = ['critical', 'warning', 'info'];
    const out: Alert[] = [];
    for (let i = 0; i < n; i++) {
      const k = (i * 7919 + seed) % 1000;
      const labels: Labels = { alertname: `A${k % 4}`, namespace: `ns-${k % 15}`, severity: sev[k % 3]!, team: k % 5 ? 'a' : 'z', cluster: `c${k % 2}` };
      out.push(alert(labels, k % 9 === 0 ? NOW - 1000 : NOW + HOUR));
    }
    return out;
  }
  /** The first rule in config order that mutes `labels`, each rule on its own (scanned, never indexed). */
  function expected(rs: InhibitRuleConfig[], sources: Alert[], labels: Labels): string | undefined {
    for (const r of rs) {
      const one = build([r], sources);
      const src = one.mutes(labels, fingerprint(labels));
      if (src !== undefined) return src;
    }
    return undefined;
  }

  it('mutes exactly as the rules scanned one by one, in config order', () => {
    const rs = rules();
    const sources = alerts(300, 1);
    const ih = build(rs, sources);
    for (const a of [...alerts(150, 2), ...sources.slice(0, 50)]) expect(ih.mutes(a.labels, fingerprint(a.labels)), JSON.stringify(a.labels)).toBe(expected(rs, sources, a.labels));
  });

  it('forgets a source in every rule that cached it, and only there', () => {
    const rs = rules();
    const sources = alerts(120, 3);
    const ih = build(rs, sources);
    const before = ih.sourceCounts();
    const gone = sources.filter((_, i) => i % 4 === 0);
    for (const a of gone) ih.forget(fingerprint(a.labels));
    const kept = sources.filter((_, i) => i % 4 !== 0);
    expect(ih.sourceCounts()).toEqual(build(rs, kept).sourceCounts());
    expect(ih.sourceCounts().reduce((x, y) => x + y, 0)).toBeLessThan(before.reduce((x, y) => x + y, 0));
    for (const a of alerts(80, 4)) expect(ih.mutes(a.labels, fingerprint(a.labels))).toBe(expected(rs, kept, a.labels));
  });

  it('keeps one rule per distinct signature, whatever the order of matchers and equal labels', () => {
    const a = rule({ severity: 'critical', namespace: 'ns-1' }, { severity: 'warning', namespace: 'ns-1' }, ['alertname', 'job']);
    const sameReordered: InhibitRuleConfig = {
      name: 'another name',
      sourceMatchers: [...a.sourceMatchers].reverse(),
      targetMatchers: [...a.targetMatchers].reverse(),
      equal: ['job', 'alertname', 'job'],
    };
    const otherEqual = rule({ severity: 'critical', namespace: 'ns-1' }, { severity: 'warning', namespace: 'ns-1' }, ['alertname']);
    const ih = new Inhibitor([a, sameReordered, otherEqual, a], fixedClock(NOW));
    expect(ih.distinctRules).toBe(2);
    const src = alert({ alertname: 'X', job: 'j', severity: 'critical', namespace: 'ns-1' }, NOW + HOUR);
    ih.observe(src, fingerprint(src.labels));
    // Copies share one cache: every configured rule reports the source.
    expect(ih.sourceCounts()).toEqual([1, 1, 1, 1]);
    const target = { alertname: 'X', job: 'other', severity: 'warning', namespace: 'ns-1' };
    expect(ih.mutes(target, fingerprint(target))).toBe(fingerprint(src.labels));
  });
});
