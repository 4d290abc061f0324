// Issue 8 scale benchmark: the kube reconciler (src/kube/reconcile) and routing on what it renders.
//
//   npm run build && node bench/kube.mjs [--objects=5000] [--namespaces=1000] [--alerts=200000] [--json=FILE]
//   npx vite-node bench/kube.mjs -- --src        (straight from src/, no build)
//   node bench/kube.mjs --dist=/tmp/build        (a build in another directory)
//
// 1. Reconcile: --objects AlertmanagerConfig objects spread over --namespaces namespaces, each with a
//    route (`severity` matcher, a child route), a webhook receiver and an inhibit rule, plus one
//    PrometheusRule per namespace, in two tenancies: one tenant per namespace, and every namespace in
//    one tenant (one routing tree of --objects routes). Time of the first run (render everything)
//    and of a second run on the same snapshot (nothing applied).
// 2. Routing: RouteTree.matchInto, alerts/s, each config with alerts of its own namespaces (one in
//    ten a platform alert): (a) the reference, 10 objects rendered at the same objects-per-namespace
//    density, (b) --objects objects in one tenant, (c) one tenant of the per-namespace tenancy,
//    (d) a plain 10-route config. Ratios to (a); the issue's target is (b) within 10% of (a).
// 3. With --e2e [--e2e-alerts=50000] [--e2e-rounds=3]: (a) and (b) as the Alertmanager config of a
//    real herald process, the same label sets POSTed to /api/v2/alerts; alerts/s, medians.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, heraldListeningPort, launch, median, REPO, sleep } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const OBJECTS = Number(opt('objects', '5000'));
const NAMESPACES = Number(opt('namespaces', '1000'));
const ALERTS = Number(opt('alerts', '200000'));
const JSON_OUT = opt('json', '');
const FROM_SRC = argv.includes('--src');
const E2E = argv.includes('--e2e');
const E2E_ALERTS = Number(opt('e2e-alerts', '50000'));
const E2E_ROUNDS = Number(opt('e2e-rounds', '3'));
// --dist=DIR: a build elsewhere (`tsc -p tsconfig.build.json --outDir DIR`), to compare two builds.
const DIST = opt('dist', join(REPO, 'dist'));

const mod = (path) => import(FROM_SRC ? join(REPO, 'src', `${path}.ts`) : join(DIST, `${path}.js`));
const { createReconciler } = await mod('kube/reconcile/index');
const { DEFAULT_KUBE_CONFIG } = await mod('kube/tenancy/index');
const { loadConfig } = await mod('alertmanager/config/index');
const { RouteTree } = await mod('alertmanager/route/index');
const { NOOP_LOGGER } = await mod('core/runtime');

const BASE = 'route:\n  receiver: default\n  group_by: [alertname, namespace]\nreceivers:\n  - name: default\n';
const PLATFORM_RECEIVER = { name: 'herald-platform', webhook_configs: [{ url: 'http://127.0.0.1:5001/platform' }] };

function amc(ns, name) {
  return {
    apiVersion: 'monitoring.coreos.com/v1beta1',
    kind: 'AlertmanagerConfig',
    metadata: { namespace: ns, name, generation: 1 },
    spec: {
      route: { receiver: 'hook', groupBy: ['alertname'], matchers: [{ name: 'team', value: name }], routes: [{ receiver: 'hook', matchers: [{ name: 'severity', value: 'critical' }] }] },
      receivers: [{ name: 'hook', webhookConfigs: [{ url: `http://127.0.0.1:5001/hook?ns=${ns}&cfg=${name}` }] }],
      inhibitRules: [{ sourceMatch: [{ name: 'severity', value: 'critical' }], targetMatch: [{ name: 'severity', value: 'warning' }], equal: ['alertname'] }],
    },
  };
}

function prometheusRule(ns) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { namespace: ns, name: 'rules' },
    spec: { groups: [{ name: 'app', rules: [{ alert: 'HighErrors', expr: 'sum by (job) (rate(errors_total[5m])) > 1', for: '5m', labels: { severity: 'warning' } }] }] },
  };
}

function snapshot(tenantOf, objectCount = OBJECTS, namespaceCount = NAMESPACES) {
  const objects = [];
  const namespaces = [];
  for (let i = 0; i < namespaceCount; i++) {
    const ns = `ns-${i}`;
    namespaces.push({ name: ns, labels: { 'herald.io/tenant': tenantOf(i) } });
    objects.push(prometheusRule(ns));
  }
  for (let j = 0; j < objectCount; j++) objects.push(amc(`ns-${j % namespaceCount}`, `cfg-${Math.floor(j / namespaceCount)}`));
  return { objects, namespaces, secrets: () => Promise.resolve(undefined) };
}

async function reconcileBench(label, tenantOf, objectCount = OBJECTS, namespaceCount = NAMESPACES) {
  const configs = new Map();
  let ruleCalls = 0;
  const r = createReconciler({
    config: DEFAULT_KUBE_CONFIG,
    baseConfig: () => Promise.resolve(BASE),
    platformReceiver: PLATFORM_RECEIVER,
    logger: NOOP_LOGGER,
    sinks: {
      applyAlertmanagerConfig: async (t, y) => void configs.set(t, y),
      applyRules: async () => void ruleCalls++,
      writeStatus: async () => undefined,
    },
  });
  const input = snapshot(tenantOf, objectCount, namespaceCount);
  // CPU time beside wall time: wall time is noisy on a shared machine.
  const cpuMs = (u) => (u.user + u.system) / 1000;
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const first = await r.reconcile(input);
  const firstMs = performance.now() - t0;
  const firstCpuMs = cpuMs(process.cpuUsage(c0));
  t0 = performance.now();
  c0 = process.cpuUsage();
  const second = await r.reconcile(input);
  const secondMs = performance.now() - t0;
  const secondCpuMs = cpuMs(process.cpuUsage(c0));
  const rejected = [...first.statuses.values()].filter((s) => !s.accepted).length;
  if (rejected > 0) throw new Error(`${label}: ${rejected} objects rejected, e.g. ${[...first.statuses].find(([, s]) => !s.accepted)?.[1].reason}`);
  if (second.appliedConfigs.length + second.appliedRules.length > 0) throw new Error(`${label}: the second run applied something`);
  console.log(`reconcile ${label}: ${first.tenants.length} tenants, ${configs.size} configs, ${ruleCalls} rule sets: first run ${(firstMs / 1000).toFixed(2)} s (cpu ${(firstCpuMs / 1000).toFixed(2)} s), unchanged run ${(secondMs / 1000).toFixed(2)} s (cpu ${(secondCpuMs / 1000).toFixed(2)} s)`);
  return { label, tenants: first.tenants.length, firstMs, secondMs, firstCpuMs, secondCpuMs, configs };
}

function tree(yaml) {
  const c = loadConfig(yaml);
  if (!c.ok) throw new Error(JSON.stringify(c.issues.slice(0, 3)));
  return new RouteTree(c.value.route);
}

const TEN_ROUTES = [
  'route:',
  '  receiver: default',
  '  group_by: [alertname, namespace]',
  '  routes:',
  ...Array.from({ length: 10 }, (_, i) => [`  - matchers: ['namespace="ns-${i}"']`, `    receiver: r${i}`, '    continue: true'].flat()).flat(),
  'receivers:',
  '  - name: default',
  ...Array.from({ length: 10 }, (_, i) => `  - name: r${i}`),
].join('\n');

/**
 * `n` alerts over namespaces ns-0 .. ns-(namespaces-1): one in ten a platform alert, teams cfg-0 ..
 * cfg-5; alert names A0 .. A49, or with `uniqueNames` one name per alert.
 */
function alerts(n, namespaces, uniqueNames = false) {
  const out = [];
  const sev = ['warning', 'critical', 'info'];
  for (let i = 0; i < n; i++) {
    const l = { alertname: uniqueNames ? `A${i}` : `A${i % 50}`, namespace: `ns-${(i * 7) % namespaces}`, severity: sev[i % 3], team: `cfg-${i % 6}`, instance: `host-${i % 100}:9100`, job: 'app' };
    if (i % 10 === 0) l.alert_source = 'platform';
    out.push(l);
  }
  return out;
}

/**
 * One timed pass of the stream through a tree: alerts/s. Each pass routes freshly parsed label
 * sets (parsed before the clock starts), as the API hands the router alerts whose strings it has
 * never seen: routing the same string objects again and again measures V8's cached string hashes
 * more than the tree (measured here: a Map lookup of 1,000 namespace values cost 7x one of 2 with
 * reused strings, 1.3x with fresh ones).
 */
function pass(t, json, out) {
  const stream = JSON.parse(json);
  const t0 = performance.now();
  for (let i = 0; i < stream.length; i++) t.matchInto(stream[i], out);
  return stream.length / ((performance.now() - t0) / 1000);
}

/** Alerts/s per tree: passes interleaved across the trees (so JIT and machine noise hit all alike), median of 7. */
function routeRates(cases) {
  const out = [];
  const rates = cases.map(() => []);
  const json = cases.map((c) => JSON.stringify(c.stream));
  for (const c of cases) pass(c.tree, JSON.stringify(c.stream.slice(0, 5000)), out); // warm-up
  for (let round = 0; round < 7; round++) cases.forEach((c, i) => rates[i].push(pass(c.tree, json[i], out)));
  return rates.map((r) => r.sort((a, b) => a - b)[3]);
}

const perNs = await reconcileBench('one tenant per namespace', (i) => `t-${i}`);
const oneTenant = await reconcileBench('one tenant for every namespace', () => 'acme');
// The reference: 10 objects at the same density (objects per namespace) as the big case.
const density = Math.max(1, Math.round(OBJECTS / NAMESPACES));
const smallNamespaces = Math.max(1, Math.round(10 / density));
const small = await reconcileBench('10 objects, one tenant', () => 'acme', 10, smallNamespaces);

// Each config routes alerts of its own namespaces, so every case does the same kind of work per alert.
const cases = [
  { name: `10 AlertmanagerConfigs in ${smallNamespaces} namespaces (rendered), the reference`, tree: tree(small.configs.get('acme')), stream: alerts(ALERTS, smallNamespaces) },
  { name: `${OBJECTS} AlertmanagerConfigs in one tenant (rendered)`, tree: tree(oneTenant.configs.get('acme')), stream: alerts(ALERTS, NAMESPACES) },
  { name: `one tenant of ${NAMESPACES} (rendered, ${OBJECTS / NAMESPACES} objects)`, tree: tree(perNs.configs.get('t-7')), stream: alerts(ALERTS, 1).map((l) => ({ ...l, namespace: 'ns-7' })) },
  { name: 'plain 10-route config (gen-am-config shape)', tree: tree(TEN_ROUTES), stream: alerts(ALERTS, 10) },
];
const rates = routeRates(cases);
const routing = cases.map((c, i) => ({ name: c.name, routes: c.tree.nodes.length, alertsPerSec: Math.round(rates[i]), ratio: rates[i] / rates[0] }));
for (const r of routing) {
  console.log(`routing ${r.name}: ${r.routes} routes, ${r.alertsPerSec.toLocaleString('en')} alerts/s, ${r.ratio.toFixed(2)}x the reference`);
}

// 3. Through the API (--e2e): the rendered configs as a real herald's Alertmanager config, the same
// label sets POSTed to /api/v2/alerts (batches of 100, 8 connections), receivers pointed at a sink.
// Routing is one step of what a posted alert costs there; this is the speed a user sees. Two
// streams: alert names A0 .. A49 (the big tree then holds far more aggregation groups than the
// reference: 50 per matched route, so it also notifies more), and one name per alert ("same
// groups"), where every alert is its own group under both configs and what differs is the routing
// tree and the inhibition rules the config brings.
let endToEnd;
if (E2E) {
  const sinkPort = await freePort();
  const sink = launch(process.execPath, [join(REPO, '..', 'shared', 'bench', 'sink.mjs'), String(sinkPort)], () => undefined);
  await sleep(500);
  const dir = await mkdtemp(join(tmpdir(), 'herald-kube-e2e-'));
  const e2eCases = [
    { name: 'reference (10 objects)', yaml: small.configs.get('acme'), namespaces: smallNamespaces, unique: false },
    { name: `${OBJECTS} objects in one tenant`, yaml: oneTenant.configs.get('acme'), namespaces: NAMESPACES, unique: false },
    { name: 'reference (10 objects), same groups', yaml: small.configs.get('acme'), namespaces: smallNamespaces, unique: true },
    { name: `${OBJECTS} objects in one tenant, same groups`, yaml: oneTenant.configs.get('acme'), namespaces: NAMESPACES, unique: true },
  ];
  const rates = e2eCases.map(() => []);
  try {
    for (let round = 0; round < E2E_ROUNDS; round++) {
      for (const [i, c] of e2eCases.entries()) {
        const file = join(dir, `am-${i}.yml`);
        await writeFile(file, c.yaml.replaceAll('127.0.0.1:5001', `127.0.0.1:${sinkPort}`));
        const h = launch(process.execPath, [join(REPO, 'bin', 'herald.js'), 'serve', '--web.listen-address', '127.0.0.1:0', '--storage.path', join(dir, `data-${round}-${i}`), '--alertmanager.config.file', file], heraldListeningPort);
        try {
          const port = await h.ready;
          rates[i].push(await postAlerts(port, alerts(E2E_ALERTS, c.namespaces, c.unique)));
        } finally {
          await h.stop();
        }
      }
    }
  } finally {
    await sink.stop();
    await rm(dir, { recursive: true, force: true });
  }
  endToEnd = e2eCases.map((c, i) => ({ name: c.name, alertsPerSec: Math.round(median(rates[i])), runs: rates[i].map(Math.round) }));
  // Each big case against the reference with the same stream.
  for (const [i, r] of endToEnd.entries()) {
    const ref = endToEnd[i - (i % 2)];
    console.log(`api ${r.name}: ${r.alertsPerSec.toLocaleString('en')} alerts/s (runs ${r.runs.join(', ')}), ${(r.alertsPerSec / ref.alertsPerSec).toFixed(2)}x the reference`);
  }
}

/** POSTs the label sets as firing alerts, 100 per request over 8 connections; alerts/s. */
async function postAlerts(port, labelSets) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const endsAt = new Date(Date.now() + 3600e3).toISOString();
  const bodies = [];
  for (let i = 0; i < labelSets.length; i += 100) bodies.push(JSON.stringify(labelSets.slice(i, i + 100).map((labels) => ({ labels, annotations: { summary: 'x' }, endsAt }))));
  let next = 0;
  let failed = 0;
  const post = (body) =>
    new Promise((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v2/alerts', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => ((failed += res.statusCode >= 300 ? 1 : 0), resolve()));
      });
      req.on('error', () => ((failed += 1), resolve()));
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < bodies.length) await post(bodies[next++]); }));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} alert requests failed`);
  return labelSets.length / secs;
}

if (JSON_OUT) {
  const strip = ({ configs, ...rest }) => rest;
  await writeFile(JSON_OUT, JSON.stringify({ reconcile: [strip(perNs), strip(oneTenant)], routing, ...(endToEnd ? { endToEnd } : {}) }, null, 2));
}
