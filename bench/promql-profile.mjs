// Herald-only PromQL micro-benchmark for profiling: loads the workload of bench/promql.mjs into a
// MemorySeriesSource and runs each query (instant and range) --iters times, printing the median.
//
//   npm run build && node [--cpu-prof] bench/promql-profile.mjs [--series=2000] [--iters=20] [--query=N] [--kind=instant|range]
//
// --query=N picks one query of the list (0-based) so a CPU profile shows only its hot spots.
// Summarise a profile by self time with `node bench/promql-profile.mjs --summary=FILE.cpuprofile`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};

const summary = opt('summary', '');
if (summary) {
  // Self time per function (file:line) from a V8 .cpuprofile, top 30.
  const prof = JSON.parse(readFileSync(summary, 'utf8'));
  const dt = new Map();
  for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const self = new Map();
  let total = 0;
  for (const n of prof.nodes) {
    const t = dt.get(n.id) ?? 0;
    total += t;
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [k, t] of rows) process.stdout.write(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)}ms  ${k}\n`);
  process.exit(0);
}

const SERIES = Number(opt('series', '2000'));
const ITERS = Number(opt('iters', '20'));
const ONLY = opt('query', '');
const KIND = opt('kind', ''); // instant | range | '' (both)
const HOURS = 2;
const SCRAPE_S = 15;
const END_S = 1_700_000_000 - (1_700_000_000 % 3600);
const START_S = END_S - HOURS * 3600;
const STEPS = Math.floor((END_S - START_S) / SCRAPE_S) + 1;
const TENANTS = 50;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const HIST_SERIES = Math.max(1, Math.floor(SERIES / 100));
const QUERIES = [
  'rate(http_requests_total[5m])',
  'sum by (tenant) (rate(http_requests_total[5m]))',
  'histogram_quantile(0.99, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'rate(http_requests_total[5m]) * on (instance) group_left (team) instance_info',
];

const promql = await import(join(REPO, 'dist', 'promql', 'index.js'));
const source = new promql.MemorySeriesSource();
function load(name, labels, value) {
  const l = { __name__: name, ...labels };
  for (let i = 0; i < STEPS; i++) source.add(l, (START_S + i * SCRAPE_S) * 1000, value(i));
}
for (let s = 0; s < SERIES; s++) {
  const rate = 1 + (s % 13);
  load('http_requests_total', { instance: `host-${s}`, tenant: `t${s % TENANTS}`, code: s % 7 === 0 ? '500' : '200' }, (i) => (s % 97 === 0 && i > 200 ? (i - 200) * rate : i * rate));
}
for (let s = 0; s < SERIES; s++) load('instance_info', { instance: `host-${s}`, team: `team-${s % 20}` }, () => 1);
for (let h = 0; h < HIST_SERIES; h++) {
  for (let b = 0; b < BUCKETS.length; b++) {
    const share = (b + 1) / BUCKETS.length;
    load('req_duration_seconds_bucket', { instance: `host-${h}`, le: BUCKETS[b] }, (i) => Math.floor(i * 10 * share));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [qi, q] of QUERIES.entries()) {
  if (ONLY !== '' && Number(ONLY) !== qi) continue;
  const parsed = promql.parseExpr(q);
  for (const range of [false, true]) {
    if (KIND !== '' && KIND !== (range ? 'range' : 'instant')) continue;
    const run = () => (range ? promql.rangeQuery(source, parsed.expr, (END_S - 3600) * 1000, END_S * 1000, 15_000) : promql.instantQuery(source, parsed.expr, END_S * 1000));
    await run();
    const times = [];
    for (let i = 0; i < ITERS; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    process.stdout.write(`${median(times).toFixed(2).padStart(9)} ms  ${range ? 'range  ' : 'instant'}  ${q}\n`);
  }
}
