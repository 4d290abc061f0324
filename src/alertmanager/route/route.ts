/**
 * The runtime routing tree. Mirrors Alertmanager's dispatch/route.go: options inherited from the
 * parent (receiver, grouping, timers), matchers and time intervals taken from the node alone,
 * depth-first first-match with `continue`. Matching runs on the tree compiled into flat arrays
 * (compiled.ts), where siblings are indexed by one equality matcher each so that a node with
 * thousands of children (one per namespace) is matched in about O(depth).
 */
import { truncate } from '../../core/array.js';
import type { Labels } from '../../core/labels.js';
import { compareMatchers, matchersToString } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { RouteConfig } from '../config/types.js';
import { CompiledRoutes } from './compiled.js';

/** Upstream DefaultRouteOpts timers. */
export const DEFAULT_GROUP_WAIT_MS = 30_000;
export const DEFAULT_GROUP_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_REPEAT_INTERVAL_MS = 4 * 3600_000;


interface InheritedOpts {
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

/** Construction state shared by every node of one tree. */
interface BuildContext {
  /** Next pre-order number. */
  n: number;
  /** One Matcher object per distinct (type, name, value) in the tree. */
  readonly matchers: Map<string, Matcher>;
  /** The compiled tree, set once every node is built. */
  program: CompiledRoutes<Route> | undefined;
}

/** The tree's shared Matcher equal to `m` (matchers are immutable, so sharing is invisible). */
function canonical(ctx: BuildContext, m: Matcher): Matcher {
  const key = `${m.type}\u0000${m.name}\u0000${m.value}`;
  const seen = ctx.matchers.get(key);
  if (seen !== undefined) return seen;
  ctx.matchers.set(key, m);
  return m;
}

/** One node of the routing tree with its effective options. */
export class Route {
  /** Sorted as upstream's Matchers.Less (so the key does not depend on config order). */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  readonly receiver: string;
  /** Sorted, deduplicated group_by label names (empty when groupByAll). */
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** Route.Key(): parent key + "/" + matchers, e.g. `{}/{owner="team-A"}`. */
  readonly key: string;
  /** Route.ID(): key plus the position among the parent's children. */
  readonly id: string;
  /** Pre-order number within the tree, for per-route arrays in the dispatcher. */
  readonly ordinal: number;
  /** A true private field: invisible to JSON.stringify and deep equality, which would otherwise walk the whole tree. */
  readonly #tree: BuildContext;

  constructor(cfg: RouteConfig, parent: Route | undefined, position: number, ctx: BuildContext) {
    const base: InheritedOpts = parent ?? {
      receiver: '',
      groupBy: [],
      groupByAll: false,
      groupWaitMs: DEFAULT_GROUP_WAIT_MS,
      groupIntervalMs: DEFAULT_GROUP_INTERVAL_MS,
      repeatIntervalMs: DEFAULT_REPEAT_INTERVAL_MS,
    };
    this.ordinal = ctx.n++;
    this.#tree = ctx;
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
    // Identical matchers share one object, so the few distinct ones a large tree tests stay in cache.
    this.matchers = cfg.matchers.map((m) => canonical(ctx, m)).sort(compareMatchers);
    this.continue = cfg.continue;
    const own = matchersToString(this.matchers);
    this.key = parent ? `${parent.key}/${own}` : own;
    this.id = parent ? `${this.key}/${position}` : this.key;
    const children: Route[] = [];
    for (let i = 0; i < cfg.routes.length; i++) children.push(new Route(cfg.routes[i] as RouteConfig, this, i, ctx));
    this.routes = children;
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
    return (this.#tree.program as CompiledRoutes<Route>).matchInto(this.ordinal, labels, out);
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
    const ctx: BuildContext = { n: 0, matchers: new Map(), program: undefined };
    this.root = new Route(cfg, undefined, 0, ctx);
    const nodes: Route[] = [];
    this.root.walk((r) => nodes.push(r));
    this.nodes = nodes;
    ctx.matchers.clear();
    ctx.program = new CompiledRoutes(nodes);
  }

  match(labels: Labels): Route[] {
    return this.root.match(labels);
  }

  /** Reuses `out` (cleared first) to avoid an allocation per alert. */
  matchInto(labels: Labels, out: Route[]): Route[] {
    truncate(out);
    this.root.matchInto(labels, out);
    return out;
  }
}
