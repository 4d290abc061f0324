/**
 * Small stand-ins for the engine and config loader, so the HTTP layer is tested on its own:
 * a TenantAlertmanager that keeps alerts and silences in maps, and a loader that understands
 * just `global.resolve_timeout`, `route.receiver` and `receivers[].name`.
 */
import { randomUUID } from 'node:crypto';
import { parseDocument, LineCounter, isMap, isScalar } from 'yaml';
import { AlertmanagerInputError } from '../alertmanager/api.js';
import type { AlertGroupView, AlertQuery, AlertView, GroupQuery, SilenceView, TenantAlertmanager } from '../alertmanager/api.js';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import type { AlertmanagerOptions } from '../alertmanager/options.js';
import { loadTemplates } from '../alertmanager/template/index.js';
import { NotificationHistory } from '../alertmanager/notify/history/index.js';
import type { TenantNotificationState } from '../alertmanager/notify/history/index.js';
import { NO_RATE_LIMITS, NotificationRateLimiter } from '../alertmanager/notify/rate-limit.js';
import type { Silence, SilenceInput } from '../alertmanager/silence/types.js';
import type { Alert } from '../core/alert.js';
import { fingerprint } from '../core/labels.js';
import { matchesAll, newMatcher } from '../core/matcher.js';
import type { Matcher, MatchType } from '../core/matcher.js';
import { fail, issue, ok } from '../core/result.js';
import type { Issue, Result } from '../core/result.js';
import type { Clock } from '../core/runtime.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import type { StateStore } from '../core/state-store.js';
import { openMemoryStore } from '../store/index.js';
import { Limits } from '../tenancy/limits.js';
import { BUILTIN_FALLBACK_CONFIG, TenantRegistry } from '../tenancy/registry.js';
import { VERSION, versionInfo } from '../version.js';
import type { FastifyInstance } from 'fastify';
import { createMetrics } from './metrics.js';
import { buildServer } from './server.js';

/** Loads the tiny subset of alertmanager.yml the fakes need; unknown top-level keys are errors. */
export function fakeLoadConfig(text: string): Result<AlertmanagerConfig> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const issues: Issue[] = [];
  const at = (off: number | undefined) => {
    const p = lc.linePos(off ?? 0);
    return { range: { start: { line: p.line, column: p.col } } };
  };
  if (doc.errors.length > 0) return fail(doc.errors.map((e) => issue('yaml', e.message, at(e.pos[0]))));
  const js = (doc.toJS() ?? {}) as { route?: { receiver?: string }; receivers?: { name: string }[]; global?: { resolve_timeout?: string }; templates?: string[] };
  if (isMap(doc.contents)) {
    for (const p of doc.contents.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!['route', 'receivers', 'global', 'templates'].includes(k)) issues.push(issue('unknown_field', `field ${k} not found in type config.plain`, at(isScalar(p.key) ? p.key.range?.[0] : 0)));
    }
  }
  const receivers = js.receivers ?? [];
  if (!js.route?.receiver) issues.push(issue('required', 'root route must specify a default receiver', at(0)));
  else if (!receivers.some((r) => r.name === js.route?.receiver)) issues.push(issue('undefined', `undefined receiver "${js.route.receiver}" used in route`, at(0)));
  if (issues.length > 0) return fail(issues);
  const rt = js.global?.resolve_timeout;
  const resolveTimeoutMs = rt && rt.endsWith('m') ? Number(rt.slice(0, -1)) * 60_000 : 300_000;
  return ok({
    global: { resolveTimeoutMs, settings: {} },
    route: { receiver: js.route?.receiver as string, groupByAll: false, matchers: [], continue: false, routes: [], muteTimeIntervals: [], activeTimeIntervals: [] },
    inhibitRules: [],
    receivers: receivers.map((r) => ({ name: r.name, integrations: [] })),
    templates: js.templates ?? [],
    timeIntervals: new Map(),
    original: text,
  });
}

/** Parses `name=value` / `name=~value` etc., enough for the tests. */
export function fakeParseMatcher(input: string): Result<Matcher> {
  const m = /^([a-zA-Z_]+)(=~|!~|!=|=)"?([^"]*)"?$/.exec(input);
  if (!m) return fail([issue('bad_matcher', `bad matcher format: ${input}`)]);
  return newMatcher(m[1] as string, m[2] as MatchType, m[3] as string);
}

/** A TenantAlertmanager that keeps everything in maps. */
export class FakeAlertmanager implements TenantAlertmanager {
  readonly tenant: string;
  private cfg: AlertmanagerConfig;
  readonly held = new Map<string, Alert>();
  private readonly sils = new Map<string, Silence>();
  stopped = false;
  private readonly maxAlerts: number;
  private readonly now: () => number;

  constructor(opts: AlertmanagerOptions) {
    this.tenant = opts.tenant;
    this.cfg = opts.config;
    this.maxAlerts = opts.limits.maxAlerts;
    this.now = () => opts.clock.now();
    this.notif = { history: new NotificationHistory({ state: opts.state, clock: opts.clock, logger: NOOP_LOGGER }), rateLimiter: new NotificationRateLimiter(() => NO_RATE_LIMITS, opts.clock) };
  }

  config(): AlertmanagerConfig {
    return this.cfg;
  }
  private readonly notif: TenantNotificationState;
  notificationState(): TenantNotificationState {
    return this.notif;
  }
  putAlerts(alerts: readonly Alert[]): Promise<{ readonly errors: readonly string[] }> {
    const errors: string[] = [];
    for (const a of alerts) {
      const fp = fingerprint(a.labels);
      if (this.maxAlerts > 0 && !this.held.has(fp) && this.held.size >= this.maxAlerts) {
        errors.push(`alerts limit reached (limit: ${this.maxAlerts}, max_alerts)`);
        continue;
      }
      this.held.set(fp, a);
    }
    return Promise.resolve({ errors });
  }
  private view(a: Alert): AlertView {
    return {
      alert: a,
      fingerprint: fingerprint(a.labels),
      receivers: [this.cfg.route.receiver ?? ''],
      status: { state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] },
    };
  }
  alerts(q: AlertQuery): AlertView[] {
    const out: AlertView[] = [];
    for (const a of this.held.values()) {
      if (!matchesAll(q.filter, a.labels)) continue;
      const v = this.view(a);
      if (q.receiver && !v.receivers.some(q.receiver)) continue;
      out.push(v);
    }
    return out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : 1));
  }
  groups(q: GroupQuery): AlertGroupView[] {
    const alerts = this.alerts({ ...q, unprocessed: true });
    if (alerts.length === 0) return [];
    return [{ labels: {}, receiver: this.cfg.route.receiver ?? '', alerts }];
  }
  receivers(): string[] {
    return this.cfg.receivers.map((r) => r.name);
  }
  setSilence(input: SilenceInput): Promise<string> {
    if (input.id !== undefined && !this.sils.has(input.id)) return Promise.reject(new AlertmanagerInputError('not_found', 'silence not found'));
    const id = input.id ?? randomUUID();
    const { id: _drop, ...rest } = input;
    this.sils.set(id, { ...rest, id, updatedAt: this.now() });
    return Promise.resolve(id);
  }
  expireSilence(id: string): Promise<void> {
    const s = this.sils.get(id);
    if (!s) return Promise.reject(new AlertmanagerInputError('not_found', 'silence not found'));
    this.sils.set(id, { ...s, endsAt: this.now() - 1 });
    return Promise.resolve();
  }
  private sview(s: Silence): SilenceView {
    const now = this.now();
    return { silence: s, state: s.endsAt <= now ? 'expired' : s.startsAt > now ? 'pending' : 'active' };
  }
  getSilence(id: string): SilenceView | undefined {
    const s = this.sils.get(id);
    return s ? this.sview(s) : undefined;
  }
  silences(filter: readonly Matcher[]): SilenceView[] {
    const out: SilenceView[] = [];
    for (const s of this.sils.values()) {
      if (filter.every((f) => s.matchers.some((m) => m.name === f.name && m.type === f.type && m.value === f.value))) out.push(this.sview(s));
    }
    return out;
  }
  applyConfig(config: AlertmanagerConfig): Promise<void> {
    this.cfg = config;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

/** A fixed clock for server tests. */
export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    schedule: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
  return c;
}

export interface TestServer {
  app: FastifyInstance;
  readonly registry: TenantRegistry;
  readonly store: StateStore;
  readonly clock: Clock & { t: number };
  readonly created: string[];
  readonly engines: Map<string, FakeAlertmanager>;
  reloads: number;
}

/** A full server over fakes: memory store, fake engines, fake loader. */
export async function buildTestServer(opts: { requireTenant?: boolean; limits?: Limits; reload?: () => Promise<void>; notReady?: () => string | undefined } = {}): Promise<TestServer> {
  const store = openMemoryStore();
  const clock = fakeClock();
  const created: string[] = [];
  const engines = new Map<string, FakeAlertmanager>();
  const metrics = createMetrics(false);
  const fallback = fakeLoadConfig(BUILTIN_FALLBACK_CONFIG);
  if (!fallback.ok) throw new Error('fallback');
  const registry = new TenantRegistry({
    store,
    loadConfig: fakeLoadConfig,
    createEngine: async (o) => {
      created.push(o.tenant);
      await Promise.resolve();
      const e = new FakeAlertmanager(o);
      engines.set(o.tenant, e);
      return e;
    },
    clock,
    logger: NOOP_LOGGER,
    http: { request: () => Promise.reject(new Error('no http in tests')) },
    metrics: metrics.alertmanager,
    limits: opts.limits ?? new Limits(),
    externalURL: 'http://localhost:9093',
    version: VERSION,
    retentionMs: 3600_000,
    fallback: fallback.value,
  });
  const ts: TestServer = { app: undefined as unknown as FastifyInstance, registry, store, clock, created, engines, reloads: 0 };
  const app = await buildServer({
    registry,
    loadConfig: fakeLoadConfig,
    loadTemplates,
    marshalConfig: (c) => c.original,
    parseMatcher: fakeParseMatcher,
    clock,
    logger: NOOP_LOGGER,
    metrics: metrics.alertmanager,
    promRegistry: metrics.registry,
    versionInfo: versionInfo(process.version),
    startedAt: clock.t,
    requireTenant: () => opts.requireTenant ?? false,
    reload: opts.reload ?? (() => { ts.reloads++; return Promise.resolve(); }),
    ...(opts.notReady ? { notReady: opts.notReady } : {}),
  });
  ts.app = app;
  return ts;
}
