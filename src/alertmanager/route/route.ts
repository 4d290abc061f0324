/**
 * The runtime routing tree. Mirrors Alertmanager's dispatch/route.go: options inherited from the
 * parent (receiver, grouping, timers), matchers and time intervals taken from the node alone,
 * depth-first first-match with `continue`. Siblings are indexed by one equality matcher each so
 * that a node with thousands of children (one per namespace) is matched in about O(depth).
 */
import type { Labels } from '../../core/labels.js';
import { compareMatchers, matchersToString } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { RouteConfig } from '../config/types.js';
import { ChildIndex } from './child-index.js';

/** Upstream DefaultRouteOpts timers. */
export const DEFAULT_GROUP_WAIT_MS = 30_000;
export const DEFAULT_GROUP_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_REPEAT_INTERVAL_MS = 4 * 3600_000;

/** Below this many children a plain scan is as fast as the index. */
const INDEX_MIN_CHILDREN = 8;
const NO_CANDIDATES: readonly number[] = [];

interface InheritedOpts {
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

/** One node of the routing tree with its effective options. */
export class Route {
  readonly receiver: string;
  /** Sorted, deduplicated group_by label names (empty when groupByAll). */
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** Sorted as upstream's Matchers.Less (so the key does not depend on config order). */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  /** Route.Key(): parent key + "/" + matchers, e.g. `{}/{owner="team-A"}`. */
  readonly key: string;
  /** Route.ID(): key plus the position among the parent's children. */
  readonly id: string;
  /** Pre-order number within the tree, for per-route arrays in the dispatcher. */
  readonly ordinal: number;
  private readonly index: ChildIndex | undefined;

  constructor(cfg: RouteConfig, parent: Route | undefined, position: number, counter: { n: number }) {
    const base: InheritedOpts = parent ?? {
      receiver: '',
      groupBy: [],
      groupByAll: false,
      groupWaitMs: DEFAULT_GROUP_WAIT_MS,
      groupIntervalMs: DEFAULT_GROUP_INTERVAL_MS,
      repeatIntervalMs: DEFAULT_REPEAT_INTERVAL_MS,
    };
    this.ordinal = counter.n++;
    this.receiver = cfg.receiver !== undefined && cfg.receiver !== '' ? cfg.receiver : base.receiver;
    if (cfg.groupByAll) {
      this.groupBy = [];
      this.groupByAll = true;
    } else if (cfg.groupBy !== undefined) {
      this.groupBy = [...new Set(cfg.groupBy)].sort();
      this.groupByAll = false;
    } else {
      this.groupBy = base.groupBy;
      this.groupByAll = base.groupByAll;
    }
    this.groupWaitMs = cfg.groupWaitMs ?? base.groupWaitMs;
    this.groupIntervalMs = cfg.groupIntervalMs ?? base.groupIntervalMs;
    this.repeatIntervalMs = cfg.repeatIntervalMs ?? base.repeatIntervalMs;
    this.muteTimeIntervals = cfg.muteTimeIntervals;
    this.activeTimeIntervals = cfg.activeTimeIntervals;
    this.matchers = [...cfg.matchers].sort(compareMatchers);
    this.continue = cfg.continue;
    const own = matchersToString(this.matchers);
    this.key = parent ? `${parent.key}/${own}` : own;
    this.id = parent ? `${this.key}/${position}` : this.key;
    const children: Route[] = [];
    for (let i = 0; i < cfg.routes.length; i++) children.push(new Route(cfg.routes[i] as RouteConfig, this, i, counter));
    this.routes = children;
    this.index = children.length >= INDEX_MIN_CHILDREN ? new ChildIndex(children) : undefined;
  }

  /** All routes an alert with these labels goes to (Route.Match), in tree order. */
  match(labels: Labels): Route[] {
    const out: Route[] = [];
    this.matchInto(labels, out);
    return out;
  }

  /**
   * Appends the matching routes to `out`; returns false when this node's own matchers fail.
   * Callers on the hot path reuse `out`.
   */
  matchInto(labels: Labels, out: Route[]): boolean {
    const ms = this.matchers;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i] as Matcher;
      if (!m.matches(labels[m.name] ?? '')) return false;
    }
    const start = out.length;
    const children = this.routes;
    const index = this.index;
    if (index === undefined) {
      for (let i = 0; i < children.length; i++) {
        const child = children[i] as Route;
        if (child.matchInto(labels, out) && !child.continue) break;
      }
    } else if (index.names.length === 1) {
      // Fast path: one indexed label name; merge its candidates with the unindexed children by position.
      const hit = index.single(labels) ?? NO_CANDIDATES;
      const rest = index.rest;
      let a = 0;
      let b = 0;
      while (a < hit.length || b < rest.length) {
        const ha = a < hit.length ? (hit[a] as number) : Infinity;
        const rb = b < rest.length ? (rest[b] as number) : Infinity;
        let i: number;
        if (ha < rb) {
          i = ha;
          a++;
        } else {
          i = rb;
          b++;
        }
        const child = children[i] as Route;
        if (child.matchInto(labels, out) && !child.continue) break;
      }
    } else {
      const order = index.candidates(labels);
      for (let k = 0; k < order.length; k++) {
        const child = children[order[k] as number] as Route;
        if (child.matchInto(labels, out) && !child.continue) break;
      }
    }
    if (out.length === start) out.push(this);
    return true;
  }

  /** Visits every node depth-first (Route.Walk). */
  walk(visit: (r: Route) => void): void {
    visit(this);
    for (const c of this.routes) c.walk(visit);
  }
}

/** The routing tree built from a configuration's root route. */
export class RouteTree {
  readonly root: Route;
  /** Every node, indexed by ordinal. */
  readonly nodes: readonly Route[];

  constructor(cfg: RouteConfig) {
    const counter = { n: 0 };
    this.root = new Route(cfg, undefined, 0, counter);
    const nodes: Route[] = [];
    this.root.walk((r) => nodes.push(r));
    this.nodes = nodes;
  }

  match(labels: Labels): Route[] {
    return this.root.match(labels);
  }

  /** Reuses `out` (cleared first) to avoid an allocation per alert. */
  matchInto(labels: Labels, out: Route[]): Route[] {
    out.length = 0;
    this.root.matchInto(labels, out);
    return out;
  }
}
