/**
 * Measures the SQLite StateStore under the write shape engines produce: many `write()` calls of
 * ~100 puts each (alert batches), and checks that acknowledged writes survive kill -9.
 *
 *   npx vite-node bench/sqlite-throughput.ts              # throughput + crash check
 *
 * Not a test (timing depends on the machine); run it by hand and compare with the target of
 * 300 writes/s x 100 puts on 2 cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StateOp } from '../src/core/state-store.js';
import { openSqliteStore } from '../src/store/sqlite.js';

const PUTS_PER_WRITE = 100;
const TENANTS = 10;
const ALERTS_PER_TENANT = 5_000;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** An alert-sized JSON value (~450 bytes), as src/alertmanager stores alerts. */
function alertValue(i: number, t: number): string {
  return JSON.stringify({
    labels: { alertname: `HighLatency${i % 50}`, instance: `host-${i}.example.com:9100`, job: 'node', severity: 'warning', team: `team-${i % 7}` },
    annotations: { summary: `Latency above threshold on host-${i}`, description: 'p99 latency has been above 500ms for 5 minutes.' },
    startsAt: t - 60_000,
    endsAt: t + 300_000,
    generatorURL: `http://prometheus:9090/graph?g0.expr=latency%7Binstance%3D%22host-${i}%22%7D`,
    updatedAt: t,
    timeout: true,
  });
}

function batch(n: number, t: number): StateOp[] {
  const ops: StateOp[] = [];
  for (let j = 0; j < PUTS_PER_WRITE; j++) {
    const i = (n * PUTS_PER_WRITE + j) % (TENANTS * ALERTS_PER_TENANT);
    const tenant = `tenant-${i % TENANTS}`;
    const key = (i * 2654435761).toString(16).padStart(16, '0');
    ops.push({ op: 'put', tenant, kind: 'alert', key, value: alertValue(i, t), expiresAt: t + 3_600_000 });
  }
  return ops;
}

async function saturate(path: string, seconds: number): Promise<{ writes: number; rate: number; cpu: number }> {
  const store = openSqliteStore(path);
  // Pre-build batches so the measurement is the store, not JSON.stringify.
  const batches = Array.from({ length: 2_000 }, (_, n) => batch(n, Date.now()));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let writes = 0;
  while (performance.now() - t0 < seconds * 1000) {
    await store.write(batches[writes % batches.length] as StateOp[]);
    writes++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  return { writes, rate: writes / elapsed, cpu: (cpu.user + cpu.system) / 1e6 / elapsed };
}

async function paced(path: string, perSecond: number, seconds: number): Promise<{ p50: number; p99: number; max: number; cpu: number }> {
  const store = openSqliteStore(path);
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const total = perSecond * seconds;
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ops = batch(n, Date.now());
    const s = performance.now();
    await store.write(ops);
    lat.push(performance.now() - s);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  lat.sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0;
  return { p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? 0, cpu: (cpu.user + cpu.system) / 1e6 / elapsed };
}

/** Child side of the crash check: writes forever, acknowledging each durable write on stdout. */
async function crashChild(path: string): Promise<void> {
  const store = openSqliteStore(path);
  for (let n = 0; ; n++) {
    await store.write(batch(n, Date.now()).map((op, j) => ({ ...op, tenant: 'crash', key: `k${n}-${j}` })));
    out(`ack ${n}`);
  }
}

/** Kills a writer with SIGKILL mid-stream and checks every acknowledged write is on disk. */
async function crashCheck(path: string, killAfter: number): Promise<{ acked: number; found: number }> {
  const self = fileURLToPath(import.meta.url);
  const viteNode = fileURLToPath(new URL('../node_modules/vite-node/vite-node.mjs', import.meta.url));
  const child = spawn(process.execPath, [viteNode, self, '--', '--crash-child', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let acked = -1;
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('ack ')) acked = Math.max(acked, Number(l.slice(4)));
    if (acked >= killAfter) child.kill('SIGKILL');
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  if (signal !== 'SIGKILL') out(`warning: child ended with signal ${String(signal)}`);
  const store = openSqliteStore(path);
  const rows = await store.load('alert', 'crash');
  await store.close();
  return { acked: (acked + 1) * PUTS_PER_WRITE, found: rows.length };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args[0] === '--crash-child') return crashChild(args[1] as string);

  const dir = mkdtempSync(join(tmpdir(), 'herald-sqlite-bench-'));
  try {
    out(`cpus: ${cpus().length} x ${cpus()[0]?.model ?? '?'}; node ${process.version}`);
    const s = await saturate(join(dir, 'sat.db'), 5);
    out(`saturated: ${s.rate.toFixed(0)} write()/s of ${PUTS_PER_WRITE} puts = ${(s.rate * PUTS_PER_WRITE).toFixed(0)} rows/s (cpu ${(s.cpu * 100).toFixed(0)}% of one core)`);
    const p = await paced(join(dir, 'paced.db'), 300, 10);
    out(`paced 300 write()/s for 10s: latency p50 ${p.p50.toFixed(2)}ms p99 ${p.p99.toFixed(2)}ms max ${p.max.toFixed(2)}ms (cpu ${(p.cpu * 100).toFixed(0)}% of one core, incl. building values)`);
    const c = await crashCheck(join(dir, 'crash.db'), 500);
    out(`kill -9: ${c.acked} rows acknowledged, ${c.found} found after reopen -> ${c.found >= c.acked ? 'OK' : 'LOST WRITES'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
