import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { matchesAll, mustMatcher } from '../../core/matcher.js';
import type { MatchType, Matcher } from '../../core/matcher.js';
import type { RouteConfig } from '../config/types.js';
import { RouteTree } from './route.js';
import type { Route } from './route.js';

/** Upstream's Route.Match as a plain recursive walk over the Route objects: the reference. */
function linear(r: Route, labels: Labels): Route[] {
  if (!matchesAll(r.matchers, labels)) return [];
  const all: Route[] = [];
  for (const c of r.routes) {
    const m = linear(c, labels);
    all.push(...m);
    if (m.length > 0 && !c.continue) break;
  }
  return all.length > 0 ? all : [r];
}

/** A deterministic generator (an LCG), so a failure names a seed that reproduces it. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const NAMES = ['namespace', 'team', 'severity', 'env'];
const valueOf = (rnd: (n: number) => number, name: string): string => (rnd(8) === 0 ? '' : `${name.slice(0, 2)}-${rnd(4)}`);

function randomMatcher(rnd: (n: number) => number): Matcher {
  const name = NAMES[rnd(NAMES.length)] as string;
  const kind = rnd(10);
  // Mostly equality (what the index uses), with negative and regex matchers mixed in.
  const type: MatchType = kind < 6 ? '=' : kind === 6 ? '!=' : kind === 7 ? '=~' : '!~';
  const lo = rnd(4);
  const value = type === '=~' || type === '!~' ? `${name.slice(0, 2)}-[${lo}-${lo + rnd(3)}]` : valueOf(rnd, name);
  return mustMatcher(name, type, value);
}

/** `keyed`: the route carries a `namespace` equality (as rendered AlertmanagerConfig routes do). */
function randomRoute(rnd: (n: number) => number, depth: number, wide: boolean, keyed = false): RouteConfig {
  const matchers: Matcher[] = keyed ? [mustMatcher('namespace', '=', valueOf(rnd, 'namespace'))] : [];
  for (let i = rnd(4); i > 0; i--) matchers.push(randomMatcher(rnd));
  // Wide levels get past the index threshold: either siblings that mostly share the `namespace`
  // equality (one indexed name, the rest merged in by position), or a free mix (often several
  // indexed names).
  const count = depth >= 3 ? 0 : wide ? 8 + rnd(40) : rnd(4);
  const shared = rnd(2) === 0;
  const routes: RouteConfig[] = [];
  for (let i = 0; i < count; i++) routes.push(randomRoute(rnd, depth + 1, rnd(3) === 0, shared && rnd(6) !== 0));
  return { receiver: `r${rnd(1000)}`, groupByAll: false, matchers, continue: rnd(2) === 0, muteTimeIntervals: [], activeTimeIntervals: [], routes };
}

function randomLabels(rnd: (n: number) => number): Labels {
  const l: Record<string, string> = {};
  for (const name of NAMES) if (rnd(5) !== 0) l[name] = valueOf(rnd, name);
  return l;
}

const ids = (rs: readonly Route[]): string[] => rs.map((r) => `${r.ordinal} ${r.id}`);

describe('compiled matching equals a plain linear walk', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random tree, seed %i', (seed) => {
    const rnd = rng(seed);
    const tree = new RouteTree({ ...randomRoute(rnd, 0, true), matchers: [] });
    expect(tree.nodes.length).toBeGreaterThan(8);
    const out: Route[] = [];
    for (let i = 0; i < 300; i++) {
      const labels = randomLabels(rnd);
      const want = ids(linear(tree.root, labels));
      expect(ids(tree.match(labels)), `seed ${seed}, labels ${JSON.stringify(labels)}`).toEqual(want);
      expect(ids(tree.matchInto(labels, out))).toEqual(want);
      // Any node, matched alone (Route.match from a subtree), as upstream's Route.Match on it.
      const node = tree.nodes[rnd(tree.nodes.length)] as Route;
      expect(ids(node.match(labels))).toEqual(ids(linear(node, labels)));
    }
  });

  // Rendered AlertmanagerConfig levels: most siblings test both `namespace` and `team` for
  // equality, so large buckets split again by `team` (child-index.ts); some lack `team` (that bucket
  // stays flat) or have no equality at all (merged in by position), and extra matchers vary.
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('two-key levels split twice, seed %i', (seed) => {
    const rnd = rng(seed * 7919);
    const leaf = (matchers: Matcher[]): RouteConfig => ({
      receiver: `r${rnd(1000)}`,
      groupByAll: false,
      matchers,
      continue: rnd(3) !== 0,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
      routes: rnd(4) === 0 ? [randomRoute(rnd, 2, false)] : [],
    });
    const routes: RouteConfig[] = [];
    for (let i = 40 + rnd(120); i > 0; i--) {
      const kind = rnd(10);
      const ms: Matcher[] = [];
      if (kind < 9) ms.push(mustMatcher('namespace', '=', valueOf(rnd, 'namespace')));
      // Odd seeds: some namespace routes lack `team` (their bucket stays flat); even: none do.
      if (kind < (seed % 2 === 0 ? 9 : 7)) ms.push(mustMatcher('team', '=', valueOf(rnd, 'team')));
      if (kind === 9) ms.push(randomMatcher(rnd));
      for (let k = rnd(3); k > 0; k--) ms.push(randomMatcher(rnd));
      routes.push(leaf(rnd(2) === 0 ? ms.reverse() : ms));
    }
    const tree = new RouteTree({ receiver: 'root', groupByAll: false, matchers: [], continue: false, muteTimeIntervals: [], activeTimeIntervals: [], routes });
    for (let i = 0; i < 300; i++) {
      const labels = randomLabels(rnd);
      expect(ids(tree.match(labels)), `seed ${seed}, labels ${JSON.stringify(labels)}`).toEqual(ids(linear(tree.root, labels)));
    }
  });

  it('keeps first-match order across indexed and unindexed siblings, with continue', () => {
    const eq = (n: string, v: string): Matcher => mustMatcher(n, '=', v);
    const leaf = (receiver: string, matchers: Matcher[], cont: boolean): RouteConfig => ({
      receiver,
      groupByAll: false,
      matchers,
      continue: cont,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
      routes: [],
    });
    const routes = [
      leaf('a', [eq('namespace', 'x')], true),
      leaf('b', [mustMatcher('namespace', '=~', 'x|y')], true),
      leaf('c', [mustMatcher('team', '=~', 't')], true),
      leaf('d', [eq('namespace', 'x'), eq('namespace', 'y')], true),
      leaf('e', [eq('namespace', 'x'), mustMatcher('team', '!=', 't')], false),
      leaf('f', [], true),
      leaf('g', [eq('namespace', 'x')], true),
      leaf('h', [eq('namespace', '')], false),
      leaf('i', [], false),
    ];
    const tree = new RouteTree({ ...leaf('root', [], false), routes });
    const receivers = (l: Labels): string[] => tree.match(l).map((r) => r.receiver);
    expect(receivers({ namespace: 'x', team: 't' })).toEqual(['a', 'b', 'c', 'f', 'g', 'i']);
    expect(receivers({ namespace: 'x' })).toEqual(['a', 'b', 'e']);
    expect(receivers({ namespace: 'y' })).toEqual(['b', 'f', 'i']);
    expect(receivers({})).toEqual(['f', 'h']);
  });

  it('evaluates only the candidates of a 5,000-child level', () => {
    let calls = 0;
    const counted = (m: Matcher): Matcher => ({
      name: m.name,
      type: m.type,
      value: m.value,
      matches: (v: string): boolean => {
        calls++;
        return m.matches(v);
      },
    });
    const routes: RouteConfig[] = [];
    for (let i = 0; i < 1000; i++) {
      for (let t = 0; t < 5; t++) {
        routes.push({
          receiver: `ns-${i}/cfg-${t}`,
          groupByAll: false,
          matchers: [counted(mustMatcher('namespace', '=', `ns-${i}`)), counted(mustMatcher('team', '=', `cfg-${t}`))],
          continue: true,
          muteTimeIntervals: [],
          activeTimeIntervals: [],
          routes: [],
        });
      }
    }
    const tree = new RouteTree({ receiver: 'default', groupByAll: false, matchers: [], continue: false, muteTimeIntervals: [], activeTimeIntervals: [], routes });
    expect(tree.match({ namespace: 'ns-777', team: 'cfg-3' }).map((r) => r.receiver)).toEqual(['ns-777/cfg-3']);
    // ns-777's five candidates are scanned (fewer than SPLIT_MIN_CANDIDATES): one `team` test each,
    // and none of the other 4,995 children is looked at.
    expect(calls).toBe(5);
    calls = 0;
    expect(tree.match({ namespace: 'elsewhere', team: 'cfg-3' }).map((r) => r.receiver)).toEqual(['default']);
    expect(calls).toBe(0);
  });
});
