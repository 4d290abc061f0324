import { describe, expect, it } from 'vitest';
import { loadScrapeConfig } from './config.js';
import { groupTargets, parseTargetGroupFile } from './targets.js';

const GOOD = `
global:
  scrape_interval: 15s
  external_labels: { region: eu }
scrape_configs:
  - job_name: node
    tenant: team-a
    scrape_timeout: 5s
    scheme: https
    params: { module: [http_2xx] }
    honor_labels: true
    basic_auth: { username: u, password: p }
    static_configs:
      - targets: ['host1:9100', 'host2:9100']
        labels: { env: prod }
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):9100'
        target_label: host
    metric_relabel_configs:
      - regex: 'go_.*'
        source_labels: [__name__]
        action: drop
    sample_limit: 1000
  - job_name: defaults
    file_sd_configs:
      - files: [targets.json]
`;

describe('loadScrapeConfig', () => {
  it('parses a full config with defaults', () => {
    const r = loadScrapeConfig(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [node, dflt] = r.value.jobs;
    expect(r.value.global).toEqual({ scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000, externalLabels: { region: 'eu' } });
    expect(node).toMatchObject({ jobName: 'node', tenant: 'team-a', scrapeIntervalMs: 15_000, scrapeTimeoutMs: 5000, scheme: 'https', params: { module: ['http_2xx'] }, honorLabels: true, honorTimestamps: true, basicAuth: { username: 'u', password: 'p' }, sampleLimit: 1000 });
    expect(node?.relabelConfigs).toHaveLength(1);
    expect(node?.metricRelabelConfigs[0]?.action).toBe('drop');
    expect(dflt).toMatchObject({ tenant: 'anonymous', scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000, metricsPath: '/metrics', scheme: 'http', honorLabels: false, sampleLimit: 0 });
    expect(dflt?.fileSdConfigs).toEqual([{ files: ['targets.json'], refreshIntervalMs: 300_000 }]);
  });

  it('caps the default timeout at a shorter job interval', () => {
    const r = loadScrapeConfig('scrape_configs: [{job_name: a, scrape_interval: 5s}]');
    expect(r.ok && r.value.jobs[0]?.scrapeTimeoutMs).toBe(5000);
  });

  it('accepts an empty file', () => {
    expect(loadScrapeConfig('')).toMatchObject({ ok: true, value: { jobs: [] } });
  });

  it.each([
    ['scrape_configs:\n  - job_name: a\n    scrape_intervall: 1m\n', 3, 5, 'field scrape_intervall not found'],
    ['scrape_configs:\n  - job_name: a\n    tenant: "a/b"\n', 3, 13, "contains unsupported character '/'"],
    ['scrape_configs:\n  - job_name: a\n    scrape_interval: 10s\n    scrape_timeout: 20s\n', 4, 21, 'scrape timeout greater than scrape interval for scrape config with job name "a"'],
    ['scrape_configs:\n  - job_name: a\n  - job_name: a\n', 3, 15, 'found multiple scrape configs with job name "a"'],
    ['scrape_configs:\n  - job_name: a\n    scheme: ftp\n', 3, 13, 'invalid scheme "ftp"'],
    ['scrape_configs:\n  - job_name: a\n    scrape_interval: soon\n', 3, 22, 'not a valid duration string'],
    ['scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n', 4, 9, 'requires non-zero modulus'],
    ['scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ["http://x/y"]\n', 4, 19, 'is not a valid hostname'],
    ['scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    bearer_token: t\n', 2, 5, 'at most one of basic_auth, authorization & bearer_token'],
    ['scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [targets.txt]}]\n', 3, 32, 'is not valid for file discovery'],
    ['scrape_configs:\n  - job_name: a\n    sample_limit: -1\n', 3, 19, 'expected a non-negative integer'],
    ['scrape_configs:\n  - job_name: ""\n', 2, 15, 'job_name is empty'],
    ['global: [1]\n', 1, 9, 'expected a mapping'],
    ['scrape_configs: {a: 1}\n', 1, 17, 'expected a list'],
    ['scrape_configs:\n  - job_name: a\n   bad indent: [\n', 3, undefined, ''],
  ])('%j fails at line %i column %s', (text, line, column, msg) => {
    const r = loadScrapeConfig(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message).join('; ')).toContain(msg);
    expect(r.issues[0]?.range?.start.line).toBe(line);
    if (column !== undefined) expect(r.issues[0]?.range?.start.column).toBe(column);
  });
});

describe('targets', () => {
  const cfg = loadScrapeConfig(`scrape_configs:
  - job_name: blackbox
    metrics_path: /probe
    params: { module: [http_2xx] }
    static_configs: [{ targets: ['example.com', 'other.org'], labels: { team: x } }]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:9115
      - source_labels: [instance]
        regex: other.org
        action: drop
`);

  it('follows PopulateLabels: params, instance, reserved labels dropped', () => {
    if (!cfg.ok) throw new Error('bad config');
    const job = cfg.value.jobs[0];
    if (!job) throw new Error('no job');
    const g = groupTargets(job, job.staticConfigs[0] ?? { targets: [], labels: {}, source: '' });
    expect(g.errors).toEqual([]);
    expect(g.targets).toHaveLength(1);
    expect(g.targets[0]?.labels).toEqual({ job: 'blackbox', instance: 'example.com', team: 'x' });
    expect(g.targets[0]?.url).toBe('http://127.0.0.1:9115/probe?module=http_2xx&target=example.com');
  });

  it('parses file SD JSON and YAML, refusing bad groups', () => {
    expect(parseTargetGroupFile('[{"targets": ["a:1"], "labels": {"x": "y"}}]', 'f.json')).toEqual({ ok: true, value: [{ targets: ['a:1'], labels: { x: 'y', __meta_filepath: 'f.json' }, source: 'f.json:0' }] });
    expect(parseTargetGroupFile('- targets: [b:2]\n', 'f.yml')).toMatchObject({ ok: true, value: [{ targets: ['b:2'] }] });
    expect(parseTargetGroupFile('[{"targets": ["a:1"]', 'f.json')).toMatchObject({ ok: false });
    const bad = parseTargetGroupFile('[{"targets": ["a:1"], "lables": {}}]', 'f.json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.message).toContain('f.json: field lables not found');
  });
});
