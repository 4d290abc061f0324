// PromQL engine benchmark: the same queries over the same data in Herald's engine and in
// Prometheus 2.42, in one run, reported as ratios.
//
//   node bench/promql.mjs [--series=10000] [--hours=2] [--runs=5] [--source=memory|tsdb] [--herald-only] [--json=FILE]
//
// Data: a deterministic workload written once as OpenMetrics, turned into TSDB blocks with
// `promtool tsdb create-blocks-from openmetrics` for Prometheus, and loaded from the same generator
// into Herald's in-memory SeriesSource. Prometheus' time is its own `execTotalTime` (query
// evaluation without HTTP and JSON, from `stats=all`); Herald's is the in-process query call.
// Both are the median of --runs runs after one warm-up.
import { freePort, REPO, sleep } from './lib.mjs';
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const SERIES = Number(opt('series', '10000'));
const HOURS = Number(opt('hours', '2'));
const RUNS = Number(opt('runs', '5'));
const HERALD_ONLY = argv.includes('--herald-only');
const JSON_OUT = opt('json', '');
// memory: the engine's in-memory source; tsdb: Herald's embedded store (compressed chunks).
const SOURCE = opt('source', 'memory');
const SCRAPE_S = 15;

// Times are whole minutes in the recent past, so Prometheus' retention keeps the blocks.
const END_S = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const START_S = END_S - HOURS * 3600;
const TENANTS = 50;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const HIST_SERIES = Math.max(1, Math.floor(SERIES / 100)); // instances with a histogram each

/** Every series of the workload: [name, labels, value at step i]. */
function* workload() {
  for (let s = 0; s < SERIES; s++) {
    const labels = { instance: `host-${s}`, tenant: `t${s % TENANTS}`, code: s % 7 === 0 ? '500' : '200' };
    const rate = 1 + (s % 13);
    yield ['http_requests_total', labels, (i) => (s % 97 === 0 && i > 200 ? (i - 200) * rate : i * rate)];
  }
  for (let s = 0; s < SERIES; s++) {
    yield ['instance_info', { instance: `host-${s}`, team: `team-${s % 20}` }, () => 1];
  }
  for (let h = 0; h < HIST_SERIES; h++) {
    for (let b = 0; b < BUCKETS.length; b++) {
      const share = (b + 1) / BUCKETS.length;
      yield ['req_duration_seconds_bucket', { instance: `host-${h}`, le: BUCKETS[b] }, (i) => Math.floor(i * 10 * share)];
    }
  }
}

const STEPS = Math.floor((END_S - START_S) / SCRAPE_S) + 1;
const QUERIES = [
  'rate(http_requests_total[5m])',
  'sum by (tenant) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.99, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'rate(http_requests_total[5m]) * on (instance) group_left (team) instance_info',
];

function labelText(name, labels) {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

async function writeOpenMetrics(file) {
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  for (const [name, labels, value] of workload()) {
    const l = labelText(name, labels);
    let chunk = '';
    for (let i = 0; i < STEPS; i++) chunk += `${l} ${value(i)} ${START_S + i * SCRAPE_S}\n`;
    await write(chunk);
  }
  await write('# EOF\n');
  await new Promise((r) => out.end(r));
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startPrometheus(dir) {
  const port = await freePort();
  await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const child = spawn('prometheus', ['--config.file', join(dir, 'prometheus.yml'), '--storage.tsdb.path', join(dir, 'data'), '--web.listen-address', `127.0.0.1:${port}`, '--storage.tsdb.retention.time=30d'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
    } catch { /* not up yet */ }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('prometheus did not become ready');
}

/** Prometheus' own evaluation time of one query, in ms. */
async function promTime(url, q, range) {
  const params = new URLSearchParams({ query: q, stats: 'all' });
  let path = '/api/v1/query';
  if (range) {
    path = '/api/v1/query_range';
    params.set('start', String(END_S - 3600));
    params.set('end', String(END_S));
    params.set('step', '15');
  } else params.set('time', String(END_S));
  const r = await (await fetch(`${url}${path}?${params}`)).json();
  if (r.status !== 'success') throw new Error(`prometheus: ${q}: ${r.error}`);
  const n = range ? r.data.result.length : r.data.result.length;
  return { ms: r.data.stats.timings.execTotalTime * 1000, series: n };
}

async function heraldSetup() {
  if (!existsSync(join(REPO, 'dist', 'promql', 'index.js'))) throw new Error('dist/promql/index.js missing: run `npm run build`');
  const promql = await import(join(REPO, 'dist', 'promql', 'index.js'));
  let source;
  if (SOURCE === 'tsdb') {
    const { HeadSet } = await import(join(REPO, 'dist', 'tsdb', 'index.js'));
    const clock = { now: () => Date.now(), schedule: () => ({ cancel() {} }), sleep: () => Promise.resolve() };
    const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
    const set = new HeadSet({ clock, logger, retentionMs: 0, maintenanceIntervalMs: 0 });
    source = await set.get('bench');
    const batch = [];
    for (const [name, labels, value] of workload()) {
      const t = new Float64Array(STEPS);
      const v = new Float64Array(STEPS);
      for (let i = 0; i < STEPS; i++) {
        t[i] = (START_S + i * SCRAPE_S) * 1000;
        v[i] = value(i);
      }
      batch.push({ labels: { __name__: name, ...labels }, t, v });
      if (batch.length === 1000) await source.append(batch.splice(0));
    }
    if (batch.length > 0) await source.append(batch);
  } else {
    source = new promql.MemorySeriesSource();
    for (const [name, labels, value] of workload()) {
      const l = { __name__: name, ...labels };
      for (let i = 0; i < STEPS; i++) source.add(l, (START_S + i * SCRAPE_S) * 1000, value(i));
    }
  }
  return async (q, range) => {
    const parsed = promql.parseExpr(q);
    if (!parsed.ok) throw new Error(`herald: ${q}: ${parsed.errors[0].message}`);
    const t0 = performance.now();
    const res = range
      ? await promql.rangeQuery(source, parsed.expr, (END_S - 3600) * 1000, END_S * 1000, 15_000)
      : await promql.instantQuery(source, parsed.expr, END_S * 1000);
    const ms = performance.now() - t0;
    const v = res.value;
    return { ms, series: v.type === 'matrix' ? v.series.length : v.type === 'vector' ? v.samples.length : 1 };
  };
}

async function measure(fn, q, range) {
  await fn(q, range);
  const times = [];
  let series = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await fn(q, range);
    times.push(r.ms);
    series = r.series;
  }
  return { ms: +median(times).toFixed(2), series };
}

const dir = await mkdtemp(join(tmpdir(), 'herald-promql-bench-'));
const results = { series: SERIES, hours: HOURS, samples_per_series: STEPS, queries: [] };
let prom;
try {
  console.log(`herald source: ${SOURCE}`);
  console.log(`workload: ${SERIES} counters + ${SERIES} info series + ${HIST_SERIES * BUCKETS.length} buckets, ${STEPS} samples each (${HOURS}h at ${SCRAPE_S}s)`);
  if (!HERALD_ONLY) {
    const om = join(dir, 'data.om');
    await writeOpenMetrics(om);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', om, join(dir, 'data')]);
    await rm(om);
    prom = await startPrometheus(dir);
  }
  const herald = await heraldSetup();
  console.log('| query | kind | Prometheus 2.42 ms | Herald ms | Herald/Prometheus | series |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const q of QUERIES) {
    for (const range of [false, true]) {
      const h = await measure(herald, q, range);
      const p = prom ? await measure((qq, rr) => promTime(prom.url, qq, rr), q, range) : undefined;
      const ratio = p ? (h.ms / p.ms).toFixed(2) : '-';
      if (p && p.series !== h.series) console.error(`  result size differs for ${q}: prometheus ${p.series}, herald ${h.series}`);
      results.queries.push({ query: q, range, prometheus_ms: p?.ms, herald_ms: h.ms, ratio: p ? h.ms / p.ms : undefined, series: h.series });
      console.log(`| \`${q}\` | ${range ? 'range 1h/15s' : 'instant'} | ${p?.ms ?? '-'} | ${h.ms} | ${ratio} | ${h.series} |`);
    }
  }
} finally {
  await prom?.stop();
  await rm(dir, { recursive: true, force: true });
}
if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify(results, null, 2));
