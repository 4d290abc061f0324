// Remote-write ingestion: Prometheus 2.42's receiver vs Herald's /api/v1/push, same machine, one run.
//
//   node bench/rw.mjs [--series=100000] [--batch=2000] [--conc=8] [--rounds=30] [--peer-only|--herald-only] [--json=FILE]
//
// Load: /work/shared/bench/rw-blast.mjs (SERIES series, one sample per series per round, BATCH
// series per request, CONC requests in flight). Reports samples/s, errors and resident memory after
// the run. Herald is measured only when dist/ holds a build whose server answers POST /api/v1/push;
// a 404 is reported as "not wired" (the peer's figures are still printed).
import { freePort, heraldListeningPort, launch, REPO, sleep } from './lib.mjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARED = fileURLToPath(new URL('../../shared/bench/', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const SERIES = opt('series', '100000');
const BATCH = opt('batch', '2000');
const CONC = opt('conc', '8');
const ROUNDS = opt('rounds', '30');
const JSON_OUT = opt('json', '');
const TENANT = 'bench';


function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: REPO, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function rssMiB(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** POSTs an empty snappy block (one zero byte): 204 when the route exists, 404 when not wired. */
function probe(url) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-scope-orgid': TENANT } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(Buffer.from([0]));
  });
}

async function blast(url) {
  const out = await run(process.execPath, [join(SHARED, 'rw-blast.mjs'), url, SERIES, BATCH, CONC, ROUNDS, `X-Scope-OrgID:${TENANT}`]);
  return JSON.parse(out.trim().split('\n').pop());
}

async function startPrometheus(dir) {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const p = launch('prometheus', ['--config.file', config, '--storage.tsdb.path', join(dir, 'prom-data'), '--web.listen-address', `127.0.0.1:${port}`, '--web.enable-remote-write-receiver'],
    (line) => (line.includes('Server is ready to receive web requests') ? port : undefined));
  await p.ready;
  return { ...p, url: `http://127.0.0.1:${port}/api/v1/write`, pid: p.child.pid };
}

async function startHerald(dir) {
  const config = join(dir, 'alertmanager.yml');
  await writeFile(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
  // Prometheus has no per-tenant limits: lift Herald's (Mimir's defaults would refuse the load).
  const heraldConfig = join(dir, 'herald.yml');
  await writeFile(heraldConfig, 'limits:\n  ingestion_rate: 0\n  ingestion_burst_size: 0\n  max_global_series_per_user: 0\n');
  const p = launch(process.execPath, [join(REPO, 'bin', 'herald.js'), 'serve', '--config.file', heraldConfig, '--web.listen-address', '127.0.0.1:0', '--storage.path', join(dir, 'herald-data'), '--alertmanager.config.file', config],
    heraldListeningPort);
  const port = await p.ready;
  return { ...p, url: `http://127.0.0.1:${port}/api/v1/push`, pid: p.child.pid };
}

async function measure(name, start) {
  const dir = await mkdtemp(join(tmpdir(), `rw-bench-${name}-`));
  let sys;
  try {
    sys = await start(dir);
    const status = await probe(sys.url);
    if (status === 404) return { system: name, status: 'not wired (POST /api/v1/push answers 404)' };
    if (status !== 204) return { system: name, status: `probe answered ${status}` };
    const r = await blast(sys.url);
    await sleep(200);
    return { system: name, ...r, rss_mib: await rssMiB(sys.pid) };
  } catch (e) {
    return { system: name, status: `failed: ${e.message.split('\n')[0]}` };
  } finally {
    await sys?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const results = [];
if (!flag('herald-only')) results.push(await measure('prometheus-2.42', startPrometheus));
if (!flag('peer-only')) {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) results.push({ system: 'herald', status: 'not built (run `npm run build`)' });
  else results.push(await measure('herald', startHerald));
}
const load = { series: +SERIES, batch: +BATCH, conc: +CONC, rounds: +ROUNDS };
for (const r of results) console.log(JSON.stringify({ ...load, ...r }));
const [peer, herald] = results;
if (peer?.samples_per_s && herald?.samples_per_s) console.log(`herald/prometheus samples/s ratio: ${(herald.samples_per_s / peer.samples_per_s).toFixed(2)}`);
if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify({ load, results }, null, 2));
