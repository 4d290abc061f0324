/**
 * Restoring alerts' `for` state after a restart (rules/group.go `RestoreForState`): the last
 * ALERTS_FOR_STATE sample within the outage tolerance gives when an alert became active and when
 * the ruler went down; downtime does not count towards `for`, and an alert that would fire sooner
 * than the grace period after the restart waits for the grace period instead.
 *
 * Difference from Prometheus: the QueryBackend answers PromQL range selectors, which drop stale
 * markers, so an alert whose series ended with a stale marker is restored from its last real
 * sample (Prometheus reads raw samples and skips such an alert).
 */
import { compareStrings, goQuote, isClassicLabelName } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { formatDuration } from '../../core/duration.js';
import { isStaleNaN } from '../../core/stale-nan.js';
import type { Logger } from '../../core/runtime.js';
import type { QueryBackend, RuleSeries } from '../api.js';
import type { AlertingRule } from './alerting-rule.js';
import { seriesKey } from './labels.js';

export interface RestoreOptions {
  readonly backend: QueryBackend;
  readonly forGracePeriodMs: number;
  readonly forOutageToleranceMs: number;
  readonly logger: Logger;
}

/** Restores every rule's alerts as of `ts` and marks the rules restored (also when restoring fails). */
export async function restoreForState(rules: readonly AlertingRule[], ts: number, o: RestoreOptions): Promise<void> {
  for (const rule of rules) {
    try {
      if (rule.forMs < o.forGracePeriodMs) continue;
      let series: RuleSeries[];
      try {
        series = await o.backend.queryMatrix(forStateSelector(rule, o.forOutageToleranceMs), ts);
      } catch (e) {
        o.logger.error({ alertname: rule.name, stage: 'Select', err: e instanceof Error ? e.message : String(e) }, "Failed to restore 'for' state");
        continue;
      }
      const byLabels = new Map<string, RuleSeries>();
      for (const s of series) {
        const { __name__: _n, ...rest } = s.labels;
        byLabels.set(seriesKey(rest), s);
      }
      if (byLabels.size === 0) continue;
      for (const a of rule.active.values()) {
        const s = byLabels.get(seriesKey(a.labels));
        const last = s ? s.t.length - 1 : -1;
        if (!s || last < 0) continue;
        const v = s.v[last] as number;
        if (isStaleNaN(v)) continue;
        a.activeAt = restoredActiveAt(rule.forMs, s.t[last] as number, v, ts, o.forGracePeriodMs);
        o.logger.debug({ alertname: rule.name, restored: a.activeAt, labels: a.labels }, "'for' state restored");
      }
    } finally {
      rule.restored = true;
    }
  }
}

/**
 * The new ActiveAt of an alert last seen at `downAtMs` with ALERTS_FOR_STATE value `activeAtSeconds`.
 * An alert that had already fired keeps its stored ActiveAt, so it fires again at the next
 * evaluation if still active. Times are truncated to seconds, as Prometheus reads them.
 */
export function restoredActiveAt(forMs: number, downAtMs: number, activeAtSeconds: number, ts: number, gracePeriodMs: number): number {
  const downAt = Math.trunc(downAtMs / 1000) * 1000;
  const activeAt = Math.trunc(activeAtSeconds) * 1000;
  const remaining = forMs - (downAt - activeAt);
  if (remaining <= 0) return activeAt;
  if (remaining < gracePeriodMs) return ts + gracePeriodMs - forMs;
  return activeAt + (ts - downAt);
}

/** `{__name__="ALERTS_FOR_STATE", alertname="...", <rule labels without templates>}[<tolerance>]`. */
export function forStateSelector(rule: AlertingRule, toleranceMs: number): string {
  const matchers: Labels = { ...rule.labels, __name__: 'ALERTS_FOR_STATE', alertname: rule.name };
  const parts: string[] = [];
  for (const name of Object.keys(matchers).sort(compareStrings)) {
    const value = matchers[name] as string;
    if (value.includes('{{')) continue;
    parts.push(`${isClassicLabelName(name) ? name : goQuote(name)}=${goQuote(value)}`);
  }
  return `{${parts.join(', ')}}[${formatDuration(toleranceMs)}]`;
}
