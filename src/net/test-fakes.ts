/**
 * Test support for the integration notifiers (named test-fakes.ts so the build leaves it out): a
 * real HTTP server on 127.0.0.1 that records every request, a small stand-in for the Go template
 * engine, the real default templates, and alert/context/config builders.
 */
import { FETCH_HTTP_CLIENT } from './fetch-client.js';
import { createServer } from 'node:http';
import { afterEach } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../core/alert.js';
import { parseTime } from '../core/alert.js';
import type { Clock, HttpClient } from '../core/runtime.js';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../core/runtime.js';
import { TemplateExecError } from '../alertmanager/template/api.js';
import type { Templates } from '../alertmanager/template/api.js';
import { loadTemplates } from '../alertmanager/template/index.js';
import type { TemplateData } from '../alertmanager/notify/template-data.js';
import type { IntegrationDefinition, NotifierDeps, NotifyContext, SmtpSender } from '../alertmanager/notify/types.js';
import type { IntegrationConfig } from '../alertmanager/config/types.js';

/** One request as the server saw it; transport headers (host, connection, accept...) removed. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** A recording server answering from `respond` (default 200 with an empty body). */
export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

// What fetch adds on its own (accept-language only when it is fetch's default `*`).
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'accept', 'sec-fetch-mode', 'accept-encoding', 'content-length', 'keep-alive']);

/** Starts a server on 127.0.0.1 port 0. */
export async function startServer(respond: (req: SeenRequest, n: number) => Reply = () => ({ status: 200 })): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!TRANSPORT_HEADERS.has(k) && v !== undefined && !(k === 'accept-language' && v === '*')) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const r = respond(seen, requests.length - 1);
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The plain fetch-based client, for tests against local servers. */
export const TEST_HTTP_CLIENT: HttpClient = FETCH_HTTP_CLIENT;

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

function render(text: string, data: TemplateData, html: boolean): string {
  const esc = (s: string): string => (html ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);
  const ifFiring = /\{\{ if eq \.Status "firing" \}\}(.*?)\{\{ else \}\}(.*?)\{\{ end \}\}/g;
  return text
    .replace(ifFiring, (_m, a: string, b: string) => (data.status === 'firing' ? a : b))
    .replace(ACTION, (_m, expr: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^template "([^"]+)" \.$/.exec(expr))) return `[${m[1]}:${data.status}]`;
      if (expr === '.Status') return data.status;
      if (expr === '.Receiver') return esc(data.receiver);
      if (expr === '.ExternalURL') return esc(data.externalURL);
      if ((m = /^\.CommonLabels\.(\w+)$/.exec(expr))) return esc(data.commonLabels[m[1] as string] ?? '');
      if ((m = /^\.GroupLabels\.(\w+)$/.exec(expr))) return esc(data.groupLabels[m[1] as string] ?? '');
      if (expr === 'len .Alerts') return String(data.alerts.length);
      throw new TemplateExecError(`template: :1:3: executing "" at <${expr}>: function "${expr.split(' ')[0]}" not defined`);
    });
}

/**
 * A stand-in for the Go template engine: `{{ template "x" . }}` renders `[x:<status>]`, plus
 * `.Status`, `.Receiver`, `.ExternalURL`, `.CommonLabels.x`, `.GroupLabels.x`, `len .Alerts` and
 * `if eq .Status "firing"`; anything else fails like an undefined function.
 */
export const FAKE_TEMPLATES: Templates = {
  executeText: (t, d) => render(t, d, false),
  executeHtml: (t, d) => render(t, d, true),
  definedNames: () => [],
};

const t = (s: string): number => parseTime(s) as number;

/** The fixed "now" of notifier tests. */
export const NOW = t('2024-01-01T12:05:00Z');

/** A firing alert (startsAt 12:00) with `labels`, overridable. */
export function alert(labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: t('2024-01-01T12:00:00Z'), endsAt: 0, generatorURL: '', updatedAt: NOW, timeout: false, ...extra };
}

/** The same alert resolved at 12:01. */
export function resolved(labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  return alert(labels, { endsAt: t('2024-01-01T12:01:00Z'), ...extra });
}

/** A notification context for receiver `team-X` and group `{alertname="HighLatency"}`. */
export function notifyCtx(over: Partial<NotifyContext> = {}): NotifyContext {
  return {
    tenant: 't1',
    receiver: 'team-X',
    groupKey: '{}:{alertname="HighLatency"}',
    groupLabels: { alertname: 'HighLatency' },
    externalURL: 'http://am.example:9093',
    signal: new AbortController().signal,
    now: NOW,
    ...over,
  };
}

/** Notifier deps over the real fetch client and the fake templates. */
export function testDeps(over: { templates?: Templates; clock?: Clock; http?: HttpClient; smtp?: SmtpSender } = {}): NotifierDeps {
  const base = { http: over.http ?? TEST_HTTP_CLIENT, clock: over.clock ?? SYSTEM_CLOCK, logger: NOOP_LOGGER, version: '0.34.0', templates: over.templates ?? FAKE_TEMPLATES };
  return over.smtp ? { ...base, smtp: over.smtp } : base;
}

/** A validated config entry, as the loader would hand it over (throws on validation issues). */
export function validated(def: IntegrationDefinition, raw: Record<string, unknown>, global: Record<string, unknown> = {}): IntegrationConfig {
  const r = def.validate(raw, { resolveTimeoutMs: 300_000, settings: global });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { type: def.name, index: 0, sendResolved: def.sendResolvedDefault, settings: r.value };
}

/** Registers an afterEach that closes every server started through the returned function. */
export function serverPool(): (respond?: (req: SeenRequest, n: number) => Reply) => Promise<TestServer> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (respond) => {
    const s = await startServer(respond);
    open.push(s);
    return s;
  };
}

/** The real template engine with only Herald's built-in defaults (loadTemplates([])). */
export function defaultTemplates(): Templates {
  const r = loadTemplates([]);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** The one firing alert the golden tests with real default templates use. */
export const GOLDEN_ALERT: Alert = alert({ alertname: 'HighLatency', severity: 'critical' }, { annotations: { summary: 'p99 high' } });

/** msteams/mattermost's default text for GOLDEN_ALERT (".default.text" of default.tmpl). */
export const GOLDEN_TEXT = '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = HighLatency\n  - severity = critical\n\nAnnotations:\n  - summary = p99 high\n\nSource: \n\n\n\n\n';
