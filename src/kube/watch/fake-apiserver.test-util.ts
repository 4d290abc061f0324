/**
 * A test-only Kubernetes API server on 127.0.0.1 that speaks the list/watch protocol of the real
 * one (k8s.io/apiserver `endpoints/handlers/watch.go`, `storage/cacher`): LIST answers carry
 * `metadata.resourceVersion`; WATCH from a version replays later events from a bounded history,
 * streams newline-delimited `{type, object}` events, sends BOOKMARKs to watchers that allow them,
 * and answers a version older than the history with an ERROR event (Status, code 410, reason
 * Expired); a LIST at an exact too-old version gets a 410 Status. Also: PATCH of the `status`
 * subresource (merge patch), POST of events, bearer-token auth. Controls let tests add, modify and
 * delete objects, compact the history, drop connections and go down.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

type Json = Record<string, unknown>;

interface Resource {
  readonly group: string;
  readonly versions: readonly string[];
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const RESOURCES: readonly Resource[] = [
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', versions: ['v1'], plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: 'monitoring.coreos.com', versions: ['v1alpha1', 'v1beta1'], plural: 'alertmanagerconfigs', kind: 'AlertmanagerConfig', namespaced: true },
  { group: 'monitoring.coreos.com', versions: ['v1'], plural: 'prometheusrules', kind: 'PrometheusRule', namespaced: true },
];

interface HistoryEvent {
  readonly rv: number;
  readonly plural: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Json;
}

interface Watcher {
  readonly plural: string;
  readonly version: string;
  readonly group: string;
  readonly namespace: string | undefined;
  readonly bookmarks: boolean;
  readonly res: http.ServerResponse;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

export const FAKE_TOKEN = 'fake-token';

function status(code: number, reason: string, message: string): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Json = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch as Json)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeApiServer {
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  /** plural -> "ns/name" (or "name") -> object as stored (apiVersion of the first version). */
  private readonly objects = new Map<string, Map<string, Json>>();
  private history: HistoryEvent[] = [];
  private watchers = new Set<Watcher>();
  private rv = 100;
  /** Versions at or below this left the history. */
  private compactedAt = 0;
  private uid = 0;
  private down = 0;
  readonly requests: RecordedRequest[] = [];
  url = '';

  async start(): Promise<this> {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A kubeconfig for this server with a bearer token, as `loadFromOptions` builds it. */
  kubeConfig(token = FAKE_TOKEN): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // The client refuses plain http unless TLS verification is off.
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'herald', token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'herald' }],
      currentContext: 'fake',
    });
    return kc;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  // ---- controls ----

  /** Adds or replaces an object (`metadata.namespace` for namespaced kinds); returns the stored copy. */
  apply(plural: string, obj: Json): Json {
    const r = this.resource(plural);
    const md = { ...((obj['metadata'] as Json | undefined) ?? {}) };
    const key = this.key(r, md);
    const store = this.store(plural);
    const old = store.get(key);
    const oldMd = old?.['metadata'] as Json | undefined;
    const specChanged = !old || JSON.stringify(old['spec']) !== JSON.stringify(obj['spec']) || JSON.stringify(old['data']) !== JSON.stringify(obj['data']);
    const generation = (typeof oldMd?.['generation'] === 'number' ? oldMd['generation'] : 0) + (specChanged ? 1 : 0);
    const stored: Json = {
      apiVersion: r.group === '' ? r.versions[0] : `${r.group}/${r.versions[0]}`,
      kind: r.kind,
      ...clone(obj),
      metadata: { ...md, uid: oldMd?.['uid'] ?? `uid-${++this.uid}`, resourceVersion: String(++this.rv), generation },
    };
    if (old && old['status'] !== undefined && obj['status'] === undefined) stored['status'] = old['status'];
    store.set(key, stored);
    this.emit(plural, old ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  delete(plural: string, namespace: string, name: string): void {
    const r = this.resource(plural);
    const key = this.key(r, { namespace, name });
    const old = this.store(plural).get(key);
    if (!old) throw new Error(`fake apiserver: no ${plural} ${key}`);
    this.store(plural).delete(key);
    const gone = clone(old);
    (gone['metadata'] as Json)['resourceVersion'] = String(++this.rv);
    this.emit(plural, 'DELETED', gone);
  }

  get(plural: string, namespace: string, name: string): Json | undefined {
    return this.store(plural).get(this.key(this.resource(plural), { namespace, name }));
  }

  /** Forgets all history: watches from any version before now get 410 Gone. */
  expireHistory(): void {
    this.compactedAt = this.rv;
    this.history = [];
  }

  /** Sends a BOOKMARK at the current version to every watcher that allows them. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const r = this.resource(w.plural);
      this.send(w, { type: 'BOOKMARK', object: { kind: r.kind, apiVersion: this.apiVersion(r, w.version), metadata: { resourceVersion: String(this.rv) } } });
    }
  }

  /** Cuts every open connection mid-stream (no terminating chunk). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.watchers.clear();
  }

  /** Ends every watch cleanly, as the server does when `timeoutSeconds` runs out. */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Sends an ERROR event (a Status with `code`) to every watcher and ends their streams. */
  errorWatches(code: number, message: string): void {
    for (const w of this.watchers) {
      this.send(w, { type: 'ERROR', object: status(code, code === 410 ? 'Expired' : 'InternalError', message) });
      w.res.end();
    }
    this.watchers.clear();
  }

  /** Answers the next `n` requests with 503. */
  failNext(n: number): void {
    this.down = n;
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  // ---- protocol ----

  private resource(plural: string): Resource {
    const r = RESOURCES.find((x) => x.plural === plural);
    if (!r) throw new Error(`fake apiserver: unknown resource ${plural}`);
    return r;
  }

  private store(plural: string): Map<string, Json> {
    let s = this.objects.get(plural);
    if (!s) this.objects.set(plural, (s = new Map<string, Json>()));
    return s;
  }

  private key(r: Resource, md: Json): string {
    if (typeof md['name'] !== 'string') throw new Error('fake apiserver: object without metadata.name');
    if (!r.namespaced) return md['name'];
    if (typeof md['namespace'] !== 'string') throw new Error('fake apiserver: namespaced object without metadata.namespace');
    return `${md['namespace']}/${md['name']}`;
  }

  private apiVersion(r: Resource, version: string): string {
    return r.group === '' ? version : `${r.group}/${version}`;
  }

  /** The object as served at `version` (the served versions share one storage, as with conversion None). */
  private view(r: Resource, version: string, obj: Json): Json {
    return { ...obj, apiVersion: this.apiVersion(r, version) };
  }

  private emit(plural: string, type: HistoryEvent['type'], object: Json): void {
    const ev: HistoryEvent = { rv: this.rv, plural, type, object: clone(object) };
    this.history.push(ev);
    for (const w of this.watchers) if (this.matches(w, ev)) this.send(w, { type, object: this.view(this.resource(plural), w.version, ev.object) });
  }

  private matches(w: Watcher, ev: HistoryEvent): boolean {
    if (ev.plural !== w.plural) return false;
    return w.namespace === undefined || (ev.object['metadata'] as Json)['namespace'] === w.namespace;
  }

  private send(w: Watcher, ev: Json): void {
    if (!w.res.writableEnded) w.res.write(`${JSON.stringify(ev)}\n`);
  }

  private reply(res: http.ServerResponse, code: number, body: Json): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    // Connections the tests drop end in 'aborted' errors here; that is the point, not a failure.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body,
      });
      if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) return this.reply(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      if (this.down > 0) {
        this.down--;
        return this.reply(res, 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
      }
      this.route(req.method ?? '', url, body, res);
    });
  }

  private route(method: string, url: URL, body: string, res: http.ServerResponse): void {
    // /api/v1/[namespaces/<ns>/]<plural>[/<name>[/status]] or /apis/<group>/<version>/...
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    let group = '';
    let rest: string[];
    let version: string | undefined;
    if (parts[0] === 'api') {
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis') {
      group = parts[1] ?? '';
      version = parts[2];
      rest = parts.slice(3);
    } else return this.reply(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (group === 'events.k8s.io' && version === 'v1' && rest[0] === 'namespaces' && rest[2] === 'events' && method === 'POST') {
      const ev = JSON.parse(body) as Json;
      const md = (ev['metadata'] as Json | undefined) ?? {};
      return this.reply(res, 201, { ...ev, metadata: { ...md, name: `${typeof md['generateName'] === 'string' ? md['generateName'] : 'event.'}${++this.uid}`, resourceVersion: String(++this.rv) } });
    }
    let namespace: string | undefined;
    // `namespaces/<ns>/<plural>` selects a namespace, but `namespaces[/<name>]` is the namespace resource.
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, sub] = rest;
    const r = RESOURCES.find((x) => x.plural === plural && x.group === group && version !== undefined && x.versions.includes(version));
    if (!r || version === undefined) return this.reply(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (name === undefined && method === 'GET') return url.searchParams.get('watch') === 'true' ? this.watch(r, version, namespace, url, res) : this.list(r, version, namespace, url, res);
    if (name !== undefined && sub === 'status' && method === 'PATCH') return this.patchStatus(r, version, namespace, name, body, res);
    return this.reply(res, 405, status(405, 'MethodNotAllowed', `${method} ${url.pathname} is not supported by the fake`));
  }

  private current(r: Resource, namespace: string | undefined): Json[] {
    return [...this.store(r.plural).values()].filter((o) => namespace === undefined || (o['metadata'] as Json)['namespace'] === namespace);
  }

  private list(r: Resource, version: string, namespace: string | undefined, url: URL, res: http.ServerResponse): void {
    const rv = url.searchParams.get('resourceVersion') ?? '';
    if (rv !== '' && rv !== '0' && Number(rv) < this.compactedAt) {
      return this.reply(res, 410, status(410, 'Expired', `too old resource version: ${rv} (${this.compactedAt})`));
    }
    const items = this.current(r, namespace).map((o) => {
      // Real list items of core types omit apiVersion and kind; custom resources keep them.
      const v = this.view(r, version, o);
      if (r.group === '') {
        delete v['apiVersion'];
        delete v['kind'];
      }
      return v;
    });
    this.reply(res, 200, { kind: `${r.kind}List`, apiVersion: this.apiVersion(r, version), metadata: { resourceVersion: String(this.rv) }, items });
  }

  private watch(r: Resource, version: string, namespace: string | undefined, url: URL, res: http.ServerResponse): void {
    const rv = url.searchParams.get('resourceVersion') ?? '';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { plural: r.plural, version, group: r.group, namespace, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true', res };
    if (rv === '' || rv === '0') {
      for (const o of this.current(r, namespace)) this.send(w, { type: 'ADDED', object: this.view(r, version, o) });
    } else if (Number(rv) < this.compactedAt) {
      this.send(w, { type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${rv} (${this.compactedAt})`) });
      res.end();
      return;
    } else {
      for (const ev of this.history) if (ev.rv > Number(rv) && this.matches(w, ev)) this.send(w, { type: ev.type, object: this.view(r, version, ev.object) });
    }
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }

  private patchStatus(r: Resource, version: string, namespace: string | undefined, name: string, body: string, res: http.ServerResponse): void {
    const key = r.namespaced ? `${namespace ?? ''}/${name}` : name;
    const old = this.store(r.plural).get(key);
    if (!old) return this.reply(res, 404, status(404, 'NotFound', `${r.plural}.${r.group} "${name}" not found`));
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch {
      return this.reply(res, 400, status(400, 'BadRequest', 'body is not JSON'));
    }
    // The status subresource ignores everything but `status`; generation does not move.
    const newStatus = mergePatch(old['status'], (patch as Json)['status']);
    const stored: Json = { ...old, status: newStatus, metadata: { ...(old['metadata'] as Json), resourceVersion: String(++this.rv) } };
    this.store(r.plural).set(key, stored);
    this.emit(r.plural, 'MODIFIED', stored);
    this.reply(res, 200, this.view(r, version, stored));
  }
}
