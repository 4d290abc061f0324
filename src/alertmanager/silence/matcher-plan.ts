/**
 * A silence's matchers compiled for the mute hot path. RE2 (the safe engine user regexes must go
 * through) costs about a microsecond per call from JavaScript, so with hundreds of regex silences a
 * plain scan spends seconds per 100k alerts. Because silence regexes are fully anchored, two cheap
 * facts often decide a match without RE2: a pattern that is only literal alternatives
 * (`web-1|web-2`) is set membership, and a value that lacks the pattern's literal prefix
 * (`host-1[0-9]*` needs `host-1`) cannot match. RE2 still decides every other case.
 */
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';

const EQ = 0;
const NEQ = 1;
const RE = 2;
const NRE = 3;

/** Characters with a meaning in RE2 syntax outside a class. */
const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

/**
 * Reads a run of literal characters from `p` at `i` (escaped punctuation counts as literal).
 * Returns the decoded text and where the run stopped.
 */
function literalRun(p: string, i: number): { text: string; end: number } {
  let text = '';
  while (i < p.length) {
    const c = p[i] as string;
    if (c === '\\') {
      const n = p[i + 1];
      // Only escaped punctuation is a plain literal; \d, \b, \x41, \Q... are not.
      if (n === undefined || /[A-Za-z0-9]/.test(n)) break;
      text += n;
      i += 2;
      continue;
    }
    if (META.has(c)) break;
    // Keep surrogate pairs whole.
    const cp = p.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    text += ch;
    i += ch.length;
  }
  return { text, end: i };
}

/** The strings an anchored pattern made only of literal alternatives matches, else undefined. */
export function literalAlternatives(pattern: string): ReadonlySet<string> | undefined {
  const out = new Set<string>();
  let i = 0;
  for (;;) {
    const r = literalRun(pattern, i);
    out.add(r.text);
    if (r.end === pattern.length) return out;
    if (pattern[r.end] !== '|') return undefined;
    i = r.end + 1;
  }
}

/**
 * False when the pattern could escape the `^(?:...)$` wrapper (an unbalanced `)`), has a top-level
 * alternation, or uses `\Q...\E` quoting, i.e. whenever the leading literal run might not be a
 * required prefix. Character classes (with `[:name:]` inside) are skipped.
 */
function prefixIsRequired(p: string): boolean {
  if (p.includes('\\Q')) return false;
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']') {
        if (p[i] === '\\') i++;
        else if (p[i] === '[' && p[i + 1] === ':') {
          const end = p.indexOf(':]', i + 2);
          if (end < 0) return false;
          i = end + 1;
        }
        i++;
      }
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      if (--depth < 0) return false;
    } else if (c === '|' && depth === 0) {
      return false;
    }
  }
  return depth === 0;
}

/** A prefix every value matching the anchored pattern starts with ('' when none is known). */
export function literalPrefix(pattern: string): string {
  if (!prefixIsRequired(pattern)) return '';
  const r = literalRun(pattern, 0);
  const next = pattern[r.end];
  if (next === '*' || next === '?' || next === '{') {
    // The last literal is optional or repeated: drop it (by code point).
    const cps = Array.from(r.text);
    cps.pop();
    return cps.join('');
  }
  return r.text;
}

/** The matchers of one silence, ordered cheapest first, each with its RE2-free shortcut. */
export class MatcherPlan {
  private readonly names: string[] = [];
  private readonly kinds: number[] = [];
  private readonly values: string[] = [];
  private readonly sets: (ReadonlySet<string> | undefined)[] = [];
  private readonly prefixes: string[] = [];
  private readonly matchers: Matcher[] = [];

  constructor(matchers: readonly Matcher[]) {
    const ranked = matchers.map((m) => {
      const kind = m.type === '=' ? EQ : m.type === '!=' ? NEQ : m.type === '=~' ? RE : NRE;
      const set = kind >= RE ? literalAlternatives(m.value) : undefined;
      const prefix = kind >= RE && set === undefined ? literalPrefix(m.value) : '';
      const cost = kind < RE ? 0 : set !== undefined ? 1 : prefix !== '' ? 2 : 3;
      return { m, kind, set, prefix, cost };
    });
    ranked.sort((a, b) => a.cost - b.cost);
    for (const r of ranked) {
      this.names.push(r.m.name);
      this.kinds.push(r.kind);
      this.values.push(r.m.value);
      this.sets.push(r.set);
      this.prefixes.push(r.prefix);
      this.matchers.push(r.m);
    }
  }

  /** Same answer as core matchesAll(matchers, labels). */
  matches(labels: Labels): boolean {
    const n = this.names.length;
    for (let i = 0; i < n; i++) {
      const v = labels[this.names[i] as string] ?? '';
      const kind = this.kinds[i] as number;
      if (kind === EQ) {
        if (v !== this.values[i]) return false;
        continue;
      }
      if (kind === NEQ) {
        if (v === this.values[i]) return false;
        continue;
      }
      const set = this.sets[i];
      let positive: boolean;
      if (set !== undefined) positive = set.has(v);
      else if (!v.startsWith(this.prefixes[i] as string)) positive = false;
      else {
        // Only RE2 can tell; the core matcher applies the negation itself.
        if (!(this.matchers[i] as Matcher).matches(v)) return false;
        continue;
      }
      if (positive !== (kind === RE)) return false;
    }
    return true;
  }
}
