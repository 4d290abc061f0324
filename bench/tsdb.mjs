// Embedded TSDB benchmark (Herald issue 5): append rate, bytes per sample and memory per series.
//
//   npm run build && node --expose-gc bench/tsdb.mjs [--series=100000] [--samples=240] [--batch=1000] [--no-wal] [--jitter=0]
//
// Workload: SERIES series of a scrape-like mix (60% counters with integer increments, 20% constant
// gauges, 20% floating gauges doing a random walk with 3 decimals), one sample per series every
// 15s (plus a random 0..JITTER ms on each timestamp), appended in remote_write-sized batches of
// BATCH series. The WAL goes to a temporary directory through FsWalStorage (synchronous writes,
// as in production) unless --no-wal.
//
// "bytes/sample compressed" counts the encoded bytes of every sealed chunk (its exact length in
// the arena) plus the used bytes of each series' open head chunk (bits written, rounded up to a
// byte; not its buffer's capacity, printed apart as head-chunk buffers), divided by the samples
// in the head: the figure Prometheus' ~1.3 bytes/sample is (chunk data alone, without series,
// index and chunk metadata, which the memory line covers).
import { mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const SERIES = Number(opt('series', '100000'));
const SAMPLES = Number(opt('samples', '240'));
const BATCH = Number(opt('batch', '1000'));
const WAL = !argv.includes('--no-wal');
const JITTER = Number(opt('jitter', '0'));
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const { HeadSet } = await import(join(REPO, 'dist/tsdb/tsdb-set.js'));
const { FsWalStorage } = await import(join(REPO, 'dist/store/wal-fs.js'));
const { mustMatcher } = await import(join(REPO, 'dist/core/matcher.js'));

const gc = globalThis.gc ?? (() => undefined);
const mem = () => {
  gc();
  gc();
  return process.memoryUsage();
};
const rss = () => mem().rss;
const log = { debug() {}, info() {}, warn() {}, error() {}, child() { return log; } };
const START = Date.now() - SAMPLES * 15_000;
const clock = { now: () => Date.now(), schedule: () => ({ cancel() {} }), sleep: () => Promise.resolve() };
const dir = mkdtempSync(join(tmpdir(), 'herald-tsdb-bench-'));
const set = new HeadSet({ clock, logger: log, retentionMs: 0, maintenanceIntervalMs: 0, ...(WAL ? { storage: new FsWalStorage(dir) } : {}) });
const db = await set.head('bench');

const labels = [];
const state = new Float64Array(SERIES);
for (let i = 0; i < SERIES; i++) {
  const kind = i % 10 < 6 ? 'counter' : i % 10 < 8 ? 'const' : 'gauge';
  labels.push({ __name__: `bench_${kind}_${i % 50}`, instance: `host-${Math.floor(i / 50) % 2000}:9100`, job: `job-${i % 20}`, kind });
  state[i] = kind === 'const' ? 1 : kind === 'gauge' ? 50 : 0;
}
let seed = 1;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

const memBefore = mem();
const rssBefore = memBefore.rss;
let samples = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let k = 0; k < SAMPLES; k++) {
  const t = START + k * 15_000;
  for (let from = 0; from < SERIES; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(SERIES, from + BATCH); i++) {
      const kind = labels[i].kind;
      if (kind === 'counter') state[i] += Math.floor(rand() * 100);
      else if (kind === 'gauge') state[i] = Math.round((state[i] + (rand() - 0.5)) * 1000) / 1000;
      batch.push({ labels: labels[i], t: [JITTER > 0 ? t + Math.floor(rand() * (JITTER + 1)) : t], v: Float64Array.of(state[i]) });
    }
    const res = await db.append(batch);
    samples += res.accepted;
  }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
// CPU time (user + system) of the append loop: steadier than wall time on a shared machine.
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const memAfter = mem();
const rssAfter = memAfter.rss;
const heapPerSeries = (memAfter.heapUsed - memBefore.heapUsed + memAfter.arrayBuffers - memBefore.arrayBuffers) / SERIES;
const stats = db.stats();
const { bytes: chunkBytes, headBuffers } = db.chunkBytes();
const perKind = ['counter', 'const', 'gauge'].map((k) => {
  const c = db.chunkBytes([mustMatcher('kind', '=', k)]);
  return `${k} ${fmt(c.bytes / c.samples, 2)}`;
});

/** Median of 5 runs after a warm-up. */
const sel = async (ms) => {
  const times = [];
  let series = 0;
  for (let run = 0; run < 6; run++) {
    const t1 = process.hrtime.bigint();
    const r = await db.select(ms, { startMs: START, endMs: START + SAMPLES * 15_000, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
    if (run > 0) times.push(Number(process.hrtime.bigint() - t1) / 1e6);
    series = r.length;
  }
  times.sort((a, b) => a - b);
  return { series, ms: times[2] };
};
const one = await sel([mustMatcher('__name__', '=', 'bench_counter_1'), mustMatcher('instance', '=', 'host-0:9100')]);
const many = await sel([mustMatcher('__name__', '=~', 'bench_gauge_.*'), mustMatcher('job', '=', 'job-8')]);

let walBytes = 0;
if (WAL) for (const f of readdirSync(join(dir, 'bench', 'wal'))) walBytes += statSync(join(dir, 'bench', 'wal', f)).size;
const t2 = process.hrtime.bigint();
if (WAL) await set.maintain(true);
const cpMs = Number(process.hrtime.bigint() - t2) / 1e6;
let cpBytes = 0;
if (WAL) for (const f of readdirSync(join(dir, 'bench', 'wal'))) if (f.startsWith('checkpoint')) cpBytes += statSync(join(dir, 'bench', 'wal', f)).size;
const t3 = process.hrtime.bigint();
const replayed = WAL ? await new HeadSet({ clock, logger: log, retentionMs: 0, maintenanceIntervalMs: 0, storage: new FsWalStorage(dir) }).head('bench') : undefined;
const replayMs = Number(process.hrtime.bigint() - t3) / 1e6;

const lines = [
  `series ${fmt(SERIES)} x samples ${fmt(SAMPLES)} (batches of ${BATCH}, timestamp jitter ${JITTER} ms), WAL ${WAL ? 'on (fs, writeSync per batch)' : 'off'}`,
  `append: ${fmt(samples)} samples in ${fmt(secs, 2)} s = ${fmt(samples / secs)} samples/s; CPU ${fmt(cpuSecs, 2)} s = ${fmt(samples / cpuSecs)} samples per CPU second`,
  `head: ${fmt(stats.activeSeries)} series, ${fmt(stats.samplesInHead)} samples, chunk bytes ${fmt(chunkBytes)} (sealed chunks + used bytes of open chunks) = ${fmt(chunkBytes / stats.samplesInHead, 2)} bytes/sample compressed (${perKind.join(', ')}); head-chunk buffers ${fmt(headBuffers / SERIES)} bytes/series`,
  `memory: RSS +${fmt((rssAfter - rssBefore) / 2 ** 20, 1)} MiB = ${fmt((rssAfter - rssBefore) / SERIES)} bytes/series (${fmt(rssAfter / 2 ** 20, 1)} MiB total); JS heap + array buffers ${fmt(heapPerSeries)} bytes/series${globalThis.gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
  `select: 1 series ${fmt(one.ms, 2)} ms; ${fmt(many.series)} series (regex + equality) ${fmt(many.ms, 1)} ms`,
];
if (WAL) {
  lines.push(`WAL: ${fmt(walBytes / 2 ** 20, 1)} MiB before checkpoint (${fmt(walBytes / samples, 1)} bytes/sample); checkpoint ${fmt(cpBytes / 2 ** 20, 1)} MiB in ${fmt(cpMs)} ms; replay ${fmt(replayMs)} ms -> ${fmt(replayed.stats().samplesInHead)} samples`);
}
for (const l of lines) process.stdout.write(`${l}\n`);
await set.close();
rmSync(dir, { recursive: true, force: true });
