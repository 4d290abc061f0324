import { describe, expect, it } from 'vitest';
import { formatIssue } from '../core/result.js';
import { DEFAULT_RULER_CONFIG } from '../ruler/api.js';
import { DEFAULT_HERALD_CONFIG, DEFAULT_RETENTION_MS, parseHeraldConfig } from './herald-config.js';

describe('parseHeraldConfig', () => {
  it('empty text gives the defaults', () => {
    const r = parseHeraldConfig('');
    expect(r.ok && r.value.multitenancy.requireTenant).toBe(false);
    expect(r.ok && r.value.storage.retentionMs).toBe(DEFAULT_RETENTION_MS);
  });

  it('reads every section', () => {
    const r = parseHeraldConfig(`
multitenancy:
  require_tenant: true
limits:
  max_alerts: 100
  max_silences: 10
overrides:
  big-team:
    max_alerts: 1000
alertmanager:
  fallback_config_file: /etc/herald/fallback.yml
storage:
  path: /var/lib/herald
  retention: 24h
  metrics_retention: 30d
web:
  external_url: https://alerts.example.com/
`);
    if (!r.ok) throw new Error(r.issues.map((i) => formatIssue(i)).join('\n'));
    expect(r.value.multitenancy.requireTenant).toBe(true);
    expect(r.value.limits.max_alerts).toBe(100);
    expect(r.value.limits.max_template_files).toBe(0);
    expect(r.value.overrides.get('big-team')).toEqual({ max_alerts: 1000 });
    expect(r.value.alertmanager.fallbackConfigFile).toBe('/etc/herald/fallback.yml');
    expect(r.value.storage).toEqual({ path: '/var/lib/herald', retentionMs: 24 * 3600_000, metricsRetentionMs: 30 * 24 * 3600_000 });
    expect(r.value.web.externalURL).toBe('https://alerts.example.com/');
  });

  it('reads web.tls, and wants both of its files', () => {
    const good = parseHeraldConfig('web:\n  tls:\n    cert_file: /etc/herald/tls.crt\n    key_file: /etc/herald/tls.key\n');
    expect(good.ok && good.value.web.tls).toEqual({ certFile: '/etc/herald/tls.crt', keyFile: '/etc/herald/tls.key' });
    const half = parseHeraldConfig('web:\n  tls:\n    key_file: /k\n');
    expect(!half.ok && half.issues.map((i) => i.message)).toEqual(['web.tls: cert_file and key_file are both required']);
    const unknown = parseHeraldConfig('web:\n  tls:\n    cert_file: /c\n    key_file: /k\n    ca_file: /x\n');
    expect(unknown.ok).toBe(false);
    expect(parseHeraldConfig('web:\n  tls:\n').ok && parseHeraldConfig('web:\n  tls:\n')).toMatchObject({ value: { web: {} } });
  });

  it('reports every problem with its position, sorted', () => {
    const r = parseHeraldConfig(`multitenancy:
  require_tenant: yes please
limits:
  max_alerts: -1
  max_alertz: 3
overrides:
  ../evil:
    max_alerts: 1
storage:
  retention: soon
web:
  external_url: "::"
extra: 1
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => formatIssue(i))).toEqual([
      'line 2, column 19: multitenancy.require_tenant must be a boolean',
      'line 4, column 15: limits.max_alerts must be a non-negative integer (0 = unlimited)',
      'line 5, column 3: unknown field "max_alertz"',
      "line 7, column 3: overrides: tenant ID '../evil' contains unsupported character '/'",
      'line 10, column 14: storage.retention: not a valid positive duration "soon"',
      'line 12, column 17: web.external_url: invalid URL "::"',
      'line 13, column 1: unknown field "extra"',
    ]);
  });

  it('accepts fractional notification rates and the receiver firewall; refuses bad CIDRs and fractional counts', () => {
    const good = parseHeraldConfig(
      "limits:\n  notification_rate_limit: 0.5\nalertmanager:\n  receivers_firewall:\n    block_private_networks: false\n    block_cidrs: ['203.0.113.0/24']\n    allow_cidrs: ['10.1.0.0/16', 'fd00::/8']\n",
    );
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.value.limits.notification_rate_limit).toBe(0.5);
      expect(good.value.alertmanager.receiversFirewall).toEqual({ blockPrivateNetworks: false, blockCidrs: ['203.0.113.0/24'], allowCidrs: ['10.1.0.0/16', 'fd00::/8'] });
    }
    expect(parseHeraldConfig('').ok && DEFAULT_HERALD_CONFIG.alertmanager.receiversFirewall.blockPrivateNetworks).toBe(true);
    const bad = parseHeraldConfig("limits:\n  max_alerts: 1.5\nalertmanager:\n  receivers_firewall:\n    allow_cidrs: ['10.0.0.0/33', 'nope']\n    block_cidrs: x\n");
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues.map((i) => formatIssue(i))).toEqual([
        'line 2, column 15: limits.max_alerts must be a non-negative integer (0 = unlimited)',
        'line 5, column 19: alertmanager.receivers_firewall.allow_cidrs[0]: invalid CIDR "10.0.0.0/33"',
        'line 5, column 34: alertmanager.receivers_firewall.allow_cidrs[1]: invalid CIDR "nope"',
        'line 6, column 18: alertmanager.receivers_firewall.block_cidrs must be a list of CIDRs',
      ]);
    }
  });

  it('reports YAML syntax errors with a position', () => {
    const r = parseHeraldConfig('limits: [\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.range?.start.line).toBeGreaterThan(0);
  });

  describe('ruler', () => {
    it('defaults when absent', () => {
      const r = parseHeraldConfig('');
      expect(r.ok && r.value.ruler).toEqual(DEFAULT_RULER_CONFIG);
      expect(DEFAULT_HERALD_CONFIG.ruler).toBe(DEFAULT_RULER_CONFIG);
    });

    it('reads every field', () => {
      const r = parseHeraldConfig(`
ruler:
  enabled: false
  evaluation_interval: 30s
  rule_query_offset: 1m
  resend_delay: 2m
  for_grace_period: 5m
  for_outage_tolerance: 2h
  rules_directory: ./rules
  poll_interval: 15s
  external_labels: {cluster: eu1}
  notify_local_alertmanager: false
  alertmanagers:
    - url: http://am:9093/
      tenant_header: ''
      timeout: 5s
      basic_auth: {username: u, password: p}
      headers: {X-Extra: yes}
    - url: https://am2
      bearer_token: tok
  alert_relabel_configs:
    - source_labels: [severity]
      regex: info
      action: drop
  query_backend:
    type: prometheus
    url: http://mimir/prometheus
    remote_write_url: http://mimir/api/v1/push
    tenants:
      team-a: {basic_auth: {username: a, password: b}}
`);
      if (!r.ok) throw new Error(r.issues.map((i) => formatIssue(i)).join('\n'));
      expect(r.value.ruler).toEqual({
        enabled: false,
        evaluationIntervalMs: 30_000,
        ruleQueryOffsetMs: 60_000,
        resendDelayMs: 120_000,
        forGracePeriodMs: 300_000,
        forOutageToleranceMs: 7_200_000,
        rulesDirectory: './rules',
        pollIntervalMs: 15_000,
        externalLabels: { cluster: 'eu1' },
        notifyLocal: false,
        alertmanagers: [
          { url: 'http://am:9093', tenantHeader: '', timeoutMs: 5000, basicAuth: { username: 'u', password: 'p' }, headers: { 'X-Extra': 'yes' } },
          { url: 'https://am2', tenantHeader: 'X-Scope-OrgID', timeoutMs: 10_000, bearerToken: 'tok' },
        ],
        alertRelabelConfigs: [{ source_labels: ['severity'], regex: 'info', action: 'drop' }],
        queryBackend: {
          type: 'prometheus',
          url: 'http://mimir/prometheus',
          tenantHeader: 'X-Scope-OrgID',
          timeoutMs: 120_000,
          remoteWriteUrl: 'http://mimir/api/v1/push',
          tenants: new Map([['team-a', { basicAuth: { username: 'a', password: 'b' } }]]),
        },
      });
    });

    it('accepts the embedded backend and a partial section', () => {
      const r = parseHeraldConfig('ruler:\n  evaluation_interval: 15s\n  query_backend: {type: embedded}\n');
      expect(r.ok && r.value.ruler).toEqual({ ...DEFAULT_RULER_CONFIG, evaluationIntervalMs: 15_000 });
    });

    it('reports every problem with its position', () => {
      const r = parseHeraldConfig(`ruler:
  enabled: 1
  evaluation_interval: 0s
  rule_query_offset: soon
  external_labels: {0bad: x}
  alertmanagers:
    - timeout: 5s
      basic_auth: {username: u}
      bearer_token: t
    - url: ftp://x
  alert_relabel_configs:
    - action: hashmod
      target_label: t
    - action: keep
      bogus: 1
  query_backend:
    type: graphite
  colour: red
`);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issues.map((i) => formatIssue(i))).toEqual([
        'line 2, column 12: ruler.enabled must be a boolean',
        'line 3, column 24: ruler.evaluation_interval: not a valid positive duration "0s"',
        'line 4, column 22: ruler.rule_query_offset: not a valid duration "soon"',
        'line 5, column 21: ruler.external_labels: invalid label name "0bad"',
        'line 7, column 7: ruler.alertmanagers.0.url is required',
        'line 7, column 7: ruler.alertmanagers.0: at most one of basic_auth and bearer_token must be configured',
        'line 10, column 12: ruler.alertmanagers.1.url: invalid http(s) URL "ftp://x"',
        'line 12, column 7: ruler.alert_relabel_configs.0: relabel configuration for hashmod requires non-zero modulus',
        'line 15, column 7: unknown field "bogus"',
        'line 17, column 11: ruler.query_backend.type must be "embedded" or "prometheus", got "graphite"',
        'line 18, column 3: unknown field "colour"',
      ]);
    });

    it('requires a url for the prometheus backend; basic_auth needs a username', () => {
      const r = parseHeraldConfig('ruler:\n  query_backend:\n    type: prometheus\n    basic_auth: {password: p}\n');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.issues.map((i) => formatIssue(i))).toEqual([
          'line 3, column 5: ruler.query_backend.url is required for type "prometheus"',
          'line 4, column 17: ruler.query_backend.basic_auth.username is required',
        ]);
      }
    });
  });

  it('reads the ruler limits; the minimum interval takes a duration or seconds', () => {
    const r = parseHeraldConfig('limits:\n  ruler_max_rule_groups_per_tenant: 5\n  ruler_min_rule_evaluation_interval: 30s\noverrides:\n  t1:\n    ruler_min_rule_evaluation_interval: 1.5\n    ruler_max_rules_per_rule_group: 0\n');
    if (!r.ok) throw new Error(r.issues.map((i) => formatIssue(i)).join('\n'));
    expect(r.value.limits.ruler_max_rule_groups_per_tenant).toBe(5);
    expect(r.value.limits.ruler_max_rules_per_rule_group).toBe(20);
    expect(r.value.limits.ruler_min_rule_evaluation_interval).toBe(30);
    expect(r.value.overrides.get('t1')).toEqual({ ruler_min_rule_evaluation_interval: 1.5, ruler_max_rules_per_rule_group: 0 });
    const bad = parseHeraldConfig('limits:\n  ruler_min_rule_evaluation_interval: fast\n');
    expect(!bad.ok && bad.issues.map((i) => formatIssue(i))).toEqual(['line 2, column 39: limits.ruler_min_rule_evaluation_interval: not a valid duration "fast"']);
  });
});

describe('thresholds section', () => {
  it('is off by default', () => {
    const r = parseHeraldConfig('');
    expect(r.ok && r.value.thresholds).toEqual({ pollIntervalMs: 10_000, refreshIntervalMs: 30_000, rulePacks: [], platformTenant: 'platform' });
  });

  it('reads every key', () => {
    const r = parseHeraldConfig(
      ['thresholds:', '  directory: conf.d', '  poll_interval: 2s', '  refresh_interval: 15s', '  rule_packs: [mariadb, redis]', '  rule_packs_directory: /packs', '  evaluation_interval: 30s', '  platform_tenant: ops', ''].join('\n'),
    );
    expect(r.ok && r.value.thresholds).toEqual({
      directory: 'conf.d',
      pollIntervalMs: 2000,
      refreshIntervalMs: 15_000,
      rulePacks: ['mariadb', 'redis'],
      rulePacksDirectory: '/packs',
      evaluationIntervalMs: 30_000,
      platformTenant: 'ops',
    });
  });

  it.each([
    ['thresholds:\n  refresh_interval: 10m\n', 'must be under 5m'],
    ['thresholds:\n  rule_packs: [mariadb, mariadb]\n', 'listed twice'],
    ['thresholds:\n  rule_packs: ["../etc"]\n', 'invalid pack name'],
    ['thresholds:\n  platform_tenant: ".."\n', 'thresholds.platform_tenant'],
    ['thresholds:\n  poll_interval: 0s\n', 'not a valid positive duration'],
    ['thresholds:\n  dirctory: x\n', 'unknown field "dirctory"'],
  ])('refuses %j', (text, message) => {
    const r = parseHeraldConfig(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('\n')).toContain(message);
  });
});
