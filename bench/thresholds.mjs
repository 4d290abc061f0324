// Dynamic thresholds benchmark (issue 7): per-cycle rule evaluation at 100 and 1,000 tenants of the
// threshold workload (../shared/bench/threshold-workload.mjs) in four set-ups, on one machine, in
// one run:
//
//   herald-packs         Herald as the platform runs it: every tenant's series in its own store
//                        (remote_write with X-Scope-OrgID from this process), thresholds from conf.d
//                        (_defaults.yaml + one file per tenant with the workload's values), and the
//                        workload's "dynamic" rules as a rule pack evaluated once for all tenants;
//   herald-traditional   Herald with one rule per tenant and metric over one store (scraped);
//   prometheus-traditional / prometheus-dynamic
//                        Prometheus 2.42 scraping the workload exporter (which also serves the
//                        user_threshold series) with the same two rule files.
//
//   herald-packs-inprocess
//                        the herald-packs evaluation without processes or HTTP: memory-only tenant
//                        heads fed the workload's series and user_threshold series in this process,
//                        the dynamic rules as pack groups over the union source, evaluated back to
//                        back. Reports CPU time per cycle (process.cpuUsage over the group
//                        evaluations, GC threads included) beside wall time: on a loaded machine the
//                        CPU time moves far less than the wall time. Run it alone (--modes=...).
//
//   node bench/thresholds.mjs [--tenants=100,1000] [--metrics=35] [--series=5] [--interval=15]
//                             [--cycles=4] [--modes=herald-packs,herald-traditional,...]
//                             [--herald-only] [--pack-tenant=platform] [--json=FILE]
//
// Evaluation time per cycle is the sum of `evaluationTime` over the groups of one cycle (median
// over --cycles cycles), read from the Prometheus rules API: Prometheus' /api/v1/rules, Herald's
// /prometheus/api/v1/rules of the tenant the groups run as (the pack groups run as the platform
// tenant, --pack-tenant). The growth line reports cost(max tenants) / cost(min tenants) per set-up;
// the target for herald-packs is under 3 for 1,000 vs 100 tenants. Needs `npm run build` (the
// remote_write encoder is imported from dist/).
import { freePort, heraldListeningPort, launch, median, REPO, rssMiB, ruleCycleTimes, sleep } from './lib.mjs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const { encodeWriteRequest, snappyEncode } = await import(join(REPO, 'dist', 'ingest', 'remote-write', 'encode.js'));

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const TENANT_COUNTS = opt('tenants', '100,1000').split(',').map(Number);
const METRICS = Number(opt('metrics', '35'));
const SERIES = Number(opt('series', '5'));
const INTERVAL_S = Number(opt('interval', '15'));
const CYCLES = Number(opt('cycles', '4'));
const HERALD_ONLY = argv.includes('--herald-only');
const ALL_MODES = ['herald-packs', 'herald-traditional', 'prometheus-traditional', 'prometheus-dynamic'];
const KNOWN_MODES = [...ALL_MODES, 'herald-packs-inprocess'];
const MODES = opt('modes', ALL_MODES.join(',')).split(',').filter((m) => !HERALD_ONLY || m.startsWith('herald'));
const PACK_TENANT = opt('pack-tenant', 'platform');
const JSON_OUT = opt('json', '');
const WORKLOAD = join(REPO, '..', 'shared', 'bench', 'threshold-workload.mjs');
const RULES_TENANT = 'platform';

for (const m of MODES) if (!KNOWN_MODES.includes(m)) throw new Error(`unknown mode ${m}; known: ${KNOWN_MODES.join(', ')}`);

/** The workload's threshold for tenant t (threshold-workload.mjs: 50 + t % 40, every metric). */
const thresholdOf = (t) => 50 + (t % 40);

const cycleTimes = (url, headers, groupsWanted) =>
  ruleCycleTimes(url, { headers, groupsWanted, cycles: CYCLES, intervalS: INTERVAL_S, minFresh: 0.8, log: (l) => console.log(l) });

function startHerald(hdir) {
  return launch('node', [join(REPO, 'bin', 'herald.js'), 'serve', '--config.file', join(hdir, 'herald.yml'), '--storage.path', join(hdir, 'data'), '--web.listen-address', '127.0.0.1:0'], heraldListeningPort);
}

/** Remote-writes every tenant's workload series (no tenant label: the store is the tenant) each interval. */
function startFeeder(port, tenants) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let tick = 0;
  let stopped = false;
  let errors = 0;
  let firstError;
  const post = (tenant, body) =>
    new Promise((resolve) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/api/v1/push', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0', 'x-scope-orgid': tenant } },
        (res) => {
          let t = '';
          res.on('data', (c) => (t += c));
          res.on('end', () => {
            if (res.statusCode >= 300) ((errors += 1), (firstError ??= `${res.statusCode} ${t.slice(0, 200)}`));
            resolve();
          });
        },
      );
      req.on('error', (e) => ((errors += 1), (firstError ??= String(e)), resolve()));
      req.end(body);
    });
  const round = async () => {
    tick += 1;
    const now = Date.now();
    const queue = Array.from({ length: tenants }, (_, t) => t);
    const worker = async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const series = [];
        for (let m = 0; m < METRICS; m++)
          for (let s = 0; s < SERIES; s++) series.push({ labels: { __name__: `app_metric_${m}`, instance: `i${s}`, job: 'workload' }, t: [now], v: Float64Array.of((t * 7 + s * 13 + m + tick) % 100) });
        await post(`t${t}`, Buffer.from(snappyEncode(encodeWriteRequest(series))));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };
  let firstDone;
  const first = new Promise((r) => (firstDone = r));
  // One round at a time: a round that overtook the previous one would write out-of-order samples.
  const done = (async () => {
    while (!stopped) {
      const t0 = Date.now();
      await round();
      firstDone();
      const left = INTERVAL_S * 1000 - (Date.now() - t0);
      for (let waited = 0; waited < left && !stopped; waited += 250) await sleep(250);
    }
  })();
  return {
    first,
    stop: async () => {
      stopped = true;
      await done;
      agent.destroy();
      return { errors, firstError };
    },
  };
}

async function heraldPacks(dir, tenants) {
  const hdir = join(dir, 'herald-packs');
  const confd = join(hdir, 'conf.d');
  const packs = join(hdir, 'packs');
  await mkdir(confd, { recursive: true });
  await mkdir(packs, { recursive: true });
  // Key app_m<m> -> user_threshold{component="app", metric="m<m>"}, as the dynamic rules select it.
  const keys = Array.from({ length: METRICS }, (_, m) => `app_m${m}`);
  await writeFile(join(confd, '_defaults.yaml'), ['defaults:', ...keys.map((k) => `  ${k}: 50`), ''].join('\n'));
  for (let t = 0; t < tenants; t++) await writeFile(join(confd, `t${t}.yaml`), keys.map((k) => `${k}: ${thresholdOf(t)}`).join('\n') + '\n');
  await copyFile(join(dir, 'workload', 'dynamic.yml'), join(packs, 'dynamic.yaml'));
  await writeFile(
    join(hdir, 'herald.yml'),
    [
      'ruler:',
      `  evaluation_interval: ${INTERVAL_S}s`,
      'thresholds:',
      `  directory: ${confd}`,
      `  poll_interval: ${INTERVAL_S}s`,
      `  refresh_interval: ${INTERVAL_S}s`,
      '  rule_packs: [dynamic]',
      `  rule_packs_directory: ${packs}`,
      `  evaluation_interval: ${INTERVAL_S}s`,
      `  platform_tenant: ${PACK_TENANT}`,
      '',
    ].join('\n'),
  );
  const h = startHerald(hdir);
  const port = await h.ready;
  const feeder = startFeeder(port, tenants);
  try {
    await feeder.first;
    await sleep(2 * INTERVAL_S * 1000);
    const times = await cycleTimes(`http://127.0.0.1:${port}/prometheus/api/v1/rules`, { 'X-Scope-OrgID': PACK_TENANT }, METRICS);
    const rss = await rssMiB(h.child.pid);
    // Sanity: thresholds and alerts reached the tenants' stores.
    const probe = await fetch(`http://127.0.0.1:${port}/prometheus/api/v1/query?query=${encodeURIComponent('count(user_threshold)')}`, { headers: { 'X-Scope-OrgID': 't1' } }).then((r) => r.json());
    const thresholdsT1 = Number(probe.data?.result?.[0]?.value?.[1] ?? 0);
    return { times, rss, check: `user_threshold series in t1: ${thresholdsT1} (want ${METRICS})` };
  } finally {
    const fed = await feeder.stop();
    if (fed.errors > 0) console.log(`  remote_write errors: ${fed.errors} (first: ${fed.firstError})`);
    await h.stop();
  }
}

/** The workload's dynamic rules, as threshold-workload.mjs writes them (key app_m<m>: user_threshold{metric="m<m>"}). */
function dynamicRules() {
  const dyn = ['groups:'];
  for (let m = 0; m < METRICS; m++) {
    dyn.push(`- name: metric${m}`, '  rules:',
      `  - record: tenant:app_metric_${m}:max`, `    expr: max by(tenant) (app_metric_${m})`,
      `  - record: tenant:alert_threshold:m${m}`, `    expr: max by(tenant) (user_threshold{metric="m${m}"})`,
      `  - alert: M${m}High`, `    expr: tenant:app_metric_${m}:max > on(tenant) group_left tenant:alert_threshold:m${m}`, '    for: 1m');
  }
  return dyn.join('\n') + '\n';
}

/** herald-packs-inprocess: see the header. Warm-up cycles (3) are not counted. */
async function heraldPacksInProcess(tenants) {
  const dist = (p) => import(join(REPO, 'dist', p));
  const [{ HeadSet }, packs, { createEvalGroup }, { parseRuleFile }, { NOOP_LOGGER }] = await Promise.all([
    dist('tsdb/index.js'), dist('thresholds/packs/index.js'), dist('ruler/eval/index.js'), dist('ruler/rulefmt/index.js'), dist('core/runtime.js'),
  ]);
  let now = Date.now();
  const clock = { now: () => now, schedule: () => ({ cancel() {} }) };
  const tsdb = new HeadSet({ clock, logger: NOOP_LOGGER, retentionMs: 0, maintenanceIntervalMs: 0 });
  const ids = Array.from({ length: tenants }, (_, t) => `t${t}`);
  const router = new packs.TenantRouter(packs.tsdbPackTenants(tsdb, () => ids), PACK_TENANT);
  const backend = new packs.SplittingBackend({ router, source: new packs.UnionSeriesSource({ router, logger: NOOP_LOGGER }) });
  const parsed = parseRuleFile(dynamicRules(), 'dynamic.yaml');
  if (!parsed.ok) throw new Error('dynamic rules do not parse');
  const settings = { defaultIntervalMs: INTERVAL_S * 1000, defaultQueryOffsetMs: 0, resendDelayMs: 60_000, forGracePeriodMs: 600_000, forOutageToleranceMs: 3_600_000, externalLabels: {}, externalURL: '' };
  let alerts = 0;
  const sink = { send: (_t, a) => void (alerts += a.length) };
  const groups = parsed.value.map((config) => createEvalGroup({ tenant: PACK_TENANT, namespace: 'pack:dynamic', config, settings, backend, clock, logger: NOOP_LOGGER, sink }));
  const times = [];
  const cpu = [];
  const WARM = 3;
  for (let c = 0; c < WARM + CYCLES; c++) {
    now += INTERVAL_S * 1000;
    for (let t = 0; t < tenants; t++) {
      const batch = [];
      for (let m = 0; m < METRICS; m++) for (let s = 0; s < SERIES; s++) batch.push({ labels: { __name__: `app_metric_${m}`, instance: `i${s}`, job: 'workload' }, t: [now], v: [(t * 7 + s * 13 + m + c) % 100] });
      for (let m = 0; m < METRICS; m++) batch.push({ labels: { __name__: 'user_threshold', component: 'app', metric: `m${m}`, severity: 'warning', tenant: ids[t] }, t: [now], v: [thresholdOf(t)] });
      await (await tsdb.get(ids[t])).append(batch);
    }
    await new Promise((r) => setImmediate(r));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const g of groups) await g.evaluate(now);
    const used = process.cpuUsage(c0);
    if (c >= WARM) {
      times.push((performance.now() - t0) / 1000);
      cpu.push((used.user + used.system) / 1e6);
    }
  }
  const rss = process.memoryUsage().rss / 2 ** 20;
  await tsdb.close?.();
  return { times, rss, cpuMs: median(cpu) * 1000, check: `alerts sent: ${alerts}` };
}

async function heraldTraditional(dir, exporterPort) {
  const hdir = join(dir, 'herald-traditional');
  await mkdir(join(hdir, 'rules', RULES_TENANT), { recursive: true });
  await copyFile(join(dir, 'workload', 'traditional.yml'), join(hdir, 'rules', RULES_TENANT, 'rules.yml'));
  await writeFile(
    join(hdir, 'scrape.yml'),
    ['global:', `  scrape_interval: ${INTERVAL_S}s`, `  scrape_timeout: ${Math.min(10, INTERVAL_S)}s`, 'scrape_configs:', '  - job_name: workload', `    tenant: ${RULES_TENANT}`, `    scrape_timeout: ${Math.min(10, INTERVAL_S)}s`, `    static_configs: [{targets: ['127.0.0.1:${exporterPort}']}]`, ''].join('\n'),
  );
  await writeFile(join(hdir, 'herald.yml'), ['scrape:', '  config_file: scrape.yml', 'ruler:', `  evaluation_interval: ${INTERVAL_S}s`, '  rules_directory: rules', ''].join('\n'));
  const h = startHerald(hdir);
  const port = await h.ready;
  try {
    await sleep(2 * INTERVAL_S * 1000);
    const times = await cycleTimes(`http://127.0.0.1:${port}/prometheus/api/v1/rules`, { 'X-Scope-OrgID': RULES_TENANT }, METRICS);
    return { times, rss: await rssMiB(h.child.pid) };
  } finally {
    await h.stop();
  }
}

async function prometheus(dir, exporterPort, file) {
  const pdir = join(dir, `prom-${file}`);
  await mkdir(pdir, { recursive: true });
  await copyFile(join(dir, 'workload', `${file}.yml`), join(pdir, 'rules.yml'));
  await writeFile(
    join(pdir, 'prometheus.yml'),
    ['global:', `  scrape_interval: ${INTERVAL_S}s`, `  scrape_timeout: ${Math.min(10, INTERVAL_S)}s`, `  evaluation_interval: ${INTERVAL_S}s`, 'rule_files: [rules.yml]', 'scrape_configs:', '  - job_name: workload', `    scrape_timeout: ${Math.min(10, INTERVAL_S)}s`, `    static_configs: [{targets: ['127.0.0.1:${exporterPort}']}]`, ''].join('\n'),
  );
  const port = await freePort();
  const p = launch('prometheus', ['--config.file', join(pdir, 'prometheus.yml'), '--storage.tsdb.path', join(pdir, 'tsdb'), '--web.listen-address', `127.0.0.1:${port}`], (l) => (l.includes('Server is ready to receive web requests') ? true : undefined));
  await p.ready;
  try {
    await sleep(2 * INTERVAL_S * 1000);
    const times = await cycleTimes(`http://127.0.0.1:${port}/api/v1/rules`, {}, METRICS);
    return { times, rss: await rssMiB(p.child.pid) };
  } finally {
    await p.stop();
  }
}

const results = [];
for (const tenants of TENANT_COUNTS) {
  if (MODES.every((m) => m === 'herald-packs-inprocess')) {
    console.log(`\n${tenants} tenants x ${METRICS} metrics x ${SERIES} series, in process, ${CYCLES} cycles`);
    const r = await heraldPacksInProcess(tenants);
    const ms = median(r.times) * 1000;
    results.push({ tenants, mode: 'herald-packs-inprocess', evalMsPerCycle: ms, cpuMsPerCycle: r.cpuMs, cycles: r.times.length, rssMiB: r.rss });
    console.log(`  ${'herald-packs-inprocess'.padEnd(24)} eval/cycle ${ms.toFixed(1).padStart(9)} ms  cpu/cycle ${r.cpuMs.toFixed(1).padStart(9)} ms  RSS ${r.rss.toFixed(0)} MiB  (${r.check})`);
    continue;
  }
  if (MODES.includes('herald-packs-inprocess')) throw new Error('run --modes=herald-packs-inprocess on its own');
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-thresholds-'));
  const exporterPort = await freePort();
  const exporter = launch('node', [WORKLOAD, join(dir, 'workload'), String(tenants), String(METRICS), String(SERIES), String(exporterPort)], (l) => (l.startsWith('series=') ? l : undefined));
  const shape = await exporter.ready;
  console.log(`\n${tenants} tenants x ${METRICS} metrics x ${SERIES} series (${shape}), interval ${INTERVAL_S}s, ${CYCLES} cycles`);
  try {
    for (const mode of MODES) {
      const r =
        mode === 'herald-packs' ? await heraldPacks(dir, tenants)
        : mode === 'herald-traditional' ? await heraldTraditional(dir, exporterPort)
        : await prometheus(dir, exporterPort, mode === 'prometheus-traditional' ? 'traditional' : 'dynamic');
      const ms = median(r.times) * 1000;
      results.push({ tenants, mode, evalMsPerCycle: ms, cycles: r.times.length, rssMiB: r.rss });
      console.log(`  ${mode.padEnd(24)} eval/cycle ${ms.toFixed(1).padStart(9)} ms  cycles ${r.times.length}  RSS ${r.rss.toFixed(0)} MiB${r.check ? `  (${r.check})` : ''}`);
    }
  } finally {
    await exporter.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const lo = Math.min(...TENANT_COUNTS);
const hi = Math.max(...TENANT_COUNTS);
const growth = {};
if (lo !== hi) {
  console.log(`\ngrowth ${hi} vs ${lo} tenants (cost ratio; target for herald-packs < 3):`);
  for (const mode of MODES) {
    const a = results.find((r) => r.mode === mode && r.tenants === lo)?.evalMsPerCycle;
    const b = results.find((r) => r.mode === mode && r.tenants === hi)?.evalMsPerCycle;
    growth[mode] = b / a;
    console.log(`  ${mode.padEnd(24)} x${(b / a).toFixed(2)}${mode.startsWith('herald-packs') ? (b / a < 3 ? '  (meets target)' : '  (MISSES target)') : ''}`);
    const ca = results.find((r) => r.mode === mode && r.tenants === lo)?.cpuMsPerCycle;
    const cb = results.find((r) => r.mode === mode && r.tenants === hi)?.cpuMsPerCycle;
    if (ca !== undefined && cb !== undefined) console.log(`  ${`${mode} (CPU time)`.padEnd(24)} x${(cb / ca).toFixed(2)}`);
  }
  for (const tenants of TENANT_COUNTS) {
    const hp = results.find((r) => r.mode === 'herald-packs' && r.tenants === tenants)?.evalMsPerCycle;
    const pd = results.find((r) => r.mode === 'prometheus-dynamic' && r.tenants === tenants)?.evalMsPerCycle;
    const ht = results.find((r) => r.mode === 'herald-traditional' && r.tenants === tenants)?.evalMsPerCycle;
    if (hp !== undefined && pd !== undefined) console.log(`  ${tenants} tenants: herald-packs / prometheus-dynamic = ${(hp / pd).toFixed(2)}`);
    if (hp !== undefined && ht !== undefined) console.log(`  ${tenants} tenants: herald-packs / herald-traditional = ${(hp / ht).toFixed(3)}`);
  }
}
if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify({ metrics: METRICS, series: SERIES, intervalS: INTERVAL_S, results, growth }, null, 2));
