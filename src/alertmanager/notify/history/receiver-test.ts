/**
 * Sends one test notification through every integration of a receiver, as Grafana's "test contact
 * point": a synthetic firing alert (alertname=TestAlert, instance=Herald unless the caller gives
 * labels), one attempt per integration without retries, each bounded by a timeout, answering
 * every integration's outcome. Bypasses dedup and silences; not recorded in the history.
 */
import type { Alert } from '../../../core/alert.js';
import { ZERO_TIME } from '../../../core/alert.js';
import { goQuote } from '../../../core/labels.js';
import type { ReceiverConfig } from '../../config/types.js';
import { integrationDeps } from '../http-util.js';
import { RATE_LIMITED_ERROR } from '../rate-limit.js';
import type { NotificationRateLimiter } from '../rate-limit.js';
import type { IntegrationDefinition, NotifierDeps, NotifyResult } from '../types.js';
import type { IntegrationTestResult, SampleAlertInput, TestReceiverResult } from './tools.js';

export const TEST_ALERT_LABELS: Readonly<Record<string, string>> = { alertname: 'TestAlert', instance: 'Herald' };
export const TEST_ALERT_ANNOTATIONS: Readonly<Record<string, string>> = {
  summary: 'Notification test',
  description: 'A test notification sent by Herald (POST /api/herald/v1/receivers/test).',
};
/** Grafana's test timeout. */
export const TEST_TIMEOUT_MS = 15_000;

/** Sample alerts at `now`: the test alert, or each input over it; resolved ones ended a second ago. */
export function sampleAlerts(inputs: readonly SampleAlertInput[] | undefined, now: number): Alert[] {
  const list = inputs && inputs.length > 0 ? inputs : [{}];
  return list.map((a) => ({
    labels: { ...TEST_ALERT_LABELS, ...a.labels },
    annotations: { ...TEST_ALERT_ANNOTATIONS, ...a.annotations },
    startsAt: now - 60_000,
    endsAt: a.status === 'resolved' ? now - 1000 : ZERO_TIME,
    generatorURL: '',
    updatedAt: now,
    timeout: false,
  }));
}

export interface ReceiverTestEnv {
  readonly tenant: string;
  readonly integrations: ReadonlyMap<string, IntegrationDefinition>;
  readonly deps: NotifierDeps;
  readonly externalURL: string;
  readonly timeoutMs?: number;
  /** Test notifications take tokens like real ones, so the API cannot bypass the limits. */
  readonly rateLimiter?: NotificationRateLimiter;
}

const STATUS = /unexpected status code (\d{3})\b/;

/** Runs the test; never throws (a failing integration is a result). */
export async function testReceiver(receiver: ReceiverConfig, alerts: readonly Alert[], env: ReceiverTestEnv): Promise<TestReceiverResult> {
  const name = alerts[0]?.labels['alertname'] ?? 'TestAlert';
  const groupLabels = { alertname: name };
  const ctxBase = { tenant: env.tenant, receiver: receiver.name, groupKey: `{}/{herald_test="true"}:{alertname=${goQuote(name)}}`, groupLabels, externalURL: env.externalURL };
  const clock = env.deps.clock;
  const results = await Promise.all(
    receiver.integrations.map(async (cfg): Promise<IntegrationTestResult> => {
      const base = { type: cfg.type, index: cfg.index };
      const def = env.integrations.get(cfg.type);
      if (!def?.create) return { ...base, ok: false, retryable: false, error: `integration "${cfg.type}" cannot deliver notifications in this version`, latencyMs: 0 };
      if (env.rateLimiter?.take(cfg.type) !== undefined) return { ...base, ok: false, retryable: false, error: RATE_LIMITED_ERROR, latencyMs: 0 };
      const ac = new AbortController();
      const timeoutMs = env.timeoutMs ?? TEST_TIMEOUT_MS;
      const timer = clock.schedule(timeoutMs, () => ac.abort(new Error(`test notification timed out after ${timeoutMs}ms`)));
      const start = clock.now();
      let res: NotifyResult;
      try {
        const notifier = def.create(cfg, integrationDeps(env.deps, cfg.settings));
        res = await notifier.notify({ ...ctxBase, signal: ac.signal, now: start }, alerts);
      } catch (e) {
        res = { ok: false, retryable: true, error: e instanceof Error ? e.message : String(e) };
      } finally {
        timer.cancel();
      }
      const latencyMs = clock.now() - start;
      if (res.ok) return { ...base, ok: true, latencyMs };
      const m = STATUS.exec(res.error);
      return { ...base, ok: false, retryable: res.retryable, error: res.error, ...(m ? { status: Number(m[1]) } : {}), latencyMs };
    }),
  );
  return { receiver: receiver.name, integrations: results };
}
