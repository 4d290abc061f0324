/**
 * Autocompletion for the matcher input, from the tenant's current alerts as Alertmanager's UI
 * does: while the matcher being typed has no operator yet, label names are offered; once it has
 * one (`severity=`, `job=~"ap`), that label's values are offered as complete matchers. Earlier
 * matchers in the same text (`{env="prod", sev`) are kept in front of the candidate.
 */
import type { Matcher } from '../../api/alertmanager.js';
import { formatMatcher } from '../../lib/matchers.js';

/** Label name -> its values, over a set of alerts. */
export type LabelIndex = ReadonlyMap<string, readonly string[]>;

/** One suggestion: what the list shows, and the input's text once it is chosen. */
export interface Completion {
  readonly kind: 'name' | 'value';
  /** Shown in the list and used as the option's accessible name. */
  readonly label: string;
  /** The whole input text after choosing this candidate. */
  readonly text: string;
  /** True when the candidate finishes a matcher (the page then adds the text as filters). */
  readonly complete: boolean;
}

/** Builds the name -> sorted values index of some label sets. */
export function labelIndex(labelSets: Iterable<Readonly<Record<string, string>>>): LabelIndex {
  const m = new Map<string, Set<string>>();
  for (const ls of labelSets) {
    for (const [k, v] of Object.entries(ls)) {
      let s = m.get(k);
      if (!s) m.set(k, (s = new Set()));
      s.add(v);
    }
  }
  const out = new Map<string, string[]>();
  for (const k of [...m.keys()].sort()) out.set(k, [...m.get(k)!].sort());
  return out;
}

/** Where the last matcher of `text` starts: after a top-level `{` or `,` (quotes respected). */
export function lastSegmentStart(text: string): number {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '{') start = i + 1;
  }
  while (start < text.length && /\s/.test(text[start]!)) start++;
  return start;
}

const OP = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/s;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The candidates for `text`, at most `limit`, prefix matches before substring matches. */
export function completions(text: string, index: LabelIndex, limit = 20): Completion[] {
  const at = lastSegmentStart(text);
  const prefix = text.slice(0, at);
  const seg = text.slice(at);
  const op = OP.exec(seg);
  if (op) {
    const [, name, operator, rawValue] = op as unknown as [string, string, string, string];
    const typed = rawValue.replace(/^"/, '').replace(/"$/, '').toLowerCase();
    const values = index.get(name) ?? [];
    const isRegex = operator === '=~' || operator === '!~';
    const isEqual = operator === '=' || operator === '=~';
    return rank(values, typed, (v) => v.toLowerCase())
      .slice(0, limit)
      .map((value) => {
        const m: Matcher = { name, value, isRegex, isEqual };
        const label = formatMatcher(m);
        return { kind: 'value', label, text: `${prefix}${label}`, complete: true };
      });
  }
  if (seg !== '' && !NAME.test(seg)) return [];
  const typed = seg.toLowerCase();
  return rank([...index.keys()], typed, (n) => n.toLowerCase())
    .slice(0, limit)
    .map((name) => ({ kind: 'name', label: name, text: `${prefix}${name}=`, complete: false }));
}

/** Items starting with `typed` first, then those containing it; each group in its given order. */
function rank<T>(items: readonly T[], typed: string, key: (t: T) => string): T[] {
  if (typed === '') return [...items];
  const starts: T[] = [];
  const contains: T[] = [];
  for (const it of items) {
    const k = key(it);
    if (k.startsWith(typed)) starts.push(it);
    else if (k.includes(typed)) contains.push(it);
  }
  return [...starts, ...contains];
}

/** Text ready to parse after a completion: an opened `{` gets its `}`. */
export function closeBrace(text: string): string {
  const t = text.trim();
  return t.startsWith('{') && !t.endsWith('}') ? `${t}}` : t;
}
