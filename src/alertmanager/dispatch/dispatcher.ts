/**
 * Routes every stored alert to its aggregation groups. Mirrors Alertmanager's dispatch.Dispatcher:
 * each matching route puts the alert into the group for its group-by label values (all labels with
 * `group_by: [...]`), creating the group unless the tenant's aggregation group limit is reached
 * (then the alert is not grouped for that route, a counter goes up and an error is logged).
 * Groups live per route, so two routes with the same key never share one (upstream #3564).
 */
import type { Alert } from '../../core/alert.js';
import { labelsToString, pickLabels } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { CounterLike, GaugeLike } from '../../core/metrics.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { AlertListener } from '../alerts/index.js';
import type { Route, RouteTree } from '../route/index.js';
import { AggrGroup } from './aggr-group.js';
import type { GroupNotifier, GroupOwner } from './aggr-group.js';
import { compareGroups } from './sort.js';

export interface DispatcherOptions {
  readonly tenant: string;
  readonly tree: RouteTree;
  readonly notifier: GroupNotifier;
  readonly clock: Clock;
  readonly logger: Logger;
  /** 0 = unlimited (Mimir's alertmanager_max_dispatcher_aggregation_groups). */
  readonly maxAggregationGroups: number;
  readonly metrics: { readonly aggregationGroups: GaugeLike; readonly aggregationGroupLimitReached: CounterLike };
}

/** The dispatcher of one tenant's engine. */
export class Dispatcher implements AlertListener, GroupOwner {
  /**
   * Every group, under its route's ordinal and the group-by values (groupKey below). One table
   * for the whole tree: with a map per route, a tree of thousands of routes (one per rendered
   * AlertmanagerConfig) spread the same groups over thousands of small tables, each grown and
   * rehashed on its own, and made every insert a cache miss on a table of its own.
   */
  private readonly groupsByKey = new Map<string, AggrGroup>();
  private readonly scratch: Route[] = [];
  private readonly tenantLabel: { tenant: string };
  private stopped = false;

  constructor(private readonly opts: DispatcherOptions) {
    this.tenantLabel = { tenant: opts.tenant };
    opts.metrics.aggregationGroups.set(this.tenantLabel, 0);
  }

  get tree(): RouteTree {
    return this.opts.tree;
  }

  /** Number of live aggregation groups. */
  get size(): number {
    return this.groupsByKey.size;
  }

  /** AlertListener: groups one stored alert (dispatcher.processAlert for each matching route). */
  onAlert(alert: Alert, fp: string): void {
    if (this.stopped) return;
    const routes = this.opts.tree.matchInto(alert.labels, this.scratch);
    const now = this.opts.clock.now();
    for (let i = 0; i < routes.length; i++) this.insert(routes[i] as Route, alert, fp, now);
  }

  private insert(route: Route, alert: Alert, fp: string, now: number): void {
    const groups = this.groupsByKey;
    const key = groupKey(route, alert.labels, fp);
    let g = groups.get(key);
    if (g === undefined) {
      const limit = this.opts.maxAggregationGroups;
      if (limit > 0 && groups.size >= limit) {
        this.opts.metrics.aggregationGroupLimitReached.inc(this.tenantLabel);
        this.opts.logger.error(
          { groups: groups.size, limit, alert: alert.labels['alertname'] ?? '', fingerprint: fp },
          'Too many aggregation groups, cannot create new group for alert',
        );
        return;
      }
      const labels = route.groupByAll ? alert.labels : pickLabels(alert.labels, route.groupBy);
      const groupKey = `${route.key}:${labelsToString(labels)}`;
      g = new AggrGroup(this.opts.tenant, route, labels, groupKey, key, this.opts.notifier, this, this.opts.clock, this.opts.logger);
      groups.set(key, g);
      this.opts.metrics.aggregationGroups.set(this.tenantLabel, groups.size);
    }
    g.insert(fp, alert, now);
  }

  /** GroupOwner: a flush left the group empty. */
  groupEmptied(g: AggrGroup): void {
    const groups = this.groupsByKey;
    if (groups.get(g.lookupKey) !== g) return;
    g.stop();
    groups.delete(g.lookupKey);
    this.opts.metrics.aggregationGroups.set(this.tenantLabel, groups.size);
  }

  /** Every live group, sorted by labels then receiver (AlertGroups.Less). */
  groups(): AggrGroup[] {
    const out: AggrGroup[] = [];
    for (const g of this.groupsByKey.values()) out.push(g);
    return out.sort((a, b) => compareGroups({ labels: a.labels, receiver: a.route.receiver }, { labels: b.labels, receiver: b.route.receiver }));
  }

  /**
   * Cancels every group's timer; flushes under way finish but change nothing. Resolves when they
   * have finished (callers bound the wait).
   */
  stop(): Promise<void> {
    this.stopped = true;
    const inFlight: Promise<void>[] = [];
    for (const g of this.groupsByKey.values()) {
      g.stop();
      inFlight.push(g.settled());
    }
    this.groupsByKey.clear();
    return Promise.all(inFlight).then(() => undefined);
  }
}

/**
 * A cheap key for a group: the route's ordinal, then the alert's fingerprint (group_by: ['...']) or
 * its group-by values; the label string of the group is only built when a group is created. The
 * ordinal ends at the first non-digit, and length prefixes keep distinct value tuples distinct.
 */
function groupKey(route: Route, labels: Labels, fp: string): string {
  if (route.groupByAll) return `${route.ordinal}*${fp}`;
  const names = route.groupBy;
  if (names.length === 0) return `${route.ordinal}`;
  if (names.length === 1) {
    const v = labels[names[0] as string];
    return v === undefined ? `${route.ordinal}` : `${route.ordinal}=${v}`;
  }
  let k = `${route.ordinal}|`;
  for (let i = 0; i < names.length; i++) {
    const v = labels[names[i] as string];
    k += v === undefined ? '-' : `${v.length}:${v}`;
  }
  return k;
}
