/**
 * Every tenant's threshold series in the Prometheus text exposition format (0.0.4), for a platform
 * whose rules run in an external Prometheus: what the upstream threshold-exporter serves on
 * /metrics. Values use Go's strconv 'g' shortest formatting as expfmt writes them (`1e+06`), label
 * values are escaped as the format requires (backslash, double quote, newline).
 */
import type { Labels } from '../../core/labels.js';
import type { ThresholdService } from '../api.js';
import { STATE_FILTER_METRIC, THRESHOLD_METRIC, tenantSeries } from './series.js';

const HELP: Readonly<Record<string, string>> = {
  [THRESHOLD_METRIC]: 'Alert threshold of a tenant (Herald dynamic thresholds).',
  [STATE_FILTER_METRIC]: 'A state filter switched on for a tenant (1 = on; absent = off).',
};

/** The exposition text of all tenants' thresholds, tenants in sorted order within each family. */
export function renderExposition(service: ThresholdService, defaultTenants: readonly string[] = []): string {
  const families: Record<string, string[]> = { [THRESHOLD_METRIC]: [], [STATE_FILTER_METRIC]: [] };
  // Tenants without a document get the defaults, as the writer gives them in their stores.
  const tenants = [...new Set([...service.tenants(), ...defaultTenants])].sort();
  for (const tenant of tenants) {
    for (const s of tenantSeries(service.resolved(tenant))) {
      const name = s.labels['__name__'] ?? '';
      families[name]?.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
  }
  let out = '';
  for (const [name, lines] of Object.entries(families)) {
    out += `# HELP ${name} ${HELP[name] ?? ''}\n# TYPE ${name} gauge\n`;
    for (const l of lines) out += `${l}\n`;
  }
  return out;
}

function formatLabels(labels: Labels): string {
  const parts: string[] = [];
  for (const [n, v] of Object.entries(labels)) if (n !== '__name__') parts.push(`${n}="${escapeValue(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), with expfmt's +Inf/-Inf/NaN. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}
