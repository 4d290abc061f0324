/**
 * Wire formats of the thresholds API: a tenant's document, resolved thresholds, state filters and
 * load problems as JSON, the platform defaults, and the PATCH body (`{"key": value | null}`)
 * checked entry by entry. Problems keep their position (`line`, `column`) or JSON key (`path`).
 * The upstream threshold-exporter only had a plain-text `/api/v1/config` dump
 * (vencil/Dynamic-Alerting-Integrations components/threshold-exporter/app/main.go); this JSON is
 * Herald's own.
 */
import { basename } from 'node:path';
import type { Issue } from '../../core/result.js';
import { issue } from '../../core/result.js';
import type { Labels } from '../../core/labels.js';
import type { ResolvedTenant, ThresholdDefaults, ThresholdProblem, ThresholdService } from '../../thresholds/api.js';
import type { ThresholdPatch } from '../../thresholds/index.js';

/** One problem on the wire: a 1-based position for documents, a key path for JSON bodies. */
export interface IssueDto {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: ReadonlyArray<string | number>;
}

/** A number, or Prometheus' spelling of a non-finite one (JSON has no Inf/NaN). */
export type NumberDto = number | string;

export interface ThresholdDto {
  readonly labels: Labels;
  readonly value: NumberDto;
  readonly key: string;
  readonly source: 'default' | 'custom';
}

/** GET /api/herald/v1/thresholds. */
export interface TenantThresholdsDto {
  readonly tenant: string;
  readonly source: 'directory' | 'api' | 'none';
  readonly document: string;
  readonly resolved: readonly ThresholdDto[];
  readonly stateFilters: ReadonlyArray<{ readonly filter: string; readonly severity: string }>;
  readonly problems: ReadonlyArray<{ readonly source: string; readonly issues: readonly IssueDto[] }>;
}

/** GET /api/herald/v1/thresholds/defaults. */
export interface DefaultsDto {
  readonly defaults: Readonly<Record<string, NumberDto>>;
  readonly stateFilters: Readonly<Record<string, { readonly severity: string; readonly defaultState: 'enable' | 'disable' }>>;
  readonly tenantKeys: readonly string[] | null;
  /** Keys that take dimensions -> the labels a tenant's `<key>{...}` must name ({} when none). */
  readonly dimensions: Readonly<Record<string, readonly string[]>>;
}


export function numberDto(v: number): NumberDto {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

export function issueDto(it: Issue): IssueDto {
  const start = it.range?.start;
  return {
    code: it.code,
    message: it.message,
    ...(start ? { line: start.line, column: start.column } : {}),
    ...(!start && it.path && it.path.length > 0 ? { path: it.path } : {}),
  };
}

/**
 * Where a problem comes from, as a tenant may see it: a file's base name (the platform's paths stay
 * private), or `api:<tenant>` as the engine names API documents.
 */
export function problemSource(source: string): string {
  return source.startsWith('api:') ? source : basename(source);
}

/** The tenant's view: its own document, resolution and problems, nothing of any other tenant. */
export function tenantThresholdsDto(service: ThresholdService, tenant: string): TenantThresholdsDto {
  const doc = service.document(tenant);
  const resolved: ResolvedTenant = service.resolved(tenant);
  const problems = service.problems().filter((p: ThresholdProblem) => p.tenant === tenant);
  return {
    tenant,
    source: doc?.source ?? 'none',
    document: doc?.text ?? '',
    resolved: resolved.thresholds.map((t) => ({ labels: t.labels, value: numberDto(t.value), key: t.key, source: t.source })),
    stateFilters: resolved.stateFilters.map((f) => ({ filter: f.filter, severity: f.severity })),
    problems: problems.map((p) => ({ source: problemSource(p.source), issues: p.issues.map(issueDto) })),
  };
}

export function defaultsDto(d: ThresholdDefaults): DefaultsDto {
  // Object.fromEntries defines own properties, so a key such as "__proto__" stays plain data.
  const defaults = Object.fromEntries([...d.defaults].map(([k, v]) => [k, numberDto(v)]));
  const stateFilters = Object.fromEntries(
    [...d.stateFilters].map(([name, f]) => [name, { severity: f.severity, defaultState: f.defaultEnabled ? ('enable' as const) : ('disable' as const) }]),
  );
  const dimensions = Object.fromEntries([...(d.dimensions ?? [])].map(([k, labels]) => [k, [...labels]]));
  return { defaults, stateFilters, tenantKeys: d.tenantKeys ? [...d.tenantKeys].sort() : null, dimensions };
}

const MAX_KEY_LENGTH = 1024;

/**
 * Checks a PATCH body: a JSON object whose values are numbers, strings (`"80:critical"`,
 * `"disable"`, `"enable"`), booleans or null (remove the key). Whether a key or value means
 * anything is the engine's call. Keys such as `__proto__` stay plain own properties.
 */
export function parsePatchBody(text: string): { ok: true; value: ThresholdPatch } | { ok: false; issues: readonly Issue[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { ok: false, issues: [issue('json', `invalid JSON body: ${e instanceof Error ? e.message : String(e)}`)] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [issue('json', 'the body must be a JSON object of key -> value (number, string, boolean or null)')] };
  }
  const issues: Issue[] = [];
  const changes: Array<[string, string | number | boolean | null]> = [];
  for (const [key, v] of Object.entries(body as Record<string, unknown>)) {
    if (key.trim() === '') issues.push(issue('bad_key', 'empty key', { path: [key] }));
    else if (key.length > MAX_KEY_LENGTH) issues.push(issue('bad_key', `key longer than ${MAX_KEY_LENGTH} characters`, { path: [key.slice(0, 40)] }));
    else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') changes.push([key, v]);
    else issues.push(issue('bad_value', `${key}: value must be a number, a string, a boolean or null, got ${Array.isArray(v) ? 'an array' : 'an object'}`, { path: [key] }));
  }
  if (changes.length === 0 && issues.length === 0) issues.push(issue('empty', 'the body names no key to change'));
  // Object.fromEntries defines own data properties: "__proto__" cannot reach the prototype.
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: Object.fromEntries(changes) };
}
