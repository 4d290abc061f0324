import { describe, expect, it } from 'vitest';
import { formatIssue } from '../core/result.js';
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
});
