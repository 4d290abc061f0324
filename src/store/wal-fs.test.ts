import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import type { TenantTsdb } from '../tsdb/api.js';
import { ManualClock } from '../tsdb/test-fakes.js';
import { HeadSet } from '../tsdb/tsdb-set.js';
import { FsWalStorage, tenantDirName } from './wal-fs.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ALL = { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 };
const ABORT = new AbortController().signal;
const dirs: string[] = [];

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'herald-wal-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(root: string, segmentBytes?: number): HeadSet {
  return new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, storage: new FsWalStorage(root), retentionMs: 0, maintenanceIntervalMs: 0, ...(segmentBytes ? { segmentBytes } : {}) });
}

async function dump(db: TenantTsdb): Promise<unknown[]> {
  const all = await db.select([mustMatcher('__name__', '=~', '.+')], ALL, ABORT);
  return all.map((s) => ({ labels: s.labels, t: Array.from(s.t), v: Array.from(new Uint32Array(s.v.slice().buffer)) }));
}

async function load(db: TenantTsdb, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await db.append([
      { labels: { __name__: 'a', i: String(i % 7) }, t: [NOW + i * 1000], v: Float64Array.of(i % 10 === 9 ? STALE_NAN : i) },
      { labels: { __name__: 'b' }, t: [NOW + i * 1000], v: [i * 2] },
    ]);
  }
}

describe('FsWalStorage', () => {
  it.each(['plain', '../escape', '.', '..', 'a/b', 'ünï code', 'x*y'])('keeps tenant %j inside the root and lists it back', async (tenant) => {
    const root = tmp();
    const name = tenantDirName(tenant);
    expect(name).not.toMatch(/^\.\.?$|\//);
    const st = new FsWalStorage(root);
    st.dir(tenant).openSegmentWriter(0).close();
    expect(readdirSync(root)).toEqual([name]);
    expect(await st.tenants()).toEqual([tenant]);
  });

  it('lists nothing for a root that does not exist yet', async () => {
    expect(await new FsWalStorage(join(tmp(), 'missing')).tenants()).toEqual([]);
    expect(await new FsWalStorage(join(tmp(), 'missing')).dir('t').listSegments()).toEqual([]);
  });

  it('recovers acknowledged samples when the process dies without closing', async () => {
    const root = tmp();
    const a = await open(root).get('t1');
    await load(a, 0, 100);
    const b = await open(root).get('t1');
    expect(await dump(b)).toEqual(await dump(a));
    const [s] = await b.select([mustMatcher('i', '=', '2')], ALL, ABORT);
    expect(s!.v.some((v) => isStaleNaN(v))).toBe(true);
  });

  it('drops a torn tail of the last segment on disk', async () => {
    const root = tmp();
    const a = await open(root).get('t1');
    await load(a, 0, 10);
    const before = await dump(a);
    await load(a, 10, 1);
    const wal = join(root, 't1', 'wal');
    const last = readdirSync(wal).sort().at(-1)!;
    truncateSync(join(wal, last), statSync(join(wal, last)).size - 5);
    expect(await dump(await open(root).get('t1'))).toEqual(before);
  });

  it('checkpoints atomically, removes covered segments and replays the same state', async () => {
    const root = tmp();
    const set = open(root, 1024);
    const a = await set.head('t1');
    await load(a, 0, 200);
    const wal = join(root, 't1', 'wal');
    writeFileSync(join(wal, 'checkpoint.00000001.tmp'), 'left over from a crash');
    await set.maintain(true);
    const files = readdirSync(wal).sort();
    const cps = files.filter((f) => f.startsWith('checkpoint'));
    expect(cps).toHaveLength(1);
    const cpIndex = Number(cps[0]!.slice('checkpoint.'.length));
    expect(files.filter((f) => /^\d{8}$/.test(f)).every((f) => Number(f) > cpIndex)).toBe(true);
    await load(a, 200, 3);
    expect(await dump(await open(root).get('t1'))).toEqual(await dump(a));
  });

  const dist = join(process.cwd(), 'dist', 'tsdb', 'tsdb-set.js');
  it.skipIf(!existsSync(dist))('survives a real kill -9 of a writing process (needs `npm run build`)', async () => {
    const root = tmp();
    const script = join(root, 'writer.mjs');
    writeFileSync(script, `
      const { HeadSet } = await import(${JSON.stringify(dist)});
      const { FsWalStorage } = await import(${JSON.stringify(join(process.cwd(), 'dist', 'store', 'wal-fs.js'))});
      const clock = { now: () => Date.now(), schedule: () => ({ cancel() {} }), sleep: () => Promise.resolve() };
      const log = { debug() {}, info() {}, warn() {}, error() {}, child() { return log; } };
      const set = new HeadSet({ clock, logger: log, storage: new FsWalStorage(${JSON.stringify(join(root, 'data'))}), retentionMs: 0, maintenanceIntervalMs: 0, segmentBytes: 4096 });
      const db = await set.get('t1');
      for (let i = 1; ; i++) {
        await db.append([{ labels: { __name__: 'm' }, t: [i], v: [i] }]);
        process.stdout.write(i + '\\n');
      }
    `);
    // Killed once it has acknowledged enough appends or after a few seconds of acknowledging,
    // whichever comes first, so a slow or busy machine only makes the test weaker, never red.
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    let acked = 0;
    let pending = '';
    try {
      await new Promise<void>((resolve, reject) => {
        let deadline: NodeJS.Timeout | undefined;
        const stop = (): void => {
          clearTimeout(deadline);
          child.kill('SIGKILL');
          resolve();
        };
        child.stdout.on('data', (chunk: Buffer) => {
          const lines = (pending + chunk.toString()).split('\n');
          pending = lines.pop()!;
          for (const line of lines) acked = Math.max(acked, Number(line));
          if (acked > 0) deadline ??= setTimeout(stop, 3000);
          if (acked >= 500) stop();
        });
        void exited.then((code) => reject(new Error(`writer exited by itself (code ${code}) after ${acked} appends`)));
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(acked).toBeGreaterThan(0);
    const db = await new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, storage: new FsWalStorage(join(root, 'data')), retentionMs: 0, maintenanceIntervalMs: 0 }).get('t1');
    const [s] = await db.select([mustMatcher('__name__', '=', 'm')], ALL, ABORT);
    expect(s!.t.length).toBeGreaterThanOrEqual(acked);
    expect(Array.from(s!.t.subarray(0, acked))).toEqual(Array.from({ length: acked }, (_, i) => i + 1));
  }, 60_000);
});
