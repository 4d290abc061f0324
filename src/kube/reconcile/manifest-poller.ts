/**
 * The GitOps source for the reconciler: a manifest directory (manifests/) read every `intervalMs`
 * and handed over as a snapshot only when its content changed. The loader's file system has no
 * stat, so a change is a different SHA-256 over every file's path and text (the rules directory,
 * src/ruler/manager/rules-dir.ts, uses size and mtime for the same purpose). A directory that
 * cannot be read at all keeps the last snapshot: an unmounted volume must not delete every
 * tenant's routing. Likewise a file (or sub-directory) with a problem keeps the objects of its last
 * problem-free read, so a half-saved or mistyped file does not remove what it defined; a file that
 * never read cleanly contributes whatever did parse. A duplicate is not a broken file (the first
 * definition wins, as in the loader).
 */
import { createHash } from 'node:crypto';
import { compareStrings } from '../../core/labels.js';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { MonitoringObject } from '../api.js';
import { loadManifestDir, manifestNamespaces, manifestSecretReader, objectKey } from '../manifests/index.js';
import type { LoadedObject, ManifestFs, ManifestProblem } from '../manifests/index.js';
import type { ReconcileInput } from './reconciler.js';

export interface ManifestPollerOptions {
  readonly dir: string;
  readonly fs: ManifestFs;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between reads (ms, > 0). */
  readonly intervalMs: number;
  /**
   * Called with each changed snapshot, the manifest problems found in it and the files whose last
   * good version stands in for what is on disk; awaited before the next read.
   */
  readonly onChange: (input: ReconcileInput, problems: readonly ManifestProblem[], keptFiles: readonly string[]) => Promise<void>;
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
  /** file -> its objects at its last problem-free read (or carried over while it is broken). */
  let lastGood = new Map<string, readonly LoadedObject[]>();
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
    const { objects: all, good, kept } = withLastGood(loaded.objects, loaded.problems, lastGood);
    if (kept.length > 0) log.warn({ files: kept }, 'manifest files with problems: using their last good version');
    const objects: MonitoringObject[] = [];
    for (const { object: o } of all) if (o.kind === 'AlertmanagerConfig' || o.kind === 'PrometheusRule') objects.push(o);
    const input: ReconcileInput = {
      objects,
      namespaces: [...manifestNamespaces(all).values()],
      secrets: manifestSecretReader(all),
    };
    await opts.onChange(input, loaded.problems, kept);
    lastHash = digest;
    lastGood = good;
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

/**
 * Replaces the objects of files with problems by their last good version. Returns every object
 * (files in path order, first definition of a key wins), the new last-good map and the files kept.
 */
function withLastGood(
  objects: readonly LoadedObject[],
  problems: readonly ManifestProblem[],
  lastGood: ReadonlyMap<string, readonly LoadedObject[]>,
): { objects: LoadedObject[]; good: Map<string, readonly LoadedObject[]>; kept: string[] } {
  const broken = [...new Set(problems.filter((p) => !p.message.startsWith('duplicate ')).map((p) => p.file))];
  const isBroken = (file: string): boolean => broken.some((b) => file === b || file.startsWith(`${b}/`));
  const byFile = new Map<string, LoadedObject[]>();
  for (const o of objects) {
    let list = byFile.get(o.source.file);
    if (!list) byFile.set(o.source.file, (list = []));
    list.push(o);
  }
  const good = new Map<string, readonly LoadedObject[]>();
  const used = new Map<string, readonly LoadedObject[]>();
  const kept: string[] = [];
  for (const [file, list] of byFile) {
    if (isBroken(file)) continue;
    good.set(file, list);
    used.set(file, list);
  }
  for (const [file, list] of lastGood) {
    if (!isBroken(file)) continue;
    good.set(file, list);
    used.set(file, list);
    kept.push(file);
  }
  for (const [file, list] of byFile) if (!used.has(file)) used.set(file, list);
  const out: LoadedObject[] = [];
  const seen = new Set<string>();
  for (const file of [...used.keys()].sort(compareStrings)) {
    for (const o of used.get(file) ?? []) {
      const key = objectKey(o.object);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(o);
    }
  }
  return { objects: out, good, kept: kept.sort(compareStrings) };
}
