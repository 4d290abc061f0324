/**
 * Test fixtures for the integration notifiers: a local HTTP server recording every request (the
 * node:http factory is passed in, since engine code may not import it), fixed-text Templates,
 * and alert/context/config builders. Not used by production code.
 */
import { FETCH_HTTP_CLIENT } from '../../../../net/fetch-client.js';
import type { Alert } from '../../../../core/alert.js';
import { parseTime } from '../../../../core/alert.js';
import type { HttpClient } from '../../../../core/runtime.js';
import { NOOP_LOGGER } from '../../../../core/runtime.js';
import type { Logger } from '../../../../core/runtime.js';
import { GLOBAL_DEFAULTS } from '../../../config/global.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { TemplateExecError } from '../../../template/api.js';
import type { Templates } from '../../../template/api.js';
import type { TemplateData } from '../../template-data.js';
import { ManualClock } from '../../test-fakes.js';
import type { IntegrationDefinition, NotifierDeps, NotifyContext } from '../../types.js';

/** One request as the server saw it (header names lowercase). */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the server answers. */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface IncomingLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  on(ev: 'data', fn: (c: Uint8Array) => void): unknown;
  on(ev: 'end', fn: () => void): unknown;
}
interface ResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}
interface ServerLike {
  listen(port: number, host: string, cb: () => void): unknown;
  address(): unknown;
  close(cb: () => void): unknown;
  closeAllConnections?(): void;
}
type CreateServer = (handler: (req: IncomingLike, res: ResponseLike) => void) => ServerLike;

/** A recording server on 127.0.0.1; replies are taken in order, the last one repeats. */
export interface TestServer {
  readonly base: string;
  readonly requests: Recorded[];
  replies: Reply[];
  close(): Promise<void>;
}

/** Starts a recording server on a random port. */
export async function startServer(createServer: CreateServer, replies: Reply[] = [{ status: 200 }]): Promise<TestServer> {
  const requests: Recorded[] = [];
  const state = { replies };
  const server = createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = state.replies.length > 1 ? (state.replies.shift() as Reply) : (state.replies[0] ?? { status: 200 });
      res.writeHead(reply.status, { ...(reply.headers ?? {}) });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    get replies() {
      return state.replies;
    },
    set replies(r: Reply[]) {
      state.replies = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export const t = (s: string): number => parseTime(s) as number;
export const NOW = t('2024-01-01T12:05:00Z');

/** An alert started at 12:00 (firing at NOW unless `endsAt` says otherwise). */
export function alert(labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: t('2024-01-01T12:00:00Z'), endsAt: 0, generatorURL: '', updatedAt: NOW, timeout: false, ...extra };
}

/** The same alert, resolved at 12:04. */
export function resolved(labels: Record<string, string>): Alert {
  return alert(labels, { endsAt: t('2024-01-01T12:04:00Z') });
}

export function cfg(type: string, settings: Record<string, unknown>): IntegrationConfig {
  return { type, index: 0, sendResolved: true, settings };
}

export const GROUP_KEY = '{}:{alertname="HighLatency"}';
/** sha256 of GROUP_KEY, as `printf '%s' '{}:{alertname="HighLatency"}' | sha256sum` prints it. */
export const GROUP_KEY_HASH = 'd4061866bc333de2350285b0452a21f78349e3d63b4f06b6c956f64f95d7be36';

export function ctx(over: Partial<NotifyContext> = {}): NotifyContext {
  return {
    tenant: 't1',
    receiver: 'team-X',
    groupKey: GROUP_KEY,
    groupLabels: { alertname: 'HighLatency' },
    externalURL: 'http://am.example:9093',
    signal: new AbortController().signal,
    now: NOW,
    ...over,
  };
}

type Render = string | ((d: TemplateData) => string);

/**
 * Templates that know a fixed table of texts (exact match); text without `{{` renders as itself,
 * `{{ fail }}` and any other action throw TemplateExecError.
 */
export function fixedTemplates(table: Readonly<Record<string, Render>>): Templates {
  const run = (text: string, d: TemplateData): string => {
    const r = table[text];
    if (r !== undefined) return typeof r === 'string' ? r : r(d);
    if (!text.includes('{{')) return text;
    throw new TemplateExecError(`template: :1:3: executing "" at <${text}>: not in the test table`);
  };
  return { executeText: run, executeHtml: run, definedNames: () => [] };
}

/** A logger recording warn messages. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const l: Logger & { warnings: string[] } = {
    ...NOOP_LOGGER,
    warnings,
    warn: (a: object | string, b?: string) => void warnings.push(typeof a === 'string' ? a : (b ?? '')),
    child: () => l,
  };
  return l;
}

export function deps(http: HttpClient, templates: Templates, logger: Logger = NOOP_LOGGER): NotifierDeps {
  return { http, clock: new ManualClock(NOW), logger, version: '0.34.0', templates };
}

/** Runs the integration's own validator (defaults, global fill-ins) on `raw`; throws on issues. */
export function validated(def: IntegrationDefinition, raw: Record<string, unknown>, global: Record<string, unknown> = {}): IntegrationConfig {
  const res = def.validate(raw, { resolveTimeoutMs: 300_000, settings: { ...GLOBAL_DEFAULTS, ...global } });
  if (!res.ok) throw new Error(res.issues.map((i) => i.message).join('; '));
  return { type: def.name, index: 0, sendResolved: def.sendResolvedDefault, settings: res.value };
}

/** `{{ template "<name>" . }}` for each entry, as the config defaults spell it. */
export function templateRefs(table: Readonly<Record<string, Render>>): Record<string, Render> {
  const out: Record<string, Render> = {};
  for (const [name, r] of Object.entries(table)) {
    out[`{{ template "${name}" . }}`] = r;
    out[`{{ template "${name}" .}}`] = r;
  }
  return out;
}

/** The plain fetch-based client, for tests against local servers. */
export const FETCH_CLIENT: HttpClient = FETCH_HTTP_CLIENT;
