/**
 * The validated domain model of one Alertmanager configuration. The YAML loader
 * (./load.ts) produces it with upstream defaults applied; the engine only ever sees this shape.
 * Wire names (snake_case) survive inside integration `settings`, which each integration reads.
 */
import type { Matcher } from '../../core/matcher.js';
import type { TimeInterval } from '../timeinterval/types.js';

export interface AlertmanagerConfig {
  readonly global: GlobalConfig;
  readonly route: RouteConfig;
  readonly inhibitRules: readonly InhibitRuleConfig[];
  readonly receivers: readonly ReceiverConfig[];
  /** Template file names/globs as written in `templates:`. */
  readonly templates: readonly string[];
  /** `time_intervals` and the deprecated `mute_time_intervals`, by name. */
  readonly timeIntervals: ReadonlyMap<string, readonly TimeInterval[]>;
  /** The YAML text as submitted. */
  readonly original: string;
  /**
   * The decoded document with defaults and global fill-ins applied, under wire names (what
   * marshalConfig prints). Absent on configs built by hand.
   */
  readonly raw?: Readonly<Record<string, unknown>>;
}

export interface GlobalConfig {
  readonly resolveTimeoutMs: number;
  /** Every global key with upstream defaults applied, under its wire name (smtp_from, slack_api_url...). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** One node of the routing tree as configured (inheritance is resolved by the route module). */
export interface RouteConfig {
  readonly receiver?: string;
  /** Absent = inherit. Present and empty = group into one group. */
  readonly groupBy?: readonly string[];
  /** `group_by: ['...']`. */
  readonly groupByAll: boolean;
  /** `match`, `match_re` and `matchers` together, in that order (match_re anchored). */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly RouteConfig[];
  readonly groupWaitMs?: number;
  readonly groupIntervalMs?: number;
  readonly repeatIntervalMs?: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** Route labels (Alertmanager 0.34), values may be templates; inherited by children. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface InhibitRuleConfig {
  readonly name?: string;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

export interface ReceiverConfig {
  readonly name: string;
  /** Receiver labels (Alertmanager 0.33); always holds `name`. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly integrations: readonly IntegrationConfig[];
}

/** One entry of a receiver's `<type>_configs` list. */
export interface IntegrationConfig {
  /** Integration name without `_configs`: 'webhook', 'slack', 'email'... */
  readonly type: string;
  /** Position within that receiver's list of this type (Alertmanager's integration index). */
  readonly index: number;
  readonly sendResolved: boolean;
  /** The validated keys with defaults, under their wire names. */
  readonly settings: Readonly<Record<string, unknown>>;
}
