/**
 * One tenant's alerts by fingerprint. Mirrors Alertmanager's provider/mem: a re-posted alert is
 * merged with the one held (types.Alert.Merge), listeners see every stored alert, and resolved
 * alerts are dropped at each GC. Limits follow Mimir's alertsLimiter: new alerts are refused past
 * `maxAlerts`, and any alert that would push the tenant's total size past `maxAlertSizeBytes`;
 * an existing alert can always be updated within the size limit. Every accepted alert is written
 * through the TenantState (one write per put call) before the call resolves.
 */
import type { Alert, Millis } from '../../core/alert.js';
import { isResolvedAt, mergeAlerts } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Logger } from '../../core/runtime.js';
import type { StateOp, TenantState } from '../../core/state-store.js';
import { decodeAlert, encodeAlert } from './codec.js';

/** Receives every alert the store accepts (after merging), with its fingerprint. */
export interface AlertListener {
  onAlert(alert: Alert, fp: string): void;
}

export interface AlertStoreLimits {
  /** 0 = unlimited. */
  readonly maxAlerts: number;
  /** Total bytes of labels, annotations and generator URLs; 0 = unlimited. */
  readonly maxAlertSizeBytes: number;
}

interface Entry {
  alert: Alert;
  /** alertSize(alert) while a size limit is set; 0 otherwise (recomputed when one is set). */
  size: number;
}

/** Mimir's limit messages (pkg/alertmanager/alertmanager.go). */
export const tooManyAlerts = (limit: number): string => `too many alerts, limit: ${limit}`;
export const alertsTooBig = (limit: number): string => `alerts too big, total size limit: ${limit} bytes`;

/** Per-tenant alert store. */
export class AlertStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: AlertListener[] = [];
  private totalSize = 0;
  /** Sizes are only counted under a size limit: measuring every alert costs a few percent of a put. */
  private sized: boolean;

  constructor(
    private readonly state: TenantState,
    private limits: AlertStoreLimits,
    private readonly logger: Logger,
  ) {
    this.sized = limits.maxAlertSizeBytes > 0;
  }

  /** Replaces the limits (per-tenant overrides can change at runtime). */
  setLimits(limits: AlertStoreLimits): void {
    this.limits = limits;
    const sized = limits.maxAlertSizeBytes > 0;
    if (sized && !this.sized) {
      this.totalSize = 0;
      for (const e of this.entries.values()) {
        e.size = alertSize(e.alert);
        this.totalSize += e.size;
      }
    }
    this.sized = sized;
  }

  /** Total size of the held alerts as Mimir counts it (tracked only under a size limit). */
  get sizeBytes(): number {
    return this.sized ? this.totalSize : 0;
  }

  subscribe(l: AlertListener): void {
    this.listeners.push(l);
  }

  unsubscribe(l: AlertListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /** Restores the alerts persisted by a previous run; listeners are not told (they replay with forEach). */
  async load(): Promise<void> {
    const records = await this.state.load('alert');
    this.entries.clear();
    this.totalSize = 0;
    for (const r of records) {
      const a = decodeAlert(r.value);
      if (a === undefined) {
        this.logger.warn({ key: r.key }, 'dropping unreadable stored alert');
        continue;
      }
      const size = this.sized ? alertSize(a) : 0;
      this.entries.set(r.key, { alert: a, size });
      this.totalSize += size;
    }
  }

  /**
   * Stores alerts, merging each with the one held under its fingerprint. Returns one message per
   * refused alert; resolves after the accepted ones are durable.
   */
  async put(alerts: readonly Alert[], now: Millis): Promise<string[]> {
    const errors: string[] = [];
    const ops: StateOp[] = [];
    const { maxAlerts, maxAlertSizeBytes } = this.limits;
    const listeners = this.listeners;
    for (let i = 0; i < alerts.length; i++) {
      const incoming = alerts[i] as Alert;
      const fp = fingerprint(incoming.labels);
      const old = this.entries.get(fp);
      const size = this.sized ? alertSize(incoming) : 0;
      if (old === undefined && maxAlerts > 0 && this.entries.size + 1 > maxAlerts) {
        errors.push(tooManyAlerts(maxAlerts));
        continue;
      }
      const diff = old === undefined ? size : size - old.size;
      if (maxAlertSizeBytes > 0 && this.totalSize + diff > maxAlertSizeBytes) {
        errors.push(alertsTooBig(maxAlertSizeBytes));
        continue;
      }
      const merged = old === undefined ? incoming : mergeAlerts(old.alert, incoming, now);
      if (old === undefined) this.entries.set(fp, { alert: merged, size });
      else {
        old.alert = merged;
        old.size = size;
      }
      this.totalSize += diff;
      ops.push(this.state.put('alert', fp, encodeAlert(merged)));
      for (let k = 0; k < listeners.length; k++) (listeners[k] as AlertListener).onAlert(merged, fp);
    }
    if (ops.length > 0) await this.state.write(ops);
    return errors;
  }

  get(fp: string): Alert | undefined {
    return this.entries.get(fp)?.alert;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Visits every held alert (no copying). */
  forEach(fn: (alert: Alert, fp: string) => void): void {
    for (const [fp, e] of this.entries) fn(e.alert, fp);
  }

  /**
   * Drops alerts resolved at `now` (provider/mem GC) and returns their fingerprints, so the
   * inhibitor can forget them.
   */
  async gc(now: Millis): Promise<string[]> {
    const dropped: string[] = [];
    const ops: StateOp[] = [];
    for (const [fp, e] of this.entries) {
      if (!isResolvedAt(e.alert, now)) continue;
      this.entries.delete(fp);
      this.totalSize -= e.size;
      dropped.push(fp);
      ops.push(this.state.del('alert', fp));
    }
    if (ops.length > 0) await this.state.write(ops);
    return dropped;
  }
}

/** Mimir's alertSize: UTF-8 bytes of label and annotation names and values plus the generator URL. */
export function alertSize(a: Alert): number {
  let n = utf8Length(a.generatorURL);
  for (const k in a.labels) n += utf8Length(k) + utf8Length(a.labels[k] as string);
  for (const k in a.annotations) n += utf8Length(k) + utf8Length(a.annotations[k] as string);
  return n;
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    // Two UTF-16 units of a surrogate pair make four bytes: 2 counted + 1 each here.
    n += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdfff ? 1 : 2;
  }
  return n;
}
