/**
 * The integration contract. Each integration lives in integrations/<name>/ and is registered by
 * name in integrations/registry.ts; the pipeline never branches on the type.
 */
import type { Alert } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { Result } from '../../core/result.js';
import type { Clock, HttpClient, Logger } from '../../core/runtime.js';
import type { GlobalConfig, IntegrationConfig } from '../config/types.js';
import type { Templates } from '../template/api.js';

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
  /** Fingerprints of the alerts being sent, when the pipeline already knows them (saves rehashing). */
  readonly fingerprints?: ReadonlyMap<Alert, string>;
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
  /** The tenant's templates (built-in defaults + its own files) for templated fields. */
  readonly templates: Templates;
  /** Outbound mail for email_configs; absent where mail cannot be sent (the integration then fails). */
  readonly smtp?: SmtpSender;
  /** Reads `*_file` secrets at send time; only the operator's configs get one (tenants cannot use files). */
  readonly secrets?: SecretFileReader;
}

/** Reads a secret file; throws an Error with a Go-like text (`open /x: no such file or directory`). */
export interface SecretFileReader {
  /** The file's content with surrounding whitespace trimmed (strings.TrimSpace, as upstream). */
  read(path: string): string;
}

/** One mail as the email integration composed it (headers already templated). */
export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  /** Every header, including Subject, From, To, Message-Id, Date. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly html?: string;
}

/** Where and how to deliver (email_configs' smarthost, hello, auth_*, require_tls, tls_config). */
export interface SmtpTarget {
  readonly host: string;
  readonly port: number;
  readonly hello: string;
  /** Port 465: TLS from the first byte; otherwise STARTTLS when offered (required if requireTls). */
  readonly implicitTls: boolean;
  readonly requireTls: boolean;
  readonly tls?: TlsOptions;
  readonly auth?: { readonly username: string; readonly password: string; readonly identity: string; readonly secret: string };
}

/** TLS settings of a tls_config block, resolved to PEM text. */
export interface TlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify?: boolean;
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** Sends mail. Rejects with an Error whose `responseCode` (SMTP reply code) is set when the server answered. */
export interface SmtpSender {
  send(target: SmtpTarget, message: MailMessage, signal: AbortSignal): Promise<void>;
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
