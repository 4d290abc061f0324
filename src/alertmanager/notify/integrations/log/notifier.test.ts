import { describe, expect, it } from 'vitest';
import { ZERO_TIME } from '../../../../core/alert.js';
import type { Alert } from '../../../../core/alert.js';
import { NOOP_LOGGER } from '../../../../core/runtime.js';
import type { Logger } from '../../../../core/runtime.js';
import { LITERAL_TEMPLATES, TemplateExecError } from '../../../template/api.js';
import type { Templates } from '../../../template/api.js';
import { ManualClock } from '../../test-fakes.js';
import type { NotifyContext } from '../../types.js';
import { jsonLineSink, loggerSink, createLogNotifier } from './notifier.js';
import type { LogLevel } from './notifier.js';

const NOW = Date.UTC(2024, 0, 1, 12);
const ctx: NotifyContext = { tenant: 't', receiver: 'audit', groupKey: '{}:{alertname="A"}', groupLabels: { alertname: 'A' }, externalURL: 'http://herald', signal: new AbortController().signal, now: NOW };

function alert(severity: string | undefined, resolved = false): Alert {
  return {
    labels: { alertname: 'A', ...(severity ? { severity } : {}) },
    annotations: { summary: 's' },
    startsAt: NOW - 60_000,
    endsAt: resolved ? NOW - 1000 : ZERO_TIME,
    generatorURL: 'http://prom/graph',
    updatedAt: NOW,
    timeout: false,
  };
}

/** Renders only the default message, as `[STATUS:n] alertname`. */
const SUBJECT: Templates = {
  ...LITERAL_TEMPLATES,
  executeText: (text, data) => {
    if (text === '{{ template "__subject" . }}') return `[${data.status.toUpperCase()}:${data.alerts.length}] ${data.groupLabels['alertname'] ?? ''}`;
    if (text.includes('{{')) throw new TemplateExecError('template: message:1:3: executing "message" at <.Bad>: bad');
    return text;
  },
};

function run(alerts: Alert[], message = '{{ template "__subject" . }}', templates: Templates = SUBJECT) {
  const lines: Array<{ level: LogLevel; line: Record<string, unknown> }> = [];
  const n = createLogNotifier({ type: 'log', index: 0, sendResolved: true, settings: { message } }, { http: { request: () => Promise.reject(new Error('no')) }, clock: new ManualClock(NOW), logger: NOOP_LOGGER, version: '1', templates }, { write: (level, line) => void lines.push({ level, line: { ...line } }) });
  return { lines, result: n.notify(ctx, alerts) };
}

describe('log notifier', () => {
  it.each([
    [[alert('critical'), alert('warning')], 'error'],
    [[alert('warning'), alert(undefined)], 'warn'],
    [[alert('WARNING')], 'warn'],
    [[alert('info')], 'info'],
    [[alert(undefined)], 'info'],
    [[alert('critical', true)], 'info'],
    [[alert('critical', true), alert('warning')], 'warn'],
  ])('%# level %s', async (alerts, level) => {
    const r = run(alerts);
    expect(await r.result).toEqual({ ok: true });
    expect(r.lines.map((l) => l.level)).toEqual([level]);
  });

  it('writes one line with receiver, status, group and every alert', async () => {
    const r = run([alert('critical'), alert('warning', true)]);
    await r.result;
    expect(r.lines[0]?.line).toEqual({
      receiver: 'audit',
      status: 'firing',
      groupKey: '{}:{alertname="A"}',
      groupLabels: { alertname: 'A' },
      message: '[FIRING:2] A',
      alerts: [
        { status: 'firing', labels: { alertname: 'A', severity: 'critical' }, annotations: { summary: 's' }, startsAt: '2024-01-01T11:59:00.000Z', endsAt: '0001-01-01T00:00:00.000Z', generatorURL: 'http://prom/graph', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown },
        { status: 'resolved', labels: { alertname: 'A', severity: 'warning' }, annotations: { summary: 's' }, startsAt: '2024-01-01T11:59:00.000Z', endsAt: '2024-01-01T11:59:59.000Z', generatorURL: 'http://prom/graph', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown },
      ],
    });
  });

  it('a message template error fails the notification without retry and writes nothing', async () => {
    const r = run([alert('critical')], '{{ .Bad }}');
    expect(await r.result).toEqual({ ok: false, retryable: false, error: 'log: message: template: message:1:3: executing "message" at <.Bad>: bad', reason: 'other' });
    expect(r.lines).toEqual([]);
  });

  it('sinks: one JSON line per notification, or the logger at the level', () => {
    const out: string[] = [];
    jsonLineSink((l) => out.push(l), new ManualClock(NOW)).write('warn', { receiver: 'r' });
    expect(out).toEqual(['{"time":"2024-01-01T12:00:00.000Z","level":"warn","receiver":"r"}\n']);
    const calls: unknown[][] = [];
    const logger: Logger = { ...NOOP_LOGGER, error: (...a: unknown[]) => void calls.push(['error', ...a]), child: () => logger };
    loggerSink(logger).write('error', { receiver: 'r' });
    expect(calls).toEqual([['error', { receiver: 'r' }, 'notification']]);
  });
});
