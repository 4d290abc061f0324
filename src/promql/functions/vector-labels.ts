/**
 * label_replace and label_join. Mirrors evalLabelReplace/evalLabelJoin in Prometheus'
 * promql/functions.go: RE2 anchored as `^(?s:regex)$`, Go's Regexp.Expand template rules
 * ($1, ${1}, $name, $$; `$1x` names group "1x"), an empty result deletes the label, and two
 * outputs with one label set fail the query.
 */
import RE2 from 're2';
import type { Labels } from '../../core/labels.js';
import { isValidLabelName, sortedNames } from '../../core/labels.js';
import type { KernelSample, VectorKernel } from './types.js';

/** The query error when two output samples of one step share a label set. */
export const DUPLICATE_LABELSET = 'vector cannot contain metrics with the same labelset';

/** A canonical string for a label set, for duplicate detection. */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(sortedNames(labels).map((n) => [n, labels[n]]));
}

/** An Error when two samples share a label set, else undefined. */
export function findDuplicate(samples: readonly KernelSample[]): Error | undefined {
  const seen = new Set<string>();
  for (const s of samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) return new Error(DUPLICATE_LABELSET);
    seen.add(k);
  }
  return undefined;
}

/**
 * Go's UTF8Validation.IsValidLabelName. The parser turns byte escapes that are not UTF-8 (`"\xff"`)
 * into U+FFFD, so that character marks a name Go would reject (a literal U+FFFD is rejected too).
 */
function validLabelName(name: string): boolean {
  return isValidLabelName(name) && !name.includes('\ufffd');
}

function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Record<string, string> = { ...labels };
  if (value === '') delete out[name];
  else out[name] = value;
  return out;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Parses a group reference after `$` (Go's regexp extract): name or number, and the rest. */
function extractRef(s: string): { name: string; num: number; rest: string } | undefined {
  let str = s;
  const brace = str.startsWith('{');
  if (brace) str = str.slice(1);
  let i = 0;
  for (const ch of str) {
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === 0) return undefined;
  const name = str.slice(0, i);
  if (brace) {
    if (str[i] !== '}') return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 9 ? Number(name) : -1;
  if (name.length > 1 && name.startsWith('0')) num = -1;
  return { name, num, rest: str.slice(i) };
}

/** Go's Regexp.ExpandString for one match (`groups[0]` is the whole match). */
export function expandTemplate(template: string, groups: readonly (string | undefined)[], named: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractRef(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    out += ref.num >= 0 ? (groups[ref.num] ?? '') : (named[ref.name] ?? '');
  }
  return out + rest;
}

/** label_replace(v, dst, replacement, src, regex): strings are [dst, replacement, src, regex]. */
export const labelReplace: VectorKernel = (input, ctx) => {
  const [dst = '', repl = '', src = '', regex = ''] = ctx.strings;
  let re: RE2;
  try {
    re = new RE2(`^(?s:${regex})$`, 'u');
  } catch {
    return new Error(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!validLabelName(dst)) return new Error(`invalid destination label name in label_replace(): ${dst}`);
  const out = input.map((s): KernelSample => {
    const m = re.exec(s.labels[src] ?? '');
    if (m === null) return { labels: s.labels, v: s.v, keepName: true };
    const named = (m as unknown as { groups?: Record<string, string | undefined> }).groups ?? {};
    const value = expandTemplate(repl, Array.from(m), named);
    return { labels: withLabel(s.labels, dst, value), v: s.v, keepName: true };
  });
  return findDuplicate(out) ?? out;
};

/** label_join(v, dst, separator, src...): strings are [dst, separator, ...src]. */
export const labelJoin: VectorKernel = (input, ctx) => {
  const [dst = '', sep = '', ...srcs] = ctx.strings;
  for (const src of srcs) {
    if (!validLabelName(src)) return new Error(`invalid source label name in label_join(): ${src}`);
  }
  if (!validLabelName(dst)) return new Error(`invalid destination label name in label_join(): ${dst}`);
  const out = input.map((s): KernelSample => {
    const value = srcs.map((n) => s.labels[n] ?? '').join(sep);
    return { labels: withLabel(s.labels, dst, value), v: s.v, keepName: true };
  });
  return findDuplicate(out) ?? out;
};
