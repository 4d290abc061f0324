/**
 * What one tenant's Alertmanager engine offers the HTTP layer. Domain types only: the server
 * converts them to and from the v2 wire format (src/server/alertmanager-v2/).
 */
import type { Alert } from '../core/alert.js';
import type { Labels } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';
import type { AlertmanagerConfig } from './config/types.js';
import type { TenantNotificationState } from './notify/history/engine-hooks.js';
import type { ConfigBindings } from './options.js';
import type { Silence, SilenceInput, SilenceState } from './silence/types.js';

export interface AlertStatus {
  readonly state: 'unprocessed' | 'active' | 'suppressed';
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
  readonly mutedBy: readonly string[];
}

export interface AlertView {
  readonly alert: Alert;
  readonly fingerprint: string;
  readonly receivers: readonly string[];
  readonly status: AlertStatus;
}

export interface AlertGroupView {
  readonly labels: Labels;
  /** Labels set on the route (Alertmanager 0.34 route `labels`); empty when none. */
  readonly routeLabels?: Labels;
  readonly receiver: string;
  readonly alerts: readonly AlertView[];
}

/** GET /api/v2/alerts parameters, already parsed. */
export interface AlertQuery {
  readonly filter: readonly Matcher[];
  /** Anchored regex over receiver names. */
  readonly receiver?: (name: string) => boolean;
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
  readonly unprocessed: boolean;
}

/** GET /api/v2/alerts/groups parameters, already parsed. */
export interface GroupQuery {
  readonly filter: readonly Matcher[];
  readonly receiver?: (name: string) => boolean;
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
  readonly muted: boolean;
}

export interface SilenceView {
  readonly silence: Silence;
  readonly state: SilenceState;
}

/** A request that the engine refused because of what it asked for (mapped to 4xx at the edge). */
export class AlertmanagerInputError extends Error {
  constructor(readonly code: 'invalid' | 'not_found' | 'limit', message: string, readonly limit?: string) {
    super(message);
  }
}

export interface TenantAlertmanager {
  readonly tenant: string;
  config(): AlertmanagerConfig;
  /**
   * Stores alerts (already normalised: startsAt/endsAt/updatedAt/timeout filled in by the caller
   * per Alertmanager's postAlertsHandler). Valid alerts are kept even when others fail; the
   * returned messages describe the ones refused. Resolves after the accepted alerts are durable.
   */
  putAlerts(alerts: readonly Alert[]): Promise<{ readonly errors: readonly string[] }>;
  alerts(q: AlertQuery): AlertView[];
  groups(q: GroupQuery): AlertGroupView[];
  receivers(): string[];

  /** Creates or updates; returns the id of the resulting silence. Throws AlertmanagerInputError. */
  setSilence(input: SilenceInput): Promise<string>;
  /** Throws AlertmanagerInputError('not_found'). */
  expireSilence(id: string): Promise<void>;
  getSilence(id: string): SilenceView | undefined;
  /** Sorted as Alertmanager's SortSilences; `filter` keeps silences that contain every filter matcher. */
  silences(filter: readonly Matcher[]): SilenceView[];

  /** The tenant's notification history and rate limiter (Herald API). */
  notificationState(): TenantNotificationState;

  /** Swaps in a new configuration; alerts, silences and notification log are kept. */
  /** Runs `config` from now on; `bindings` give its templates and HTTP client (default: literal templates, the engine's client). */
  applyConfig(config: AlertmanagerConfig, bindings?: ConfigBindings): Promise<void>;
  /** Stops timers and flushes state; the engine may not be used afterwards. */
  stop(): Promise<void>;
}
