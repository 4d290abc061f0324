// Ruler benchmark: the shared threshold workload (../shared/bench/threshold-workload.mjs) evaluated
// by Prometheus 2.42 and by Herald on the same machine, in one run, reported as ratios.
//
//   node bench/ruler.mjs [--tenants=100] [--metrics=35] [--series=5] [--interval=15] [--cycles=4]
//                        [--files=traditional,dynamic] [--herald-only] [--json=FILE]
//
// Both systems scrape the same exporter every --interval seconds into their own store and evaluate
// the same rule file with the same evaluation interval. After two scrapes, the evaluation time of
// every group is read once per cycle for --cycles cycles: Prometheus from its /api/v1/rules
// (`evaluationTime` of each group), Herald from /prometheus/api/v1/rules of the tenant the rules
// belong to. "Per cycle" is the sum over the groups of one cycle, the median over the cycles.
// Memory is each process' resident set at the end.
import { freePort, heraldListeningPort, launch, median, REPO, rssMiB, ruleCycleTimes, sleep } from './lib.mjs';
import { mkdtemp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const TENANTS = Number(opt('tenants', '100'));
const METRICS = Number(opt('metrics', '35'));
const SERIES = Number(opt('series', '5'));
const INTERVAL_S = Number(opt('interval', '15'));
const CYCLES = Number(opt('cycles', '4'));
const FILES = opt('files', 'traditional,dynamic').split(',');
const HERALD_ONLY = argv.includes('--herald-only');
const JSON_OUT = opt('json', '');
const WORKLOAD = join(REPO, '..', 'shared', 'bench', 'threshold-workload.mjs');
const TENANT = 'platform';

async function runPrometheus(dir, exporterPort, file) {
  const pdir = join(dir, `prom-${file}`);
  await mkdir(pdir, { recursive: true });
  await copyFile(join(dir, 'workload', `${file}.yml`), join(pdir, 'rules.yml'));
  await writeFile(
    join(pdir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${INTERVAL_S}s`,
      `  evaluation_interval: ${INTERVAL_S}s`,
      'rule_files: [rules.yml]',
      'scrape_configs:',
      '  - job_name: workload',
      `    scrape_timeout: ${Math.min(10, INTERVAL_S)}s`,
      `    static_configs: [{targets: ['127.0.0.1:${exporterPort}']}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const p = launch('prometheus', ['--config.file', join(pdir, 'prometheus.yml'), '--storage.tsdb.path', join(pdir, 'tsdb'), '--web.listen-address', `127.0.0.1:${port}`], (l) =>
    l.includes('Server is ready to receive web requests') ? true : undefined,
  );
  await p.ready;
  try {
    await sleep(2 * INTERVAL_S * 1000);
    const times = await ruleCycleTimes(`http://127.0.0.1:${port}/api/v1/rules`, { groupsWanted: METRICS, cycles: CYCLES, intervalS: INTERVAL_S });
    return { times, rss: await rssMiB(p.child.pid) };
  } finally {
    await p.stop();
  }
}

async function runHerald(dir, exporterPort, file) {
  const hdir = join(dir, `herald-${file}`);
  await mkdir(join(hdir, 'rules', TENANT), { recursive: true });
  await copyFile(join(dir, 'workload', `${file}.yml`), join(hdir, 'rules', TENANT, 'rules.yml'));
  await writeFile(
    join(hdir, 'scrape.yml'),
    [
      'global:',
      `  scrape_interval: ${INTERVAL_S}s`,
      'scrape_configs:',
      '  - job_name: workload',
      `    tenant: ${TENANT}`,
      `    scrape_timeout: ${Math.min(10, INTERVAL_S)}s`,
      `    static_configs: [{targets: ['127.0.0.1:${exporterPort}']}]`,
      '',
    ].join('\n'),
  );
  await writeFile(
    join(hdir, 'herald.yml'),
    ['scrape:', '  config_file: scrape.yml', 'ruler:', `  evaluation_interval: ${INTERVAL_S}s`, '  rules_directory: rules', ''].join('\n'),
  );
  const h = launch('node', [join(REPO, 'bin', 'herald.js'), 'serve', '--config.file', join(hdir, 'herald.yml'), '--storage.path', join(hdir, 'data'), '--web.listen-address', '127.0.0.1:0'], heraldListeningPort);
  const port = await h.ready;
  try {
    await sleep(2 * INTERVAL_S * 1000);
    const times = await ruleCycleTimes(`http://127.0.0.1:${port}/prometheus/api/v1/rules`, { headers: { 'X-Scope-OrgID': TENANT }, groupsWanted: METRICS, cycles: CYCLES, intervalS: INTERVAL_S });
    return { times, rss: await rssMiB(h.child.pid) };
  } finally {
    await h.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'herald-bench-ruler-'));
const exporterPort = await freePort();
const exporter = launch('node', [WORKLOAD, join(dir, 'workload'), String(TENANTS), String(METRICS), String(SERIES), String(exporterPort)], (l) => (l.startsWith('series=') ? l : undefined));
const shape = await exporter.ready;
console.log(`workload: ${TENANTS} tenants x ${METRICS} metrics x ${SERIES} series (${shape}), interval ${INTERVAL_S}s, ${CYCLES} cycles`);
const results = [];
try {
  for (const file of FILES) {
    const herald = await runHerald(dir, exporterPort, file);
    const prom = HERALD_ONLY ? undefined : await runPrometheus(dir, exporterPort, file);
    const h = median(herald.times) * 1000;
    const p = prom ? median(prom.times) * 1000 : NaN;
    results.push({ file, heraldMs: h, prometheusMs: p, ratio: h / p, heraldRssMiB: herald.rss, prometheusRssMiB: prom?.rss ?? NaN, heraldCycles: herald.times.length, prometheusCycles: prom?.times.length ?? 0 });
    const r = results[results.length - 1];
    console.log(
      `${file.padEnd(12)} eval/cycle Herald ${r.heraldMs.toFixed(1)} ms vs Prometheus ${r.prometheusMs.toFixed(1)} ms (ratio ${r.ratio.toFixed(2)}, lower is better)` +
        `  RSS ${r.heraldRssMiB.toFixed(0)} vs ${r.prometheusRssMiB.toFixed(0)} MiB  cycles ${r.heraldCycles}/${r.prometheusCycles}`,
    );
  }
} finally {
  await exporter.stop();
  await rm(dir, { recursive: true, force: true });
}
if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify({ tenants: TENANTS, metrics: METRICS, series: SERIES, results }, null, 2));
