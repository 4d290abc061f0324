/**
 * The GitOps source for the reconciler: a manifest directory (manifests/) read every `intervalMs`
 * and handed over as a snapshot only when its content changed. The loader's file system has no
 * stat, so a change is a different SHA-256 over every file's path and text (the rules directory,
 * src/ruler/manager/rules-dir.ts, uses size and mtime for the same purpose). A directory that
 * cannot be read at all keeps the last snapshot: an unmounted volume must not delete every
 * tenant's routing.
 */
import { createHash } from 'node:crypto';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { MonitoringObject } from '../api.js';
import { loadManifestDir, manifestNamespaces, manifestSecretReader } from '../manifests/index.js';
import type { ManifestFs, ManifestProblem } from '../manifests/index.js';
import type { ReconcileInput } from './reconciler.js';

export interface ManifestPollerOptions {
  readonly dir: string;
  readonly fs: ManifestFs;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between reads (ms, > 0). */
  readonly intervalMs: number;
  /** Called with each changed snapshot and the manifest problems found in it; awaited before the next read. */
  readonly onChange: (input: ReconcileInput, problems: readonly ManifestProblem[]) => Promise<void>;
}

export interface ManifestPoller {
  /** Reads the directory now; resolves with whether it changed (onChange was called). */
  poll(): Promise<boolean>;
  /** Polls at once, then every intervalMs. */
  start(): void;
  stop(): void;
}

export function createManifestPoller(opts: ManifestPollerOptions): ManifestPoller {
  if (!(opts.intervalMs > 0)) throw new Error(`manifest poller: intervalMs must be > 0, got ${opts.intervalMs}`);
  const log = opts.logger.child({ component: 'kube-manifests', dir: opts.dir });
  let lastHash: string | undefined;
  let timer: TimerHandle | undefined;
  let stopped = true;

  async function poll(): Promise<boolean> {
    const hash = createHash('sha256');
    const reading: ManifestFs = {
      readDir: (p) => opts.fs.readDir(p),
      readFile: async (p) => {
        const text = await opts.fs.readFile(p);
        hash.update(`${p}\u0000${text.length}\u0000${text}\u0000`);
        return text;
      },
    };
    const loaded = await loadManifestDir(opts.dir, reading);
    const rootUnreadable = loaded.objects.length === 0 && loaded.problems.some((p) => p.file === opts.dir && p.line === 0);
    if (rootUnreadable) {
      log.error({ problems: loaded.problems.map((p) => p.message) }, 'cannot read the manifest directory; keeping the last snapshot');
      return false;
    }
    for (const p of loaded.problems) hash.update(`problem\u0000${p.file}\u0000${p.line}\u0000${p.message}\u0000`);
    const digest = hash.digest('hex');
    if (digest === lastHash) return false;
    for (const p of loaded.problems) log.warn({ file: p.file, line: p.line }, p.message);
    const objects: MonitoringObject[] = [];
    for (const { object: o } of loaded.objects) if (o.kind === 'AlertmanagerConfig' || o.kind === 'PrometheusRule') objects.push(o);
    const input: ReconcileInput = {
      objects,
      namespaces: [...manifestNamespaces(loaded.objects).values()],
      secrets: manifestSecretReader(loaded.objects),
    };
    await opts.onChange(input, loaded.problems);
    lastHash = digest;
    return true;
  }

  function tick(): void {
    if (stopped) return;
    poll()
      .catch((e: unknown) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'manifest poll failed'))
      .finally(() => {
        if (!stopped) timer = opts.clock.schedule(opts.intervalMs, tick);
      });
  }

  return {
    poll,
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
    },
  };
}
