/**
 * One tenant's Alertmanager: alert store, silences, notification log, inhibitor, routing tree,
 * dispatcher and notification pipeline wired together behind TenantAlertmanager. Mirrors the
 * composition in Alertmanager's cmd/alertmanager/main.go, with state written through the
 * TenantState instead of periodic snapshots, and timers from the injected clock.
 */
import { LITERAL_TEMPLATES } from './template/api.js';
import type { Alert } from '../core/alert.js';
import { ZERO_TIME } from '../core/alert.js';
import type { Labels } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';
import type { TimerHandle } from '../core/runtime.js';
import { AlertStore } from './alerts/index.js';
import type { AlertGroupView, AlertQuery, AlertStatus, AlertView, GroupQuery, SilenceView, TenantAlertmanager } from './api.js';
import type { AlertmanagerConfig } from './config/types.js';
import { Dispatcher, compareAlerts } from './dispatch/index.js';
import { Inhibitor } from './inhibit/index.js';
import { NotificationLog } from './nflog/index.js';
import { INTEGRATIONS } from './notify/integrations/registry.js';
import { NotificationPipeline } from './notify/index.js';
import { DEFAULT_HISTORY_BOUNDS, NotificationHistory } from './notify/history/index.js';
import type { TenantNotificationState } from './notify/history/index.js';
import { NO_RATE_LIMITS, NotificationRateLimiter } from './notify/rate-limit.js';
import type { AlertmanagerOptions, ConfigBindings } from './options.js';
import { RouteTree } from './route/index.js';
import type { Route } from './route/index.js';
import { Silences } from './silence/index.js';
import type { SilenceInput } from './silence/index.js';
import { anyIntervalContains } from './timeinterval/index.js';

/** provider/mem's default GC interval (`--alerts.gc-interval`). */
export const ALERT_GC_INTERVAL_MS = 30 * 60_000;
/** Silence and nflog maintenance interval (upstream `--data.maintenance-interval`). */
/** How long stop() waits for notifications under way. */
export const STOP_GRACE_MS = 5_000;

export const MAINTENANCE_INTERVAL_MS = 15 * 60_000;
/** How often the alert and silence gauges are refreshed. */
export const METRICS_INTERVAL_MS = 60_000;

const NONE: readonly string[] = [];

/** Builds and starts one tenant's engine over its persisted state. */
export async function createAlertmanager(opts: AlertmanagerOptions): Promise<TenantAlertmanager> {
  const e = new AlertmanagerEngine(opts);
  await e.start();
  return e;
}

class AlertmanagerEngine implements TenantAlertmanager {
  readonly tenant: string;
  private cfg: AlertmanagerConfig;
  private bindings: ConfigBindings;
  private readonly store: AlertStore;
  private readonly silencesDb: Silences;
  private readonly nflog: NotificationLog;
  private readonly history: NotificationHistory;
  private readonly rateLimiter: NotificationRateLimiter;
  private inhibitor: Inhibitor;
  private tree: RouteTree;
  private dispatcher: Dispatcher | undefined;
  private readonly timers: TimerHandle[] = [];
  private readonly tl: { tenant: string };
  private stopped = false;

  constructor(private readonly opts: AlertmanagerOptions) {
    this.tenant = opts.tenant;
    this.cfg = opts.config;
    this.bindings = opts.bindings ?? { templates: LITERAL_TEMPLATES, http: opts.http };
    this.tl = { tenant: opts.tenant };
    const logger = opts.logger.child({ component: 'alertmanager', tenant: opts.tenant });
    this.store = new AlertStore(opts.state, opts.limits, logger);
    this.silencesDb = new Silences({ state: opts.state, clock: opts.clock, logger, retentionMs: opts.retentionMs, limits: opts.limits });
    this.nflog = new NotificationLog({ state: opts.state, clock: opts.clock, logger, retentionMs: opts.retentionMs });
    this.history = new NotificationHistory({ state: opts.state, clock: opts.clock, logger, bounds: opts.historyBounds ?? (() => DEFAULT_HISTORY_BOUNDS) });
    this.rateLimiter = new NotificationRateLimiter(opts.rateLimits ?? (() => NO_RATE_LIMITS), opts.clock);
    this.inhibitor = new Inhibitor(opts.config.inhibitRules, opts.clock);
    this.tree = new RouteTree(opts.config.route);
    this.store.subscribe({ onAlert: (a, fp) => this.inhibitor.observe(a, fp) });
  }

  async start(): Promise<void> {
    await Promise.all([this.store.load(), this.silencesDb.load(), this.nflog.load(), this.history.load()]);
    this.store.forEach((a, fp) => this.inhibitor.observe(a, fp));
    this.dispatcher = this.buildDispatcher(this.cfg, this.tree);
    this.every(ALERT_GC_INTERVAL_MS, () => this.gcAlerts());
    this.every(MAINTENANCE_INTERVAL_MS, () => this.maintenance());
    this.every(METRICS_INTERVAL_MS, () => Promise.resolve(this.updateGauges()));
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const slot = this.timers.length;
    const tick = (): void => {
      if (this.stopped) return;
      fn()
        .catch((e: unknown) => this.opts.logger.error({ tenant: this.tenant, err: e instanceof Error ? e.message : String(e) }, 'maintenance failed'))
        .finally(() => {
          if (!this.stopped) this.timers[slot] = this.opts.clock.schedule(ms, tick);
        });
    };
    this.timers.push(this.opts.clock.schedule(ms, tick));
  }

  private buildDispatcher(cfg: AlertmanagerConfig, tree: RouteTree): Dispatcher {
    const o = this.opts;
    const intervals = cfg.timeIntervals;
    const pipeline = new NotificationPipeline({
      tenant: o.tenant,
      config: cfg,
      silences: this.silencesDb,
      inhibitor: this.inhibitor,
      nflog: this.nflog,
      timeIntervalContains: (name, t) => {
        const list = intervals.get(name);
        return list !== undefined && anyIntervalContains(list, t);
      },
      integrations: INTEGRATIONS,
      deps: {
        http: this.bindings.http,
        clock: o.clock,
        logger: o.logger,
        version: o.version,
        templates: this.bindings.templates,
        ...(this.bindings.smtp ? { smtp: this.bindings.smtp } : {}),
        ...(this.bindings.secrets ? { secrets: this.bindings.secrets } : {}),
      },
      metrics: o.metrics,
      logger: o.logger,
      clock: o.clock,
      externalURL: o.externalURL,
      retentionMs: o.retentionMs,
      history: this.history,
      rateLimiter: this.rateLimiter,
      ...(o.metrics.notificationRateLimited ? { rateLimitedMetric: o.metrics.notificationRateLimited } : {}),
    });
    const d = new Dispatcher({
      tenant: o.tenant,
      tree,
      notifier: pipeline,
      clock: o.clock,
      logger: o.logger.child({ component: 'dispatcher', tenant: o.tenant }),
      maxAggregationGroups: o.limits.maxAggregationGroups,
      metrics: o.metrics,
    });
    this.store.forEach((a, fp) => d.onAlert(a, fp));
    this.store.subscribe(d);
    return d;
  }

  config(): AlertmanagerConfig {
    return this.cfg;
  }

  async putAlerts(alerts: readonly Alert[]): Promise<{ readonly errors: readonly string[] }> {
    // alertmanager_alerts_received_total is counted at the API edge, before validation, as upstream.
    const errors = await this.store.put(alerts, this.opts.clock.now());
    return { errors };
  }

  private status(labels: Labels, fp: string, mutedBy: readonly string[]): AlertStatus {
    const silencedBy = this.silencesDb.mutes(labels, fp);
    const inh = this.inhibitor.mutes(labels, fp);
    const inhibitedBy = inh === undefined ? NONE : [inh];
    const suppressed = silencedBy.length > 0 || inhibitedBy.length > 0 || mutedBy.length > 0;
    return { state: suppressed ? 'suppressed' : 'active', silencedBy, inhibitedBy, mutedBy };
  }

  alerts(q: AlertQuery): AlertView[] {
    const now = this.opts.clock.now();
    const out: AlertView[] = [];
    const routes: Route[] = [];
    this.store.forEach((alert, fp) => {
      if (alert.endsAt !== ZERO_TIME && alert.endsAt < now) return;
      if (!matchFilterLabels(q.filter, alert.labels)) return;
      this.tree.matchInto(alert.labels, routes);
      const receivers = routes.map((r) => r.receiver);
      if (q.receiver !== undefined && !receivers.some(q.receiver)) return;
      const status = this.status(alert.labels, fp, NONE);
      if (!passesStatus(status, q.active, q.silenced, q.inhibited) || (!q.unprocessed && status.state === 'unprocessed')) return;
      out.push({ alert, fingerprint: fp, receivers, status });
    });
    return out.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  groups(q: GroupQuery): AlertGroupView[] {
    const d = this.dispatcher;
    if (d === undefined) return [];
    const now = this.opts.clock.now();
    const receiversByFp = new Map<string, string[]>();
    const built: { labels: Labels; receiver: string; alerts: { alert: Alert; fp: string; status: AlertStatus }[] }[] = [];
    for (const g of d.groups()) {
      const receiver = g.route.receiver;
      if (q.receiver !== undefined && !q.receiver(receiver)) continue;
      const mutedBy = this.groupMutedBy(g.route, now);
      if (!q.muted && mutedBy.length > 0) continue;
      const alerts: { alert: Alert; fp: string; status: AlertStatus }[] = [];
      for (const [fp, alert] of g.alerts) {
        if (!matchFilterLabels(q.filter, alert.labels)) continue;
        if (alert.endsAt !== ZERO_TIME && alert.endsAt < now) continue;
        const status = this.status(alert.labels, fp, mutedBy);
        if (!passesStatus(status, q.active, q.silenced, q.inhibited)) continue;
        let rs = receiversByFp.get(fp);
        if (rs === undefined) receiversByFp.set(fp, (rs = []));
        rs.push(receiver);
        alerts.push({ alert, fp, status });
      }
      if (alerts.length === 0) continue;
      alerts.sort((a, b) => compareAlerts(a.alert, b.alert));
      built.push({ labels: g.labels, receiver, alerts });
    }
    return built.map((g) => ({
      labels: g.labels,
      receiver: g.receiver,
      alerts: g.alerts.map((a) => ({ alert: a.alert, fingerprint: a.fp, receivers: receiversByFp.get(a.fp) ?? [], status: a.status })),
    }));
  }

  /** Time intervals muting a route now: matching mute intervals, or all active ones when none holds. */
  private groupMutedBy(route: Route, now: number): readonly string[] {
    const ti = this.cfg.timeIntervals;
    const contains = (n: string): boolean => {
      const list = ti.get(n);
      return list !== undefined && anyIntervalContains(list, now);
    };
    if (route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some(contains)) return route.activeTimeIntervals;
    if (route.muteTimeIntervals.length === 0) return NONE;
    const muted = route.muteTimeIntervals.filter(contains);
    return muted.length > 0 ? muted : NONE;
  }

  notificationState(): TenantNotificationState {
    return { history: this.history, rateLimiter: this.rateLimiter };
  }

  receivers(): string[] {
    return this.cfg.receivers.map((r) => r.name);
  }

  setSilence(input: SilenceInput): Promise<string> {
    return this.silencesDb.set(input);
  }

  expireSilence(id: string): Promise<void> {
    return this.silencesDb.expire(id);
  }

  getSilence(id: string): SilenceView | undefined {
    return this.silencesDb.get(id);
  }

  silences(filter: readonly Matcher[]): SilenceView[] {
    return this.silencesDb.query(filter);
  }

  applyConfig(config: AlertmanagerConfig, bindings?: ConfigBindings): Promise<void> {
    this.bindings = bindings ?? { templates: LITERAL_TEMPLATES, http: this.opts.http };
    const old = this.dispatcher;
    if (old) {
      this.store.unsubscribe(old);
      void old.stop(); // its last flushes finish on their own; the new dispatcher starts now
    }
    this.cfg = config;
    this.tree = new RouteTree(config.route);
    const inhibitor = new Inhibitor(config.inhibitRules, this.opts.clock);
    this.store.forEach((a, fp) => inhibitor.observe(a, fp));
    this.inhibitor = inhibitor;
    this.dispatcher = this.buildDispatcher(config, this.tree);
    return Promise.resolve();
  }

  private async gcAlerts(): Promise<void> {
    const dropped = await this.store.gc(this.opts.clock.now());
    for (const fp of dropped) {
      this.inhibitor.forget(fp);
      this.silencesDb.forget(fp);
    }
  }

  private async maintenance(): Promise<void> {
    await Promise.all([this.silencesDb.gc(), this.nflog.gc(), this.history.gc()]);
  }

  private updateGauges(): void {
    const c = this.silencesDb.counts();
    const m = this.opts.metrics;
    m.silences.set({ tenant: this.tenant, state: 'active' }, c.active);
    m.silences.set({ tenant: this.tenant, state: 'pending' }, c.pending);
    m.silences.set({ tenant: this.tenant, state: 'expired' }, c.expired);
    let active = 0;
    let suppressed = 0;
    this.store.forEach((a, fp) => {
      if (this.silencesDb.mutes(a.labels, fp).length > 0 || this.inhibitor.mutes(a.labels, fp) !== undefined) suppressed++;
      else active++;
    });
    m.alerts.set({ tenant: this.tenant, state: 'active' }, active);
    m.alerts.set({ tenant: this.tenant, state: 'suppressed' }, suppressed);
    m.alerts.set({ tenant: this.tenant, state: 'unprocessed' }, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    if (this.dispatcher) {
      this.store.unsubscribe(this.dispatcher);
      // Let notifications under way finish and be logged (so a restart does not send them
      // again), but never hold shutdown longer than STOP_GRACE_MS.
      let timer: TimerHandle | undefined;
      const grace = new Promise<void>((resolve) => (timer = this.opts.clock.schedule(STOP_GRACE_MS, resolve)));
      await Promise.race([this.dispatcher.stop(), grace]);
      timer?.cancel();
    }
    await this.history.flush();
  }
}

function passesStatus(s: AlertStatus, active: boolean, silenced: boolean, inhibited: boolean): boolean {
  if (!active && s.state === 'active') return false;
  if (!silenced && s.silencedBy.length > 0) return false;
  if (!inhibited && s.inhibitedBy.length > 0) return false;
  return true;
}

/**
 * api/v2 matchFilterLabels: `=`/`=~` with an empty value pass when the label is absent, `!=`/`!~`
 * with an empty value pass when it is present; otherwise the matcher decides.
 */
export function matchFilterLabels(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) {
    const v = labels[m.name];
    if (m.value === '') {
      if ((m.type === '!=' || m.type === '!~') && v !== undefined) continue;
      if ((m.type === '=' || m.type === '=~') && v === undefined) continue;
    }
    if (!m.matches(v ?? '')) return false;
  }
  return true;
}
