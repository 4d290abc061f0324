/**
 * Stand-ins for the matcher parser and the time-interval parser, used by this directory's tests
 * only when those modules are not present in the tree (they are written by other modules).
 */
import { newMatcher } from '../../core/matcher.js';
import type { MatchType, Matcher } from '../../core/matcher.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';

const LINE = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*(.*?)\s*$/s;

/** A classic-mode matcher list parser (Alertmanager's pkg/labels.ParseMatchers, simplified). */
export function fakeParseMatchers(input: string): Result<Matcher[]> {
  let s = input.trim();
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && quoted) {
      cur += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') parts.push(cur);
  const out: Matcher[] = [];
  for (const p of parts) {
    const m = LINE.exec(p);
    if (!m) return fail([issue('bad_matcher', `bad matcher format: ${p}`, { span: { start: 0, end: input.length } })]);
    let v = m[3] as string;
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    const made = newMatcher(m[1] as string, m[2] as MatchType, v);
    if (!made.ok) return made;
    out.push(made.value);
  }
  return ok(out);
}

/** Accepts any mapping as a time interval (no field checks). */
export function fakeParseTimeInterval(raw: unknown): Result<object> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail([issue('invalid_type', 'time interval must be a mapping', { path: [] })]);
  return ok({});
}
