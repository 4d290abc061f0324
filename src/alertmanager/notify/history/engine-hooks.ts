/**
 * Pieces for the lead to wire the history and Herald's API into the engine and the server
 * without this module touching them: the per-tenant history/limiter factory the engine calls in
 * its constructor, and the NotificationTools implementation the server's herald-api mounts.
 */
import { parseDocument } from 'yaml';
import type { Result } from '../../../core/result.js';
import type { Clock, Logger } from '../../../core/runtime.js';
import type { TenantState } from '../../../core/state-store.js';
import type { AlertmanagerConfig, ReceiverConfig } from '../../config/types.js';
import type { LoadTemplates, TemplateSource } from '../../template/api.js';
import { NotificationRateLimiter } from '../rate-limit.js';
import type { NotificationRateLimits } from '../rate-limit.js';
import type { IntegrationDefinition, NotifierDeps } from '../types.js';
import { sampleAlerts, testReceiver } from './receiver-test.js';
import { NotificationHistory } from './store.js';
import { previewTemplate } from './template-preview.js';
import { NotificationToolError } from './tools.js';
import type { NotificationTools, TestReceiverRequest } from './tools.js';
import type { HistoryBounds } from './types.js';

/** What one tenant's engine keeps for the notification side (build once, keep across reloads). */
export interface TenantNotificationState {
  readonly history: NotificationHistory;
  readonly rateLimiter: NotificationRateLimiter;
}

/** Builds and restores a tenant's history and rate limiter. */
export async function createTenantNotificationState(o: {
  readonly state: TenantState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly historyBounds: () => HistoryBounds;
  readonly rateLimits: () => NotificationRateLimits;
}): Promise<TenantNotificationState> {
  const history = new NotificationHistory({ state: o.state, clock: o.clock, logger: o.logger, bounds: o.historyBounds });
  await history.load();
  return { history, rateLimiter: new NotificationRateLimiter(o.rateLimits, o.clock) };
}

type LoadConfig = (text: string, opts?: { tenantMode?: boolean }) => Result<AlertmanagerConfig>;

/** Everything createNotificationTools reads, per tenant where it varies. */
export interface NotificationToolsParts {
  /** The tenant's running config (creating the engine if needed). */
  config(tenant: string): Promise<AlertmanagerConfig>;
  /** The tenant's history and limiter (the engine's TenantNotificationState). */
  notificationState(tenant: string): Promise<TenantNotificationState | undefined>;
  /** The tenant's template files (its uploaded template_files, or the operator's files). */
  templateSources(tenant: string): Promise<readonly TemplateSource[]>;
  /** Whether posted receiver configs get tenant-upload restrictions (true unless operator-pinned). */
  tenantMode(tenant: string): boolean;
  readonly loadConfig: LoadConfig;
  readonly loadTemplates: LoadTemplates;
  readonly integrations: ReadonlyMap<string, IntegrationDefinition>;
  /** Shared deps; templates are loaded per tenant. */
  readonly deps: Omit<NotifierDeps, 'templates'>;
  /** The network clients test notifications of this tenant use (firewalled ones for tenants); default deps'. */
  netFor?(tenant: string): Pick<NotifierDeps, 'http' | 'smtp' | 'secrets'>;
  readonly externalURL: string;
  readonly clock: Clock;
}

/** NotificationTools over the engine's parts. */
export function createNotificationTools(p: NotificationToolsParts): NotificationTools {
  const templatesFor = async (tenant: string) => {
    const loaded = p.loadTemplates(await p.templateSources(tenant), { externalURL: p.externalURL });
    if (!loaded.ok) throw new NotificationToolError('invalid', `cannot load the tenant's templates: ${loaded.issues.map((i) => i.message).join('; ')}`);
    return loaded.value;
  };
  return {
    async queryHistory(tenant, q) {
      const s = await p.notificationState(tenant);
      return s ? s.history.query(q) : { items: [] };
    },
    async testReceiver(tenant, req) {
      const running = await p.config(tenant);
      const receiver = resolveReceiver(req, running, p.loadConfig, p.tenantMode(tenant));
      const s = await p.notificationState(tenant);
      return testReceiver(receiver, sampleAlerts(req.alerts, p.clock.now()), {
        tenant,
        integrations: p.integrations,
        deps: { ...p.deps, ...p.netFor?.(tenant), templates: await templatesFor(tenant) },
        externalURL: p.externalURL,
        ...(s ? { rateLimiter: s.rateLimiter } : {}),
      });
    },
    async previewTemplate(tenant, req) {
      const sources = req.templateFiles ? Object.entries(req.templateFiles).map(([name, text]) => ({ name, text })) : await p.templateSources(tenant);
      return previewTemplate(p.loadTemplates, {
        template: req.template,
        alerts: sampleAlerts(req.alerts, p.clock.now()),
        sources,
        receiver: 'preview',
        externalURL: p.externalURL,
        tenant,
        now: p.clock.now(),
      });
    },
  };
}

/**
 * The receiver to test: by name from the running config, or a posted definition validated by the
 * config loader inside the running config's `global` (so global fill-ins and defaults apply, and
 * tenant restrictions when `tenantMode`). Throws NotificationToolError.
 */
export function resolveReceiver(req: TestReceiverRequest, running: AlertmanagerConfig, load: LoadConfig, tenantMode: boolean): ReceiverConfig {
  if (req.receiver !== undefined) {
    const r = running.receivers.find((x) => x.name === req.receiver);
    if (!r) throw new NotificationToolError('not_found', `receiver ${JSON.stringify(req.receiver)} not found`);
    return r;
  }
  const rc = req.receiverConfig;
  if (!rc) throw new NotificationToolError('invalid', 'one of receiver or receiver_config is required');
  const name = typeof rc['name'] === 'string' ? rc['name'] : '';
  if (name === '') throw new NotificationToolError('invalid', 'receiver_config: missing name');
  const doc: Record<string, unknown> = { route: { receiver: name }, receivers: [rc] };
  const global = running.original === '' ? undefined : (parseDocument(running.original).toJS() as { global?: unknown } | null)?.global;
  if (global !== undefined && global !== null) doc['global'] = global;
  const loaded = load(JSON.stringify(doc), { tenantMode });
  if (!loaded.ok) {
    const problems = loaded.issues.map((i) => {
      const path = i.path ?? [];
      const inReceiver = path[0] === 'receivers' && path[1] === 0;
      const where = inReceiver ? ['receiver_config', ...path.slice(2)].join('.') : path.join('.');
      return where === '' ? i.message : `${where}: ${i.message}`;
    });
    throw new NotificationToolError('invalid', `invalid receiver_config: ${problems.join('; ')}`);
  }
  const r = loaded.value.receivers.find((x) => x.name === name);
  if (!r) throw new NotificationToolError('invalid', 'receiver_config: not loaded');
  return r;
}
