/**
 * Matchers as people type them in the filter bar and the silence editor: `name="value"`, `!=`,
 * `=~`, `!~`, optionally wrapped in `{...}` and separated by commas, values quoted (with `\"`, `\\`
 * and `\n` escapes) or bare, as amtool accepts them. The server checks them again; this parser is
 * for immediate feedback and for turning matchers into the v2 API's objects.
 */
import type { Matcher } from '../api/alertmanager.js';

export type MatcherResult = { readonly ok: true; readonly matchers: Matcher[] } | { readonly ok: false; readonly error: string };

const OPS = ['=~', '!~', '!=', '='] as const;

function unquote(s: string, at: number): { value: string; end: number } | string {
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) break;
      out += next === 'n' ? '\n' : next;
      i++;
      continue;
    }
    out += ch;
  }
  return `unterminated quoted value starting at position ${at + 1}`;
}

/** Parses `{a="b", c=~"d"}` or `a=b, c!=d`; an empty input is no matchers. */
export function parseMatchers(input: string): MatcherResult {
  let s = input.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) return { ok: false, error: 'missing closing "}"' };
    s = s.slice(1, -1);
  }
  const matchers: Matcher[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  skipSpace();
  while (i < s.length) {
    const nameMatch = /^(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")/.exec(s.slice(i));
    if (!nameMatch) return { ok: false, error: `expected a label name at position ${i + 1}` };
    let name = nameMatch[0];
    if (name.startsWith('"')) {
      const u = unquote(name, 0);
      if (typeof u === 'string') return { ok: false, error: u };
      name = u.value;
    }
    i += nameMatch[0].length;
    skipSpace();
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) return { ok: false, error: `expected one of =, !=, =~, !~ after "${name}" at position ${i + 1}` };
    i += op.length;
    skipSpace();
    let value: string;
    if (s[i] === '"') {
      const u = unquote(s, i);
      if (typeof u === 'string') return { ok: false, error: u };
      value = u.value;
      i = u.end;
    } else {
      const m = /^[^,\s}]*/.exec(s.slice(i));
      value = m ? m[0] : '';
      i += value.length;
    }
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        return { ok: false, error: `invalid regular expression ${JSON.stringify(value)} for "${name}"` };
      }
    }
    matchers.push({ name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' });
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') return { ok: false, error: `expected "," at position ${i + 1}` };
      i++;
      skipSpace();
    }
  }
  return { ok: true, matchers };
}

/** `name="value"` with the operator of the matcher; the value quoted as Go's %q would. */
export function formatMatcher(m: Matcher): string {
  const eq = m.isEqual ?? true;
  const op = m.isRegex ? (eq ? '=~' : '!~') : eq ? '=' : '!=';
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(m.name) ? m.name : JSON.stringify(m.name);
  return `${name}${op}${JSON.stringify(m.value)}`;
}

/** Whether a label set satisfies one matcher (anchored regexes, as Alertmanager's). */
export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[m.name] ?? '';
  let hit: boolean;
  if (m.isRegex) {
    try {
      hit = new RegExp(`^(?:${m.value})$`).test(v);
    } catch {
      return false;
    }
  } else hit = v === m.value;
  return (m.isEqual ?? true) ? hit : !hit;
}
