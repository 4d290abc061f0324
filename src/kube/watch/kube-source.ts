/**
 * Herald's view of a Kubernetes cluster (issue 8): one list-then-watch reflector per watched
 * resource (see reflector.ts), an in-memory snapshot of AlertmanagerConfig and PrometheusRule
 * objects, namespaces with their labels and secrets for `secretKeyRef`, and a debounced `onChange`
 * with the whole snapshot once every resource has been listed, as an informer's `HasSynced` gate
 * does in client-go. It also writes the outcome of each object back to the cluster (status-writer.ts).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { MonitoringObject, NamespaceInfo, SecretReader } from '../api.js';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import { Reflector } from './reflector.js';
import type { KubeKind, RawObject } from './resources.js';
import { KUBE_KINDS, resourceInfo, resourceOf } from './resources.js';
import type { WriteStatus } from './status-writer.js';
import { createStatusWriter } from './status-writer.js';
import type { KubeTransport } from './transport.js';
import { createKubeTransport } from './transport.js';

/** Everything the renderers need, at one moment. */
export interface KubeSnapshot {
  /** AlertmanagerConfig and PrometheusRule objects, sorted by kind, namespace and name. */
  readonly objects: readonly MonitoringObject[];
  /** Sorted by name; empty unless `namespaces` is watched. */
  readonly namespaces: readonly NamespaceInfo[];
  /** Reads `data[key]` of a watched secret (undefined unless `secrets` is watched). */
  readonly secrets: SecretReader;
}

export interface KubeSourceOptions {
  /** From `loadFromCluster()`, `loadFromFile()`, `loadFromDefault()` or `loadFromOptions()`. */
  readonly kubeconfig: KubeConfig;
  /** What to watch; at most one AlertmanagerConfig version (the server serves every object under both). */
  readonly kinds: readonly KubeKind[];
  readonly onChange: (snapshot: KubeSnapshot) => void;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Quiet time before `onChange` after the last change (default 500 ms). */
  readonly debounceMs?: number;
  /** `reportingInstance` of the events Herald posts (default "herald"). */
  readonly instance?: string;
  /** For tests and other transports; default: HTTP through the kubeconfig. */
  readonly transport?: KubeTransport;
}

export interface KubeSource {
  /** Starts every reflector; resolves at once (watch `onChange` or `waitForSync`). */
  start(): void;
  /** Resolves once every resource has been listed. */
  waitForSync(): Promise<void>;
  /** The snapshot now (partial before the first sync). */
  snapshot(): KubeSnapshot;
  /** Writes conditions (and an event on rejection) for one object; logs failures, never throws. */
  writeStatus: WriteStatus;
  /** Ends every watch and pending timer. */
  stop(): Promise<void>;
}

export const DEFAULT_DEBOUNCE_MS = 500;
const MAX_WAIT_FACTOR = 10;

/** Checks the options and builds the source; throws with a message naming the bad option. */
export function createKubeSource(opts: KubeSourceOptions): KubeSource {
  const kinds = [...new Set(opts.kinds)];
  for (const k of kinds) if (!KUBE_KINDS.includes(k)) throw new Error(`kube source: unknown kind ${JSON.stringify(k)} (expected one of ${KUBE_KINDS.join(', ')})`);
  if (kinds.includes('alertmanagerconfigs/v1alpha1') && kinds.includes('alertmanagerconfigs/v1beta1')) {
    throw new Error('kube source: watch one AlertmanagerConfig version, not both: the API server serves every object under each version');
  }
  const transport = opts.transport ?? createKubeTransport(opts.kubeconfig);
  const logger = opts.logger.child({ component: 'kube-source' });
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const ac = new AbortController();
  let timer: TimerHandle | undefined;
  let pendingSince: number | undefined;
  let running: Promise<void>[] = [];
  let syncWaiters: (() => void)[] = [];

  const reflectors = new Map<KubeKind, Reflector>();
  const allSynced = (): boolean => [...reflectors.values()].every((r) => r.synced);

  const changed = (): void => {
    if (allSynced()) {
      const waiters = syncWaiters;
      syncWaiters = [];
      for (const w of waiters) w();
    }
    if (ac.signal.aborted || !allSynced()) return;
    // Debounced, but a steady stream of changes still gets reported every MAX_WAIT_FACTOR periods.
    const now = opts.clock.now();
    pendingSince ??= now;
    timer?.cancel();
    timer = opts.clock.schedule(Math.min(debounceMs, pendingSince + debounceMs * MAX_WAIT_FACTOR - now), () => {
      timer = undefined;
      pendingSince = undefined;
      if (ac.signal.aborted) return;
      try {
        opts.onChange(snapshot());
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'onChange failed');
      }
    });
  };

  for (const kind of kinds) {
    reflectors.set(kind, new Reflector({ resource: resourceInfo(kind), transport, clock: opts.clock, logger, onChange: changed }));
  }

  function snapshot(): KubeSnapshot {
    const objects: MonitoringObject[] = [];
    for (const [kind, r] of reflectors) {
      if (kind === 'namespaces' || kind === 'secrets') continue;
      for (const o of r.objects()) objects.push(o as unknown as MonitoringObject);
    }
    objects.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.metadata.namespace, b.metadata.namespace) || cmp(a.metadata.name, b.metadata.name));
    const ns = reflectors.get('namespaces');
    const namespaces: NamespaceInfo[] = ns ? [...ns.objects()].map((o) => ({ name: o.metadata.name, labels: o.metadata.labels ?? {} })) : [];
    namespaces.sort((a, b) => cmp(a.name, b.name));
    const secretStore = reflectors.get('secrets');
    // Values are read from the store at call time, so a reader kept by a renderer sees rotations.
    const secrets: SecretReader = (namespace, name, key) => Promise.resolve(secretStore ? secretValue(secretStore.get(namespace, name), key) : undefined);
    return { objects, namespaces, secrets };
  }

  const writeStatus = createStatusWriter({
    transport,
    clock: opts.clock,
    logger,
    ...(opts.instance === undefined ? {} : { instance: opts.instance }),
    currentConditions: (obj) => {
      const r = resourceOf(obj.apiVersion, obj.kind);
      const cached = r ? reflectors.get(r.kind)?.get(obj.metadata.namespace, obj.metadata.name) : undefined;
      const status = cached?.['status'];
      const conditions = typeof status === 'object' && status !== null ? (status as Record<string, unknown>)['conditions'] : undefined;
      return Array.isArray(conditions) ? (conditions as unknown[]) : undefined;
    },
  });

  return {
    start() {
      if (running.length > 0 || ac.signal.aborted) return;
      logger.info({ kinds }, 'watching Kubernetes');
      running = [...reflectors.values()].map((r) => r.run(ac.signal));
    },
    waitForSync() {
      if (allSynced()) return Promise.resolve();
      return new Promise((resolve) => syncWaiters.push(resolve));
    },
    snapshot,
    writeStatus,
    async stop() {
      ac.abort(new Error('kube source stopped'));
      timer?.cancel();
      await Promise.all(running);
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Secret's `data` values are base64; `stringData` is write-only and never comes back from the server. */
function secretValue(secret: RawObject | undefined, key: string): string | undefined {
  const data = secret?.['data'];
  if (typeof data !== 'object' || data === null) return undefined;
  const v = (data as Record<string, unknown>)[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}
