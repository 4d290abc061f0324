/**
 * The threshold key and value grammar shared by `_defaults.yaml` and tenant documents.
 *
 * Keys: `<component>_<metric>` (split at the first underscore, as the upstream threshold-exporter's
 * parseMetricKey does), `<key>_critical` (the critical tier of `<key>`), `<key>{label="v",...}` (a
 * dimension), `_state_<filter>`. Values: a number, `"80"`, `"80:critical"` (a severity), or a
 * disable word (disable/disabled/off/false, case-insensitive: the upstream exporter's list).
 * Unlike upstream, everything that does not fit is an error, never a silent fallback.
 */
import { compareStrings, isClassicLabelName } from '../../core/labels.js';

export const CRITICAL_SUFFIX = '_critical';
export const STATE_PREFIX = '_state_';
export const DEFAULT_SEVERITY = 'warning';
export const CRITICAL_SEVERITY = 'critical';

/** Labels every threshold series has; a dimension cannot use them. */
export const RESERVED_LABELS: ReadonlySet<string> = new Set(['tenant', 'component', 'metric', 'severity']);

const BASE_KEY = /^[a-zA-Z][a-zA-Z0-9]*_[a-zA-Z0-9_]*[a-zA-Z0-9]$/;
const FILTER_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SEVERITY = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DISABLE_WORDS: ReadonlySet<string> = new Set(['disable', 'disabled', 'off', 'false']);
const ENABLE_WORDS: ReadonlySet<string> = new Set(['enable', 'enabled', 'on', 'true']);

/** Whether `key` is a well-formed `<component>_<metric>` key (no braces, no leading underscore). */
export function isBaseKey(key: string): boolean {
  return BASE_KEY.test(key);
}

export function isFilterName(name: string): boolean {
  return FILTER_NAME.test(name);
}

export function isSeverity(s: string): boolean {
  return SEVERITY.test(s);
}

/** `mysql_connections` -> component "mysql", metric "connections". */
export function splitKey(base: string): { readonly component: string; readonly metric: string } {
  const i = base.indexOf('_');
  return { component: base.slice(0, i), metric: base.slice(i + 1) };
}

/** The key a `_critical` key is the tier of, or undefined when `key` is not one. */
export function criticalBase(key: string): string | undefined {
  if (!key.endsWith(CRITICAL_SUFFIX)) return undefined;
  const base = key.slice(0, -CRITICAL_SUFFIX.length);
  return isBaseKey(base) ? base : undefined;
}

/** A parsed threshold key (not a `_state_` key). */
export interface ThresholdKey {
  /** The key without dimensions, as in `defaults:` (`x` or `x_critical`). */
  readonly tierKey: string;
  /** The key without `_critical` and dimensions: gives component and metric. */
  readonly base: string;
  readonly critical: boolean;
  /** Dimension labels, sorted by name. */
  readonly dims: readonly (readonly [string, string])[];
}

/** Parses `x`, `x_critical`, `x{a="1"}`; returns the problem text on failure. */
export function parseThresholdKey(key: string): ThresholdKey | string {
  const brace = key.indexOf('{');
  const tierKey = brace < 0 ? key : key.slice(0, brace);
  if (!isBaseKey(tierKey)) {
    return `key ${JSON.stringify(key)} must be <component>_<metric> (letters, digits and underscores, starting with a letter)`;
  }
  let dims: (readonly [string, string])[] = [];
  if (brace >= 0) {
    const parsed = parseDimensions(key.slice(brace));
    if (typeof parsed === 'string') return `key ${JSON.stringify(key)}: ${parsed}`;
    dims = parsed;
  }
  const cb = criticalBase(tierKey);
  return { tierKey, base: cb ?? tierKey, critical: cb !== undefined, dims };
}

/** Parses `{a="1", b='2'}` into sorted pairs; returns the problem text on failure. */
export function parseDimensions(text: string): (readonly [string, string])[] | string {
  if (!text.endsWith('}')) return 'dimensions must end with "}"';
  const body = text.slice(1, -1);
  const out: [string, string][] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < body.length && /\s/.test(body[i] as string)) i++;
  };
  skipSpace();
  if (i === body.length) return 'dimensions "{}" name no label';
  while (i < body.length) {
    skipSpace();
    const nameStart = i;
    while (i < body.length && /[a-zA-Z0-9_]/.test(body[i] as string)) i++;
    const name = body.slice(nameStart, i);
    if (!isClassicLabelName(name)) return `expected a label name at offset ${nameStart + 1} of the dimensions`;
    if (RESERVED_LABELS.has(name) || name.startsWith('__')) return `label ${JSON.stringify(name)} is reserved and cannot be a dimension`;
    if (out.some(([n]) => n === name)) return `label ${JSON.stringify(name)} appears twice`;
    skipSpace();
    if (body[i] !== '=' || body[i + 1] === '~') return `label ${JSON.stringify(name)}: only equality (name="value") is supported`;
    i++;
    skipSpace();
    const quote = body[i];
    if (quote !== '"' && quote !== "'") return `label ${JSON.stringify(name)}: the value must be quoted`;
    i++;
    let value = '';
    let closed = false;
    while (i < body.length) {
      const c = body[i] as string;
      i++;
      if (c === quote) {
        closed = true;
        break;
      }
      if (c === '\\') {
        const e = body[i];
        i++;
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"' || e === "'") value += e;
        else return `label ${JSON.stringify(name)}: unknown escape "\\${e ?? ''}"`;
      } else value += c;
    }
    if (!closed) return `label ${JSON.stringify(name)}: unterminated value`;
    if (value === '') return `label ${JSON.stringify(name)}: the value is empty`;
    out.push([name, value]);
    skipSpace();
    if (i < body.length) {
      if (body[i] !== ',') return `expected "," after label ${JSON.stringify(name)}`;
      i++;
      skipSpace();
    }
  }
  return out.sort((a, b) => compareStrings(a[0], b[0]));
}

/** A value as written, before it is checked against the key. */
export type ParsedValue =
  | { readonly kind: 'value'; readonly value: number; readonly severity?: string }
  | { readonly kind: 'disable' };

/** Parses a threshold value (number, "80", "80:critical", disable word); returns the problem text on failure. */
export function parseThresholdValue(raw: unknown): ParsedValue | string {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'value', value: raw } : 'the value must be a finite number';
  if (raw === false) return { kind: 'disable' };
  if (raw === null || raw === undefined) return 'the value is missing (a number, "80:critical" or "disable")';
  if (typeof raw !== 'string') return 'the value must be a number, "80:critical" or "disable"';
  const s = raw.trim();
  if (DISABLE_WORDS.has(s.toLowerCase())) return { kind: 'disable' };
  const colon = s.indexOf(':');
  const num = (colon < 0 ? s : s.slice(0, colon)).trim();
  if (!NUMBER.test(num)) return `${JSON.stringify(raw)} is not a number, "<number>:<severity>" or "disable"`;
  const value = Number(num);
  if (!Number.isFinite(value)) return `${JSON.stringify(raw)} is not a finite number`;
  if (colon < 0) return { kind: 'value', value };
  const severity = s.slice(colon + 1).trim();
  if (!isSeverity(severity)) return `${JSON.stringify(raw)}: the severity after ":" must be a word such as critical`;
  return { kind: 'value', value, severity };
}

/** Parses a `_state_<filter>` value; returns the problem text on failure. */
export function parseStateValue(raw: unknown): boolean | string {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const s = raw.trim().toLowerCase();
    if (ENABLE_WORDS.has(s)) return true;
    if (DISABLE_WORDS.has(s)) return false;
  }
  return `a state filter takes "enable" or "disable", not ${JSON.stringify(raw ?? null)}`;
}
