/**
 * What Herald's own API (`/api/herald/v1/`) asks of a tenant's notification side: history
 * queries, a test notification through a receiver, and template previews. The HTTP layer depends
 * on this interface only; engine-hooks.ts builds it from the engine's parts.
 */
import type { Result } from '../../../core/result.js';
import type { HistoryPage, HistoryQuery } from './types.js';

/** An alert of a test or preview request; omitted fields take the test alert's. */
export interface SampleAlertInput {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** `firing` (default) or `resolved`. */
  readonly status?: 'firing' | 'resolved';
}

export interface TestReceiverRequest {
  /** A receiver of the tenant's running configuration... */
  readonly receiver?: string;
  /** ...or a receiver definition in alertmanager.yml form (`name`, `<type>_configs`). */
  readonly receiverConfig?: Readonly<Record<string, unknown>>;
  readonly alerts?: readonly SampleAlertInput[];
}

/** How one integration answered the test notification. */
export interface IntegrationTestResult {
  readonly type: string;
  readonly index: number;
  readonly ok: boolean;
  readonly retryable?: boolean;
  readonly error?: string;
  readonly status?: number;
  readonly latencyMs: number;
}

export interface TestReceiverResult {
  readonly receiver: string;
  readonly integrations: readonly IntegrationTestResult[];
}

export interface TemplatePreviewRequest {
  readonly template: string;
  readonly alerts?: readonly SampleAlertInput[];
  /** Template files to use instead of the tenant's (file name -> text). */
  readonly templateFiles?: Readonly<Record<string, string>>;
}

/** A request the tools refuse: unknown receiver (`not_found`) or invalid input (`invalid`). */
export class NotificationToolError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'NotificationToolError';
  }
}

/** Herald API operations for one tenant at a time. */
export interface NotificationTools {
  /** Throws HistoryQueryError for a bad cursor. */
  queryHistory(tenant: string, q: HistoryQuery): Promise<HistoryPage>;
  /** Throws NotificationToolError. */
  testReceiver(tenant: string, req: TestReceiverRequest): Promise<TestReceiverResult>;
  /** Template load or execution problems come back as issues (`template: <name>:<line>:<col>: ...`). */
  previewTemplate(tenant: string, req: TemplatePreviewRequest): Promise<Result<string>>;
}
