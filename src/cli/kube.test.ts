import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_MANIFEST_FS } from '../kube/manifests/index.js';
import { UsageError } from './args.js';
import { runKube } from './kube.js';
import type { KubeCliDeps } from './kube.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/kube');
const GITOPS = join(FIXTURES, 'gitops');
const CONFIG = join(FIXTURES, 'herald.yml');

async function run(argv: string[], deps?: KubeCliDeps): Promise<{ code: number; out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKube(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, deps);
  return { code, out: out.join('\n'), err };
}

/** Real files, plus extra in-memory ones for --config / --base. */
function depsWith(files: Record<string, string>): KubeCliDeps {
  return { fs: NODE_MANIFEST_FS, readFile: (p) => (files[p] !== undefined ? Promise.resolve(files[p]) : readFile(p, 'utf8')) };
}

describe('herald kube render', () => {
  it('renders a tenant, enforcing namespaces and labelling platform rules, and fails on rejected objects', async () => {
    const r = await run(['render', `--dir=${GITOPS}`, '--tenant', 'acme', '--config', CONFIG]);
    expect(r.code).toBe(1);
    expect(r.err.map((l) => l.replace(GITOPS, 'DIR'))).toEqual([
      'skipped: PrometheusRule legacy/old (DIR/globex/rules.yaml:13): namespace "legacy" opted out of user monitoring (herald.io/user-monitoring: "false")',
      'rejected: PrometheusRule team-b/broken (DIR/team-b/rules.yaml:1): spec.groups[0].rules[0]: group "broken.rules", rule 1, "Broken": could not parse expression: 1:16: parse error: unclosed left parenthesis',
      expect.stringMatching(/^rejected: AlertmanagerConfig team-b\/missing-secret \(DIR\/team-b\/rules\.yaml:13\): .*key "url" of secret "hooks" not found/),
    ]);
    expect(r.out).toBe(`# Rule groups of tenant "acme" (2 PrometheusRule objects)
monitoring/cluster:
    - name: cluster
      rules:
        - alert: NodeDown
          expr: up{job="node"} == 0
          labels:
            alert_source: platform
            severity: critical
team-a/api:
    - name: api.rules
      interval: 1m
      rules:
        - record: job:http_errors:rate5m
          expr: sum by (job) (rate(http_requests_total{code=~"5..",namespace="team-a"}[5m]))
          labels:
            namespace: team-a
        - alert: APIErrors
          expr: job:http_errors:rate5m{namespace="team-a"} > 1
          for: 5m
          labels:
            namespace: team-a
            severity: page
          annotations:
            summary: '{{ $labels.job }} is failing'
---
# Alertmanager configuration of tenant "acme" (2 AlertmanagerConfig objects)
route:
  receiver: "null"
  routes:
    - receiver: team-a/oncall/hook
      group_by:
        - alertname
      matchers:
        - namespace="team-a"
      continue: true
receivers:
  - name: "null"
  - name: team-a/oncall/hook
    webhook_configs:
      - url: https://hooks.example.com/team-a`);
  });

  it('exits 0 for a tenant whose objects are all accepted (built-in kube config)', async () => {
    const r = await run(['render', '--dir', GITOPS, '--tenant', 'globex']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('globex-shop/shop:\n    - name: shop\n      rules:\n        - alert: ShopDown\n          expr: up{job="shop",namespace="globex-shop"} == 0\n          labels:\n            namespace: globex-shop');
    expect(r.out).toContain('# Alertmanager configuration of tenant "globex" (0 AlertmanagerConfig objects)\nroute:\n  receiver: "null"');
    // Without the config's fixed rule, the platform namespace belongs to no tenant.
    expect(r.err.some((l) => l.startsWith('skipped: PrometheusRule monitoring/cluster ') && l.endsWith('no tenant mapping rule matched namespace "monitoring"'))).toBe(true);
  });

  it('prints an empty rule set and the base config for a tenant without objects', async () => {
    const base = 'route:\n  receiver: ops\nreceivers:\n  - name: ops\n';
    const r = await run(['render', '--dir', GITOPS, '--tenant', 'nobody', '--base', '/virtual/am.yml'], depsWith({ '/virtual/am.yml': base }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('# Rule groups of tenant "nobody" (0 PrometheusRule objects)\n{}\n---');
    expect(r.out).toContain('receiver: ops');
  });

  it('reports manifest problems with file and line', async () => {
    const r = await run(['render', '--dir', join(FIXTURES, 'broken'), '--tenant', 'acme']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(/broken\/bad\.yaml:4: Flow map/)]);
  });

  it('reports a missing directory', async () => {
    const r = await run(['render', '--dir', join(FIXTURES, 'nope'), '--tenant', 'acme']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/nope: cannot read directory: ENOENT/);
  });

  it('reports every problem of the kube config section, and an invalid base config', async () => {
    const deps = depsWith({
      '/virtual/herald.yml': 'kube:\n  tenancy: { rules: [{ from: guess }] }\n  alertmanager: { matcher_strategy: Always }\n',
      '/virtual/bad-am.yml': 'route: {}\n',
    });
    const r = await run(['render', '--dir', GITOPS, '--tenant', 'acme', '--config', '/virtual/herald.yml'], deps);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      '/virtual/herald.yml: kube.tenancy.rules[0].from: from must be one of namespace_label, object_label, fixed, got "guess"',
      '/virtual/herald.yml: kube.alertmanager.matcher_strategy: matcher_strategy must be one of OnNamespace, OnNamespaceExceptForAlertmanagerNamespace, None, got "Always"',
    ]);
    const b = await run(['render', '--dir', GITOPS, '--tenant', 'globex', '--base', '/virtual/bad-am.yml'], deps);
    expect(b.code).toBe(1);
    expect(b.err[b.err.length - 1]).toMatch(/^\/virtual\/bad-am\.yml: the base Alertmanager configuration is invalid: /);
    const c = await run(['render', '--dir', GITOPS, '--tenant', 'acme', '--config', '/virtual/missing.yml'], deps);
    expect(c.code).toBe(1);
    expect(c.err[0]).toMatch(/^\/virtual\/missing\.yml: ENOENT/);
  });

  it.each([
    [['render', '--tenant', 'a'], 'kube render needs --dir'],
    [['render', '--dir', 'd'], 'kube render needs --tenant'],
    [['render', '--dir', 'd', '--tenant', 'a/b'], "invalid --tenant: tenant ID 'a/b' contains unsupported character '/'"],
    [['render', '--dir', 'd', '--tenant', 'a', 'extra'], "unexpected argument 'extra'"],
    [['render', '--bogus'], "unknown long flag '--bogus'"],
    [['apply'], "unknown kube sub-command 'apply'"],
  ])('usage error for %j', async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(new UsageError(message));
  });

  it('prints its usage', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: herald kube render/);
    expect((await run([])).code).toBe(2);
  });
});
