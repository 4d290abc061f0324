/**
 * The UI API's routing answers (shapes in ./wire.ts): a tenant's routing tree with inherited
 * settings applied, `amtool config routes test` answers, and the route test body.
 * Conversions only; the plugin in ./routes.ts does the I/O.
 */
import type { RouteConfig } from '../../alertmanager/config/types.js';
import { RouteTree } from '../../alertmanager/route/index.js';
import type { Route } from '../../alertmanager/route/index.js';
import { formatDuration } from '../../core/duration.js';
import type { Labels } from '../../core/labels.js';
import { isValidLabelName, isWellFormedUtf16 } from '../../core/labels.js';
import { matcherToString } from '../../core/matcher.js';
import type { RouteNode, RouteTestResult } from './wire.js';

/** `group_by: ['...']` as the config spells it. */
const GROUP_BY_ALL: readonly string[] = ['...'];

function groupBy(r: Route): readonly string[] {
  return r.groupByAll ? GROUP_BY_ALL : r.groupBy;
}

function nodeDto(r: Route, path: readonly number[]): RouteNode {
  return {
    path,
    receiver: r.receiver,
    // Route keeps them sorted as upstream's dispatch.NewRoute does, which is what amtool prints.
    matchers: r.matchers.map(matcherToString),
    continue: r.continue,
    group_by: groupBy(r),
    group_wait: formatDuration(r.groupWaitMs),
    group_interval: formatDuration(r.groupIntervalMs),
    repeat_interval: formatDuration(r.repeatIntervalMs),
    mute_time_intervals: r.muteTimeIntervals,
    active_time_intervals: r.activeTimeIntervals,
    routes: r.routes.map((c, i) => nodeDto(c, [...path, i])),
  };
}

/** A tenant's routing tree, built as the engine builds it (inheritance resolved). */
export class RoutingView {
  private readonly tree: RouteTree;
  private readonly paths = new Map<Route, readonly number[]>();

  constructor(route: RouteConfig) {
    this.tree = new RouteTree(route);
    const visit = (r: Route, path: readonly number[]): void => {
      this.paths.set(r, path);
      r.routes.forEach((c, i) => visit(c, [...path, i]));
    };
    visit(this.tree.root, []);
  }

  /** The whole tree as the contract's RouteNode. */
  root(): RouteNode {
    return nodeDto(this.tree.root, []);
  }

  /**
   * The routes an alert with `labels` goes to, as `amtool config routes test` resolves them
   * (cli/test_routing.go: dispatch Route.Match, receivers in match order), receivers deduplicated.
   */
  test(labels: Labels): RouteTestResult {
    const matched = this.tree.match(labels);
    const receivers: string[] = [];
    for (const r of matched) if (!receivers.includes(r.receiver)) receivers.push(r.receiver);
    return { receivers, routes: matched.map((r) => ({ path: this.paths.get(r) ?? [], receiver: r.receiver, group_by: groupBy(r) })) };
  }
}

/** A route test body that is not `{labels: {name: value}}`; the message names the field. */
export class RouteTestBodyError extends Error {}

/** Parses `{labels: {name: value}}`, refusing anything else with the field at fault. */
export function parseRouteTestBody(body: unknown): Labels {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RouteTestBodyError('body: must be a JSON object {"labels": {"name": "value"}}');
  const obj = body as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'labels') throw new RouteTestBodyError(`${JSON.stringify(key)}: unknown field (only "labels" is allowed)`);
  }
  if (!Object.hasOwn(obj, 'labels')) throw new RouteTestBodyError('labels: required');
  const raw = obj['labels'];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RouteTestBodyError('labels: must be an object of label name to string value');
  // No prototype: a label named `constructor` or `toString` must read as absent, not as Object's.
  const labels = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isValidLabelName(name)) throw new RouteTestBodyError(`labels.${JSON.stringify(name)}: invalid label name`);
    if (typeof value !== 'string') throw new RouteTestBodyError(`labels.${name}: value must be a string, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
    if (!isWellFormedUtf16(value)) throw new RouteTestBodyError(`labels.${name}: value is not valid UTF-8`);
    labels[name] = value;
  }
  return labels;
}
