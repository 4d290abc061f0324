// Herald vs Alertmanager 0.25 on the same machine, in one run (compare ratios, not absolutes).
//
//   node bench/run.mjs [--peer-only|--herald-only] [--routes=10,1000,10000] [--alerts=50000] [--repeat=1] [--no-state] [--json=FILE]
//
//   Quick 10-route comparison on a shared machine: node bench/run.mjs --routes=10 --no-state --repeat=5
//
// 1. Ingest throughput: for each routing-tree size, /work/shared/bench/gen-am-config.mjs renders
//    the config, sink.mjs receives the notifications, blast.mjs posts ALERTS alerts in batches of
//    100 over 8 connections across 1,000 namespaces. Reported as alerts/s, with the CPU time the
//    system's process used during the blast (all its threads). With --repeat=N the systems take
//    turns N times (so machine noise hits both alike) and the medians are reported.
// 2. State: 100,000 active alerts spread over 10,000 namespaces (=> ~10,000 aggregation groups),
//    then resident memory (VmRSS, median of 5 readings at rest, of 3 readings 30 s later, and after
//    the GETs) and the median
//    of 5 GET /api/v2/alerts/groups.
import { freePort, heraldListeningPort, launch, median, REPO, sleep } from './lib.mjs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

const SHARED = fileURLToPath(new URL('../../shared/bench/', import.meta.url));

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const PEER_ONLY = flag('peer-only');
const HERALD_ONLY = flag('herald-only');
const ROUTES = opt('routes', '10,1000,10000').split(',').map(Number);
const ALERTS = Number(opt('alerts', '50000'));
const STATE_ALERTS = Number(opt('state-alerts', '100000'));
const STATE_NAMESPACES = Number(opt('state-namespaces', '10000'));
const JSON_OUT = opt('json', '');
const NO_STATE = flag('no-state');
const REPEAT = Math.max(1, Number(opt('repeat', '1')) || 1);
/** How long after the at-rest readings the settled ones are taken (--settle=SECONDS). */
const SETTLE_MS = Number(opt('settle', '30')) * 1000;

const systems = [];
if (!HERALD_ONLY) systems.push('alertmanager');
if (!PEER_ONLY) systems.push('herald');


function getJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try { resolve({ status: res.statusCode, body: JSON.parse(body), bytes: Buffer.byteLength(body) }); } catch (e) { reject(new Error(`${url}: ${res.statusCode} ${body.slice(0, 200)}`)); }
      });
    }).on('error', reject);
  });
}

async function startSink() {
  const port = await freePort();
  const p = launch(process.execPath, [join(SHARED, 'sink.mjs'), String(port)], () => undefined);
  for (let i = 0; i < 100; i++) {
    try { await getJson(`http://127.0.0.1:${port}/`); return { ...p, url: `http://127.0.0.1:${port}/hook`, stats: () => getJson(`http://127.0.0.1:${port}/`).then((r) => r.body) }; } catch { await sleep(50); }
  }
  await p.stop();
  throw new Error('sink did not start');
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: REPO, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Starts Alertmanager 0.25 or herald on a config; resolves with {url, pid, stop}. */
async function startSystem(system, configFile, dir) {
  if (system === 'alertmanager') {
    const port = await freePort();
    const p = launch('prometheus-alertmanager', ['--config.file', configFile, '--storage.path', join(dir, 'am-data'), '--web.listen-address', `127.0.0.1:${port}`, '--cluster.listen-address='],
      (line) => (line.includes('msg="Listening on"') ? port : undefined));
    await p.ready;
    return { ...p, url: `http://127.0.0.1:${port}`, pid: p.child.pid };
  }
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js missing: run `npm run build` (npm run bench does)');
  const p = launch(process.execPath, [join(REPO, 'bin', 'herald.js'), 'serve', '--web.listen-address', '127.0.0.1:0', '--storage.path', join(dir, 'herald-data'), '--alertmanager.config.file', configFile],
    heraldListeningPort);
  const port = await p.ready;
  return { ...p, url: `http://127.0.0.1:${port}`, pid: p.child.pid };
}

async function rssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU seconds (user + system, all threads) a process has used so far (Linux /proc). */
async function cpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function blast(url, total, namespaces) {
  const out = await run(process.execPath, [join(SHARED, 'blast.mjs'), `${url}/api/v2/alerts`, String(total), '100', '8', String(namespaces)]);
  return JSON.parse(out.trim().split('\n').pop());
}

async function withSetup(routes, fn) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
  const sink = await startSink();
  try {
    const cfg = join(dir, 'am.yml');
    await writeFile(cfg, await run(process.execPath, [join(SHARED, 'gen-am-config.mjs'), String(routes), sink.url]));
    return await fn(cfg, dir, sink);
  } finally {
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function throughput(system, routes) {
  return withSetup(routes, async (cfg, dir) => {
    const s = await startSystem(system, cfg, dir);
    try {
      const cpu0 = await cpuSeconds(s.pid);
      const r = await blast(s.url, ALERTS, 1000);
      const cpu_s = +((await cpuSeconds(s.pid)) - cpu0).toFixed(2);
      if (r.errors > 0) console.error(`  ${system} routes=${routes}: ${r.errors} failed requests`);
      return { ...r, cpu_s, rss_mib: await rssMiB(s.pid) };
    } catch (e) {
      console.error(s.logs().slice(-3000));
      throw e;
    } finally {
      await s.stop();
    }
  });
}

/** Waits (up to 60 s) until the sink has seen no new notification for 2 s. */
async function quiesce(sink) {
  await sleep(1500);
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const { notifications } = await sink.stats();
    if (notifications === last) return notifications;
    last = notifications;
    await sleep(2000);
  }
  return last;
}

async function state(system) {
  return withSetup(10, async (cfg, dir, sink) => {
    const s = await startSystem(system, cfg, dir);
    try {
      const idle = await rssMiB(s.pid);
      const r = await blast(s.url, STATE_ALERTS, STATE_NAMESPACES);
      // Measure at rest: wait until the first notification of every group has been sent, then
      // take the median of 5 readings a second apart (a single one lands anywhere in a garbage
      // collector's cycle), before the API calls below add their own garbage.
      await quiesce(sink);
      const rest = [];
      for (let i = 0; i < 5; i++) {
        if (i > 0) await sleep(1000);
        rest.push(await rssMiB(s.pid));
      }
      // And once settled: both runtimes give memory back some time after a burst (V8's memory
      // reducer, Go's scavenger), so the steady state of 100,000 alerts is read 30 s later.
      await sleep(SETTLE_MS);
      const settled = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) await sleep(1000);
        settled.push(await rssMiB(s.pid));
      }
      const alerts = await getJson(`${s.url}/api/v2/alerts?silenced=false&inhibited=false`);
      const times = [];
      let groups = 0;
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const g = await getJson(`${s.url}/api/v2/alerts/groups`);
        times.push(performance.now() - t0);
        groups = g.body.length;
        bytes = g.bytes;
      }
      times.sort((a, b) => a - b);
      return { ingest_alerts_per_s: r.alerts_per_s, errors: r.errors, active_alerts: alerts.body.length, rss_idle_mib: idle, rss_mib: median(rest), rss_at_rest_mib: rest, rss_settled_mib: median(settled), rss_after_gets_mib: await rssMiB(s.pid), groups, groups_json_mib: +(bytes / 1048576).toFixed(1), groups_median_ms: Math.round(times[2]), groups_ms: times.map(Math.round) };
    } catch (e) {
      console.error(s.logs().slice(-3000));
      throw e;
    } finally {
      await s.stop();
    }
  });
}

const pad = (s, n) => String(s).padStart(n);
const results = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, throughput: {}, state: {} };

console.log(`ingest: ${ALERTS} alerts, batches of 100, 8 connections, 1000 namespaces; systems: ${systems.join(', ')}`);
for (const routes of ROUTES) {
  const runs = Object.fromEntries(systems.map((sys) => [sys, []]));
  for (let pass = 0; pass < REPEAT; pass++) {
    for (const sys of systems) {
      const r = await throughput(sys, routes);
      runs[sys].push(r);
      console.log(`  routes=${pad(routes, 5)}  ${sys.padEnd(12)} ${pad(r.alerts_per_s, 7)} alerts/s  (${r.secs}s, cpu ${r.cpu_s}s, errors ${r.errors}, rss ${r.rss_mib} MiB)`);
    }
  }
  results.throughput[routes] = {};
  for (const sys of systems) {
    const rs = runs[sys];
    // One run: as measured. Several: the medians, and every run under `runs`.
    results.throughput[routes][sys] = rs.length === 1 ? rs[0] : { alerts_per_s: median(rs.map((r) => r.alerts_per_s)), cpu_s: median(rs.map((r) => r.cpu_s)), runs: rs };
  }
  if (REPEAT > 1) for (const sys of systems) console.log(`  routes=${pad(routes, 5)}  ${sys.padEnd(12)} median ${results.throughput[routes][sys].alerts_per_s} alerts/s, cpu ${results.throughput[routes][sys].cpu_s}s over ${REPEAT} runs`);
}
if (!NO_STATE) console.log(`state: ${STATE_ALERTS} active alerts over ${STATE_NAMESPACES} namespaces`);
for (const sys of NO_STATE ? [] : systems) {
  const r = await state(sys);
  results.state[sys] = r;
  console.log(`  ${sys.padEnd(12)} rss ${r.rss_mib} MiB at rest (${r.rss_at_rest_mib.join('/')}; ${SETTLE_MS / 1000} s later ${r.rss_settled_mib}; idle ${r.rss_idle_mib}; after the GETs ${r.rss_after_gets_mib}), ${r.active_alerts} alerts, ${r.groups} groups, GET /alerts/groups median ${r.groups_median_ms} ms (${r.groups_ms.join('/')}, ${r.groups_json_mib} MiB)`);
}

const ratio = (h, a) => (h && a ? (h / a).toFixed(2) : '-');
if (REPEAT > 1) console.log(`\nThroughput: medians of ${REPEAT} interleaved runs.`);
console.log('\n| routes | Alertmanager 0.25 alerts/s | Herald alerts/s | Herald/AM |');
console.log('|---:|---:|---:|---:|');
for (const routes of ROUTES) {
  const t = results.throughput[routes];
  console.log(`| ${routes} | ${t.alertmanager?.alerts_per_s ?? '-'} | ${t.herald?.alerts_per_s ?? '-'} | ${ratio(t.herald?.alerts_per_s, t.alertmanager?.alerts_per_s)} |`);
}
const sa = results.state.alertmanager;
const sh = results.state.herald;
console.log(`\n| ${STATE_ALERTS} active alerts | Alertmanager 0.25 | Herald | Herald/AM |`);
console.log('|---|---:|---:|---:|');
console.log(`| RSS MiB at rest (median of 5) | ${sa?.rss_mib ?? '-'} | ${sh?.rss_mib ?? '-'} | ${ratio(sh?.rss_mib, sa?.rss_mib)} |`);
console.log(`| RSS MiB ${SETTLE_MS / 1000} s later (median of 3) | ${sa?.rss_settled_mib ?? '-'} | ${sh?.rss_settled_mib ?? '-'} | ${ratio(sh?.rss_settled_mib, sa?.rss_settled_mib)} |`);
console.log(`| RSS MiB after 5 GET /alerts/groups | ${sa?.rss_after_gets_mib ?? '-'} | ${sh?.rss_after_gets_mib ?? '-'} | ${ratio(sh?.rss_after_gets_mib, sa?.rss_after_gets_mib)} |`);
console.log(`| GET /api/v2/alerts/groups median ms (${sa?.groups ?? sh?.groups} groups) | ${sa?.groups_median_ms ?? '-'} | ${sh?.groups_median_ms ?? '-'} | ${ratio(sh?.groups_median_ms, sa?.groups_median_ms)} |`);
if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify(results, null, 2));
