/**
 * The integration contract. Each integration lives in integrations/<name>/ and is registered by
 * name in integrations/registry.ts; the pipeline never branches on the type.
 */
import type { Alert } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { Result } from '../../core/result.js';
import type { Clock, HttpClient, Logger } from '../../core/runtime.js';
import type { GlobalConfig, IntegrationConfig } from '../config/types.js';

/** What a flush hands to an integration besides the alerts. */
export interface NotifyContext {
  readonly tenant: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly externalURL: string;
  /** Alerts cut by a max_alerts setting are counted here by the integration itself. */
  readonly signal: AbortSignal;
  readonly now: number;
}

export type NotifyResult = { readonly ok: true } | { readonly ok: false; readonly retryable: boolean; readonly error: string; readonly reason?: string };

export interface Notifier {
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult>;
}

export interface NotifierDeps {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly version: string;
}

/**
 * Everything the program knows about one integration: how to validate its YAML block (used by the
 * config loader) and, once implemented, how to build a Notifier for it.
 */
export interface IntegrationDefinition {
  /** Name without `_configs`. */
  readonly name: string;
  readonly sendResolvedDefault: boolean;
  /**
   * Validates one raw list entry (already decoded from YAML) and applies defaults, possibly from
   * `global`. Issues carry `path` relative to the entry.
   */
  validate(raw: Readonly<Record<string, unknown>>, global: GlobalConfig): Result<Readonly<Record<string, unknown>>>;
  /** Absent until the integration can deliver (see docs/compatibility.md). */
  readonly create?: (config: IntegrationConfig, deps: NotifierDeps) => Notifier;
}
