/**
 * The `log_configs` notifier: one JSON line per notification (receiver, status, group, rendered
 * message, every alert with labels, annotations, times and fingerprint) at a level taken from
 * the alerts' `severity`: critical -> error, warning -> warn, anything else and resolved -> info.
 */
import type { Alert } from '../../../../core/alert.js';
import { formatTime } from '../../../../core/alert.js';
import type { Clock, Logger } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { buildTemplateData } from '../../template-data.js';
import type { TemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';

export type LogLevel = 'error' | 'warn' | 'info';

/** Where the lines go. */
export interface LogSink {
  write(level: LogLevel, line: Readonly<Record<string, unknown>>): void;
}

/** Through the injected logger (pino writes one JSON line), message `notification`. */
export function loggerSink(logger: Logger): LogSink {
  const log = logger.child({ component: 'log_configs' });
  return { write: (level, line) => log[level](line, 'notification') };
}

/** As raw JSON lines (`{"time","level",...}`) to `out`, e.g. a dedicated file stream. */
export function jsonLineSink(out: (line: string) => void, clock: Clock): LogSink {
  return { write: (level, line) => out(JSON.stringify({ time: formatTime(clock.now()), level, ...line }) + '\n') };
}

const SEVERITY_LEVEL: Readonly<Record<string, LogLevel>> = { critical: 'error', warning: 'warn', warn: 'warn' };
const RANK: Readonly<Record<LogLevel, number>> = { info: 0, warn: 1, error: 2 };

/** The line's level: the most severe firing alert's, info when everything is resolved. */
export function levelOf(data: TemplateData): LogLevel {
  if (data.status === 'resolved') return 'info';
  let level: LogLevel = 'info';
  for (const a of data.alerts) {
    if (a.status !== 'firing') continue;
    const l = SEVERITY_LEVEL[(a.labels['severity'] ?? '').toLowerCase()] ?? 'info';
    if (RANK[l] > RANK[level]) level = l;
  }
  return level;
}

/** Builds the notifier; `sink` defaults to the deps' logger. */
export function createLogNotifier(config: IntegrationConfig, deps: NotifierDeps, sink: LogSink = loggerSink(deps.logger)): Notifier {
  const template = typeof config.settings['message'] === 'string' ? config.settings['message'] : '';
  return {
    notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const data = buildTemplateData(ctx, alerts);
      let message: string;
      try {
        message = deps.templates.executeText(template, data);
      } catch (e) {
        return Promise.resolve({ ok: false, retryable: false, error: `log: message: ${e instanceof Error ? e.message : String(e)}`, reason: 'other' });
      }
      sink.write(levelOf(data), {
        receiver: ctx.receiver,
        status: data.status,
        groupKey: ctx.groupKey,
        groupLabels: data.groupLabels,
        message,
        alerts: data.alerts.map((a) => ({
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          startsAt: formatTime(a.startsAt),
          endsAt: formatTime(a.endsAt),
          generatorURL: a.generatorURL,
          fingerprint: a.fingerprint,
        })),
      });
      return Promise.resolve({ ok: true });
    },
  };
}
