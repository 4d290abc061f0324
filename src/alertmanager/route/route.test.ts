import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { matchesAll, mustMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { RouteConfig } from '../config/types.js';
import { RouteTree } from './route.js';
import type { Route } from './route.js';

type RC = Partial<Omit<RouteConfig, 'routes'>> & { routes?: RC[] };

function rc(r: RC): RouteConfig {
  return {
    groupByAll: false,
    matchers: [],
    continue: false,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    ...r,
    routes: (r.routes ?? []).map(rc),
  };
}

const eq = (n: string, v: string): Matcher => mustMatcher(n, '=', v);
/** Legacy match_re values as the config loader stores them (anchored, shown so in keys). */
const re = (n: string, v: string): Matcher => mustMatcher(n, '=~', `^(?:${v})$`);

// dispatch/route_test.go TestRouteMatch tree.
const UPSTREAM_TREE = rc({
  receiver: 'notify-def',
  routes: [
    {
      matchers: [eq('owner', 'team-A')],
      receiver: 'notify-A',
      routes: [
        { matchers: [eq('env', 'testing')], receiver: 'notify-testing', groupByAll: true },
        { matchers: [eq('env', 'production')], receiver: 'notify-productionA', groupWaitMs: 60_000, continue: true },
        {
          matchers: [re('env', 'produ.*'), re('job', '.*')],
          receiver: 'notify-productionB',
          groupWaitMs: 30_000,
          groupIntervalMs: 300_000,
          repeatIntervalMs: 3600_000,
          groupBy: ['job'],
        },
      ],
    },
    { matchers: [re('owner', 'team-(B|C)')], groupBy: ['foo', 'bar'], groupWaitMs: 120_000, receiver: 'notify-BC' },
    {
      matchers: [eq('group_by', 'role')],
      groupBy: ['role'],
      routes: [{ matchers: [eq('env', 'testing')], receiver: 'notify-testing', routes: [{ matchers: [eq('wait', 'long')], groupWaitMs: 120_000 }] }],
    },
  ],
});

interface Opts {
  receiver: string;
  groupBy: string[];
  groupByAll: boolean;
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
}
const def: Opts = { receiver: '', groupBy: [], groupByAll: false, groupWait: 30_000, groupInterval: 300_000, repeatInterval: 4 * 3600_000 };
const opts = (r: Route): Opts => ({
  receiver: r.receiver,
  groupBy: [...r.groupBy],
  groupByAll: r.groupByAll,
  groupWait: r.groupWaitMs,
  groupInterval: r.groupIntervalMs,
  repeatInterval: r.repeatIntervalMs,
});

describe('RouteTree.match (upstream TestRouteMatch)', () => {
  const tree = new RouteTree(UPSTREAM_TREE);
  it.each<[Labels, Opts[], string[]]>([
    [{ owner: 'team-A' }, [{ ...def, receiver: 'notify-A' }], ['{}/{owner="team-A"}']],
    [{ owner: 'team-A', env: 'unset' }, [{ ...def, receiver: 'notify-A' }], ['{}/{owner="team-A"}']],
    [{ owner: 'team-C' }, [{ ...def, receiver: 'notify-BC', groupBy: ['bar', 'foo'], groupWait: 120_000 }], ['{}/{owner=~"^(?:team-(B|C))$"}']],
    [{ owner: 'team-A', env: 'testing' }, [{ ...def, receiver: 'notify-testing', groupByAll: true }], ['{}/{owner="team-A"}/{env="testing"}']],
    [
      { owner: 'team-A', env: 'production' },
      [
        { ...def, receiver: 'notify-productionA', groupWait: 60_000 },
        { ...def, receiver: 'notify-productionB', groupBy: ['job'], repeatInterval: 3600_000 },
      ],
      ['{}/{owner="team-A"}/{env="production"}', '{}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"}'],
    ],
    [{ group_by: 'role' }, [{ ...def, receiver: 'notify-def', groupBy: ['role'] }], ['{}/{group_by="role"}']],
    [{ env: 'testing', group_by: 'role' }, [{ ...def, receiver: 'notify-testing', groupBy: ['role'] }], ['{}/{group_by="role"}/{env="testing"}']],
    [
      { env: 'testing', group_by: 'role', wait: 'long' },
      [{ ...def, receiver: 'notify-testing', groupBy: ['role'], groupWait: 120_000 }],
      ['{}/{group_by="role"}/{env="testing"}/{wait="long"}'],
    ],
    [{ other: 'x' }, [{ ...def, receiver: 'notify-def' }], ['{}']],
  ])('%j', (labels, want, keys) => {
    const got = tree.match(labels);
    expect(got.map(opts)).toEqual(want);
    expect(got.map((r) => r.key)).toEqual(keys);
  });

  it('walks depth-first (TestRouteWalk)', () => {
    const got: string[] = [];
    tree.root.walk((r) => got.push(r.receiver));
    expect(got).toEqual(['notify-def', 'notify-A', 'notify-testing', 'notify-productionA', 'notify-productionB', 'notify-BC', 'notify-def', 'notify-testing', 'notify-testing']);
  });

  it('gives ids with the child position and ordinals in pre-order', () => {
    expect(tree.nodes.map((r) => r.id).slice(0, 3)).toEqual(['{}', '{}/{owner="team-A"}/0', '{}/{owner="team-A"}/{env="testing"}/0']);
    expect(tree.nodes.map((r) => r.ordinal)).toEqual(tree.nodes.map((_, i) => i));
  });

  it('sorts matchers in the key and does not inherit matchers or time intervals', () => {
    const t = new RouteTree(
      rc({
        receiver: 'r',
        muteTimeIntervals: ['night'],
        routes: [{ matchers: [eq('owner', 'team-A'), mustMatcher('level', '!=', 'critical')], activeTimeIntervals: ['day'] }],
      }),
    );
    const [child] = t.match({ owner: 'team-A' });
    expect(child?.key).toBe('{}/{level!="critical",owner="team-A"}');
    expect(child?.muteTimeIntervals).toEqual([]);
    expect(child?.activeTimeIntervals).toEqual(['day']);
    expect(t.match({ owner: 'team-A', level: 'critical' }).map((r) => r.key)).toEqual(['{}']);
  });

  it('inherits group_by ... and lets an explicit group_by override it (TestInheritParentGroupByAll)', () => {
    const t = new RouteTree(
      rc({
        routes: [{ matchers: [eq('env', 'parent')], groupByAll: true, routes: [{ matchers: [eq('env', 'child1')] }, { matchers: [eq('env', 'child2')], groupBy: ['foo'] }] }],
      }),
    );
    const parent = t.root.routes[0] as Route;
    expect(parent.groupByAll).toBe(true);
    expect(parent.routes[0]?.groupByAll).toBe(true);
    expect(parent.routes[1]?.groupByAll).toBe(false);
    expect(parent.routes[1]?.groupBy).toEqual(['foo']);
  });
});

/** Upstream's plain recursive match, as the reference for the indexed one. */
function reference(r: Route, labels: Labels): Route[] {
  if (!matchesAll(r.matchers, labels)) return [];
  const all: Route[] = [];
  for (const c of r.routes) {
    const m = reference(c, labels);
    all.push(...m);
    if (m.length > 0 && !c.continue) break;
  }
  return all.length > 0 ? all : [r];
}

describe('child index', () => {
  // Deterministic pseudo-random tree: many siblings, mixed matcher kinds, some continue.
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const children: RC[] = [];
  for (let i = 0; i < 300; i++) {
    const kind = rnd(6);
    const ms: Matcher[] =
      kind === 0 ? [mustMatcher('team', '=~', `t${rnd(5)}.*`)]
      : kind === 1 ? [eq('namespace', `ns-${rnd(20)}`), eq('team', `t${rnd(5)}`)]
      : kind === 2 ? [eq('team', `t${rnd(5)}`)]
      : kind === 3 ? [eq('namespace', '')]
      : kind === 4 ? []
      : [eq('namespace', `ns-${rnd(20)}`), mustMatcher('severity', '!=', 'info')];
    children.push({ matchers: ms, receiver: `r${i}`, continue: rnd(3) !== 0, routes: rnd(4) === 0 ? [{ matchers: [eq('severity', 'critical')] }] : [] });
  }
  const tree = new RouteTree(rc({ receiver: 'root', routes: children }));
  const inputs: Labels[] = [];
  for (let i = 0; i < 400; i++) {
    const l: Record<string, string> = {};
    if (rnd(4) !== 0) l['namespace'] = `ns-${rnd(22)}`;
    if (rnd(3) !== 0) l['team'] = `t${rnd(6)}`;
    if (rnd(2) === 0) l['severity'] = rnd(2) === 0 ? 'critical' : 'info';
    inputs.push(l);
  }

  it.each(inputs.map((l, i) => [i, l] as const))('input %i matches exactly as a linear scan', (_, labels) => {
    expect(tree.match(labels).map((r) => r.id)).toEqual(reference(tree.root, labels).map((r) => r.id));
  });

  it('matches a 10,000-sibling tree', () => {
    const many: RC[] = [];
    for (let i = 0; i < 10_000; i++) {
      many.push({ matchers: [eq('namespace', `ns-${i}`)], receiver: `ns-${i}`, continue: true, routes: [{ matchers: [eq('severity', 'critical')] }] });
    }
    const big = new RouteTree(rc({ receiver: 'default', groupBy: ['alertname', 'namespace'], routes: many }));
    expect(big.match({ namespace: 'ns-9999', severity: 'critical' }).map((r) => r.key)).toEqual(['{}/{namespace="ns-9999"}/{severity="critical"}']);
    expect(big.match({ namespace: 'nope' }).map((r) => r.receiver)).toEqual(['default']);
    // That only candidates are evaluated is counted in compiled.test.ts (no timed assertion here).
    const out: Route[] = [];
    for (let i = 0; i < 10_000; i += 997) {
      expect(big.matchInto({ namespace: `ns-${i}`, severity: 'critical' }, out).map((r) => r.key)).toEqual([`{}/{namespace="ns-${i}"}/{severity="critical"}`]);
    }
  });
});
