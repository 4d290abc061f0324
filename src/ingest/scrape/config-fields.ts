/**
 * Small typed readers over plain YAML values for the scrape config: each records an Issue with
 * the offending path (turned into line/column by the caller) instead of throwing.
 */
import { parseDuration } from '../../core/duration.js';
import { isValidLabelName } from '../../core/labels.js';
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';

type Path = ReadonlyArray<string | number>;

/** Collects issues while reading one document. */
export class FieldReader {
  readonly issues: Issue[] = [];

  bad(path: Path, message: string, code = 'invalid_field'): void {
    this.issues.push(issue(code, message, { path }));
  }

  /** The value as a map with only `allowed` keys (others are reported), or undefined. */
  map(v: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.bad(path, `expected a mapping, got ${describe(v)}`);
      return undefined;
    }
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.bad([...path, k], `field ${k} not found in type ${path.length === 0 ? 'config' : String(path[path.length - 1])}`, 'unknown_field');
    return obj;
  }

  list(v: unknown, path: Path): unknown[] {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) {
      this.bad(path, `expected a list, got ${describe(v)}`);
      return [];
    }
    return v;
  }

  string(v: unknown, path: Path, dflt: string): string {
    if (v === null || v === undefined) return dflt;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.bad(path, `expected a string, got ${describe(v)}`);
    return dflt;
  }

  strings(v: unknown, path: Path): string[] {
    return this.list(v, path).map((x, i) => this.string(x, [...path, i], ''));
  }

  bool(v: unknown, path: Path, dflt: boolean): boolean {
    if (v === null || v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    this.bad(path, `expected true or false, got ${describe(v)}`);
    return dflt;
  }

  uint(v: unknown, path: Path, dflt: number): number {
    if (v === null || v === undefined) return dflt;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    this.bad(path, `expected a non-negative integer, got ${describe(v)}`);
    return dflt;
  }

  /** A Prometheus duration (`15s`, `1m`); `positive` refuses 0. */
  duration(v: unknown, path: Path, dflt: number, positive = true): number {
    if (v === null || v === undefined) return dflt;
    const d = parseDuration(typeof v === 'string' ? v : JSON.stringify(v));
    if (!d.ok) {
      this.bad(path, d.issues[0]?.message ?? 'invalid duration');
      return dflt;
    }
    if (positive && d.value <= 0) {
      this.bad(path, 'duration must be greater than 0');
      return dflt;
    }
    return d.value;
  }

  /** A map of label name to string value, names checked. */
  labels(v: unknown, path: Path): Record<string, string> {
    const out: Record<string, string> = {};
    const obj = this.map(v, path, Object.keys((v as object | null) ?? {}));
    if (!obj) return out;
    for (const [k, val] of Object.entries(obj)) {
      if (!isValidLabelName(k)) this.bad([...path, k], `${JSON.stringify(k)} is not a valid label name`);
      else out[k] = this.string(val, [...path, k], '');
    }
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
