/**
 * List-then-watch for one resource, keeping its objects in memory: the behaviour of client-go's
 * Reflector (`tools/cache/reflector.go`). LIST gives the objects and a resourceVersion; WATCH from
 * that version applies ADDED/MODIFIED/DELETED and advances the version on every event and BOOKMARK;
 * `410 Gone` (an HTTP status or an ERROR event with code 410) means the version left the server's
 * history, so the reflector lists again and replaces its store, which is how nothing is lost or
 * duplicated. A clean end of the stream re-watches at once; errors wait with exponential back-off
 * (1s doubling, capped at 30s) on the injected clock, reset once the server answers again.
 */
import type { Clock, Logger } from '../../core/runtime.js';
import type { ResourceInfo, RawObject } from './resources.js';
import { collectionPath, objectKey, toRawObject } from './resources.js';
import type { KubeTransport } from './transport.js';

export const BACKOFF_INITIAL_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** Asked of the server so that watches end cleanly now and then (client-go picks 5-10 minutes). */
const WATCH_TIMEOUT_SECONDS = 300;
/** A watch that ends cleanly sooner than this without any event counts as a failure. */
const MIN_QUIET_WATCH_MS = 1_000;

/** The back-off before attempt `failures + 1`. */
export function backoffDelay(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.max(0, failures - 1));
}

/** Raised inside the loop when the server says our resourceVersion is too old. */
class ExpiredError extends Error {}

export interface ReflectorOptions {
  readonly resource: ResourceInfo;
  readonly transport: KubeTransport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called after the store changed in a way that matters (not for status-only updates). */
  readonly onChange: () => void;
}

export class Reflector {
  private readonly store = new Map<string, RawObject>();
  /** What each object's change-relevant content was when stored (labels, generation, spec, data). */
  private readonly fingerprints = new Map<string, string>();
  private version: string | undefined;
  private listedOnce = false;
  private failures = 0;
  private readonly log: Logger;
  private readonly path: string;

  constructor(private readonly opts: ReflectorOptions) {
    this.path = collectionPath(opts.resource);
    this.log = opts.logger.child({ resource: `${opts.resource.plural}.${opts.resource.version}` });
  }

  /** True once the first LIST has been applied. */
  get synced(): boolean {
    return this.listedOnce;
  }

  /** The resourceVersion the next watch starts from (undefined before a list, or after 410). */
  get resourceVersion(): string | undefined {
    return this.version;
  }

  objects(): IterableIterator<RawObject> {
    return this.store.values();
  }

  get(namespace: string, name: string): RawObject | undefined {
    return this.store.get(objectKey({ namespace, name }));
  }

  /** Runs until `signal` aborts. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (this.version === undefined) await this.list(signal);
        await this.watch(signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ExpiredError) {
          this.log.info({ err: err.message }, 'resourceVersion expired; listing again');
          this.version = undefined;
          continue;
        }
        this.failures++;
        const delay = backoffDelay(this.failures);
        this.log.warn({ err: err instanceof Error ? err.message : String(err), retryInMs: delay }, 'list/watch failed');
        try {
          await this.opts.clock.sleep(delay, signal);
        } catch {
          return;
        }
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    // An empty resourceVersion asks for a consistent read of the latest state.
    const res = await this.opts.transport.request('GET', this.path, undefined, signal);
    if (res.status !== 200) throw new Error(`LIST ${this.path}: HTTP ${res.status}: ${statusMessage(res.body)}`);
    const body = parseJson(res.body);
    const items = isRecord(body) ? body['items'] : undefined;
    const md = isRecord(body) ? body['metadata'] : undefined;
    const version = isRecord(md) ? md['resourceVersion'] : undefined;
    if (!Array.isArray(items) || typeof version !== 'string') throw new Error(`LIST ${this.path}: answer is not a list with metadata.resourceVersion`);
    this.failures = 0;
    const next = new Map<string, RawObject>();
    for (const item of items) {
      const obj = toRawObject(this.opts.resource, item);
      if (typeof obj === 'string') this.log.warn({ problem: obj }, 'skipping unusable object');
      else next.set(objectKey(obj.metadata), obj);
    }
    let changed = !this.listedOnce || next.size !== this.store.size;
    const fingerprints = new Map<string, string>();
    for (const [key, obj] of next) {
      const fp = fingerprint(obj);
      fingerprints.set(key, fp);
      if (this.fingerprints.get(key) !== fp) changed = true;
    }
    this.store.clear();
    this.fingerprints.clear();
    for (const [key, obj] of next) this.store.set(key, obj);
    for (const [key, fp] of fingerprints) this.fingerprints.set(key, fp);
    this.version = version;
    this.listedOnce = true;
    this.log.debug({ objects: next.size, resourceVersion: version }, 'listed');
    if (changed) this.opts.onChange();
  }

  private async watch(signal: AbortSignal): Promise<void> {
    const q = new URLSearchParams({
      watch: 'true',
      resourceVersion: this.version ?? '',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(WATCH_TIMEOUT_SECONDS),
    });
    let expired: string | undefined;
    let failure: string | undefined;
    let events = 0;
    const opened = this.opts.clock.now();
    const ac = new AbortController();
    const stop = (): void => ac.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await this.opts.transport.watch(
        `${this.path}?${q.toString()}`,
        (line) => {
          if (expired !== undefined || failure !== undefined) return;
          events++;
          const outcome = this.apply(line);
          if (outcome.expired !== undefined) expired = outcome.expired;
          if (outcome.failure !== undefined) failure = outcome.failure;
          if (expired !== undefined || failure !== undefined) ac.abort(new Error('watch ended by an ERROR event'));
        },
        ac.signal,
      ).catch((err: unknown) => {
        // Our own abort after an ERROR event is not a transport failure.
        if ((expired !== undefined || failure !== undefined) && !signal.aborted) return { status: 200, body: '' };
        throw err;
      });
      if (expired !== undefined) throw new ExpiredError(expired);
      if (failure !== undefined) throw new Error(failure);
      if (res.status === 410) throw new ExpiredError(statusMessage(res.body));
      if (res.status !== 200) throw new Error(`WATCH ${this.path}: HTTP ${res.status}: ${statusMessage(res.body)}`);
      // A server (or proxy) that ends every watch at once would otherwise be hammered.
      if (events === 0 && this.opts.clock.now() - opened < MIN_QUIET_WATCH_MS) throw new Error(`WATCH ${this.path}: closed at once without events`);
      this.failures = 0;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Applies one watch line; reports an ERROR event instead of throwing inside the stream. */
  private apply(line: string): { expired?: string; failure?: string } {
    const ev = parseJson(line);
    if (!isRecord(ev) || typeof ev['type'] !== 'string') return { failure: `WATCH ${this.path}: malformed event ${line.slice(0, 200)}` };
    const type = ev['type'];
    const object = ev['object'];
    this.failures = 0;
    if (type === 'ERROR') {
      const code = isRecord(object) ? object['code'] : undefined;
      const message = isRecord(object) && typeof object['message'] === 'string' ? object['message'] : 'no message';
      const reason = isRecord(object) ? object['reason'] : undefined;
      return code === 410 || reason === 'Expired' || reason === 'Gone' ? { expired: message } : { failure: `WATCH ${this.path}: ERROR event (code ${String(code)}): ${message}` };
    }
    if (type === 'BOOKMARK') {
      const md = isRecord(object) ? object['metadata'] : undefined;
      const rv = isRecord(md) ? md['resourceVersion'] : undefined;
      if (typeof rv === 'string') this.version = rv;
      return {};
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return { failure: `WATCH ${this.path}: unknown event type ${JSON.stringify(type)}` };
    const obj = toRawObject(this.opts.resource, object);
    if (typeof obj === 'string') {
      this.log.warn({ problem: obj, event: type }, 'skipping unusable object');
      return {};
    }
    if (obj.metadata.resourceVersion !== undefined) this.version = obj.metadata.resourceVersion;
    const key = objectKey(obj.metadata);
    if (type === 'DELETED') {
      const had = this.store.delete(key);
      this.fingerprints.delete(key);
      if (had) this.opts.onChange();
      return {};
    }
    const fp = fingerprint(obj);
    const changed = this.fingerprints.get(key) !== fp;
    this.store.set(key, obj);
    this.fingerprints.set(key, fp);
    if (changed) this.opts.onChange();
    return {};
  }
}

/** What a change must touch to matter to the renderers: a status-only update does not. */
function fingerprint(obj: RawObject): string {
  const { metadata: md } = obj;
  return JSON.stringify([md.generation ?? null, md.labels ?? null, md.annotations ?? null, obj['spec'] ?? null, obj['data'] ?? null]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The `message` of a Kubernetes Status answer, or the start of the body. */
function statusMessage(body: string): string {
  const s = parseJson(body);
  if (isRecord(s) && typeof s['message'] === 'string') return s['message'];
  return body.slice(0, 200);
}
