/**
 * What an exporter exposes: sample names, their family type and label names, read from the
 * fixture files under `rule-packs/fixtures/` (captured from the real exporters by capture.sh, or
 * derived from upstream source where no exporter runs here; each file's header says which), or
 * built from a live registry (Herald's own metrics). Format, one sample name a line, `#` comments:
 *   <sample name> <type> <label names, comma-separated | "-" for none | "?" for not known>
 */
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { relabel } from '../../ingest/scrape/index.js';
import type { RelabelRule } from '../../ingest/scrape/index.js';

/** One sample name an exporter exposes. */
export interface ExposedMetric {
  readonly type: string;
  /** Label names (without target labels); undefined when the fixture does not know them. */
  readonly labels?: ReadonlySet<string>;
}

/** Sample name -> what is known of it. */
export type ExporterMetrics = ReadonlyMap<string, ExposedMetric>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram', 'unknown']);

/** Parses a fixture file; every bad line is reported with its line number. */
export function parseExporterMetrics(text: string, file: string): Result<ExporterMetrics> {
  const out = new Map<string, ExposedMetric>();
  const issues: Issue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = { range: { start: { line: i + 1, column: 1 } } };
    const fields = line.split(/\s+/);
    const [name, type, labels] = fields;
    if (fields.length !== 3 || name === undefined || type === undefined || labels === undefined) {
      issues.push(issue('fixture_line', `${file}:${i + 1}: expected "<name> <type> <labels|-|?>", got ${JSON.stringify(line)}`, at));
      return;
    }
    if (!NAME.test(name)) issues.push(issue('fixture_name', `${file}:${i + 1}: ${JSON.stringify(name)} is not a metric name`, at));
    if (!TYPES.has(type)) issues.push(issue('fixture_type', `${file}:${i + 1}: unknown metric type ${JSON.stringify(type)}`, at));
    if (out.has(name)) issues.push(issue('fixture_duplicate', `${file}:${i + 1}: ${name} is listed twice`, at));
    let set: Set<string> | undefined;
    if (labels !== '?') {
      set = new Set(labels === '-' ? [] : labels.split(','));
      for (const l of set) if (!LABEL.test(l)) issues.push(issue('fixture_label', `${file}:${i + 1}: ${JSON.stringify(l)} is not a label name`, at));
    }
    out.set(name, set === undefined ? { type } : { type, labels: set });
  });
  return issues.length > 0 ? fail(issues) : ok(out);
}

/** Several exporters' metrics as one (a pack reading cAdvisor and kube-state-metrics). */
export function mergeExporterMetrics(parts: readonly ExporterMetrics[]): ExporterMetrics {
  const out = new Map<string, ExposedMetric>();
  for (const p of parts) for (const [k, v] of p) out.set(k, v);
  return out;
}

/** A family as a registry reports it (prom-client's `getMetricsAsJSON`). */
export interface RegistryFamily {
  readonly name: string;
  readonly type: string;
  readonly labelNames: readonly string[];
}

/** Sample names of registry families: histograms as _bucket/_sum/_count, summaries with _sum/_count. */
export function exporterMetricsFromFamilies(families: readonly RegistryFamily[]): ExporterMetrics {
  const out = new Map<string, ExposedMetric>();
  for (const f of families) {
    const labels = new Set(f.labelNames);
    if (f.type === 'histogram') {
      out.set(`${f.name}_bucket`, { type: f.type, labels: new Set([...labels, 'le']) });
      out.set(`${f.name}_sum`, { type: f.type, labels });
      out.set(`${f.name}_count`, { type: f.type, labels });
    } else if (f.type === 'summary') {
      out.set(f.name, { type: f.type, labels: new Set([...labels, 'quantile']) });
      out.set(`${f.name}_sum`, { type: f.type, labels });
      out.set(`${f.name}_count`, { type: f.type, labels });
    } else {
      out.set(f.name, { type: f.type, labels });
    }
  }
  return out;
}

/**
 * What a scrape job stores of an exporter's metrics after its metric_relabel_configs (a rename of
 * `tenant` to `herald_tenant`, a drop): each metric's label names are relabelled as a series with
 * every label set; metrics the rules drop are left out, and so are ones whose labels are not known.
 */
export function relabelExporterMetrics(exposed: ExporterMetrics, rules: readonly RelabelRule[]): ExporterMetrics {
  const out = new Map<string, ExposedMetric>();
  for (const [name, m] of exposed) {
    if (m.labels === undefined) continue;
    const series: Record<string, string> = { __name__: name };
    for (const l of m.labels) series[l] = `value-of-${l}`;
    const after = relabel(series, rules);
    if (after === undefined) continue;
    const newName = after['__name__'] ?? name;
    out.set(newName, { type: m.type, labels: new Set(Object.keys(after).filter((k) => k !== '__name__')) });
  }
  return out;
}
