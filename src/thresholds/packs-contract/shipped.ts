/**
 * Which exporter each shipped rule pack (rule-packs/<pack>.yaml) reads, as fixture files under
 * rule-packs/fixtures/ (`<name>.metrics`), and the documented runbook base of the packs' alerts.
 * The herald pack reads Herald's own /metrics: its names come from the live registry, not a file.
 */

/** Pack name -> fixture names (`rule-packs/fixtures/<name>.metrics`). */
export const PACK_EXPORTERS: Readonly<Record<string, readonly string[]>> = {
  mariadb: ['mysqld'],
  postgresql: ['postgres'],
  redis: ['redis'],
  mongodb: ['mongodb'],
  elasticsearch: ['elasticsearch'],
  kubernetes: ['cadvisor', 'kube-state-metrics'],
  node: ['node', 'node-hwmon'],
  http: ['http'],
  herald: [],
};

/** Packs whose metrics come from Herald's own registry (src/server/metrics.ts). */
export const HERALD_SELF_PACKS: ReadonlySet<string> = new Set(['herald']);

/** Every alert's runbook_url is this base followed by the alert name (rule-packs/README.md). */
export const RUNBOOK_BASE = 'https://herald.example/runbooks/';

/**
 * The documented scrape config of Herald's own /metrics (job "herald" into the platform tenant),
 * relative to the repository root: its metric_relabel_configs rename Herald's `tenant` label to
 * `herald_tenant`, which the union source would otherwise overwrite with the platform tenant.
 */
export const HERALD_SCRAPE_EXAMPLE = 'rule-packs/scrape/herald.yml';
