/**
 * The three matcher spellings of routes and inhibit rules: `match` (equality map, classic label
 * names), `match_re` (regex map, anchored) and `matchers` (matcher strings). Mirrors
 * config/common/matchers.go and Route/InhibitRule.UnmarshalYAML.
 */
import { compareMatchers, newMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import { parseMatchers } from '../../core/matchers/index.js';
import type { Reporter } from './schema.js';
import { isPlainObject, scalarText } from './schema.js';

const CLASSIC_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `match:` -> equality matchers; label names must be classic. */
export function matchersFromMatch(raw: unknown, r: Reporter): Matcher[] {
  const out: Matcher[] = [];
  if (!isPlainObject(raw)) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (!CLASSIC_LABEL.test(k)) r.error(`invalid label name ${JSON.stringify(k)}`, 'invalid_label_name', [k]);
    const m = newMatcher(k, '=', scalarText(v));
    if (m.ok) out.push(m.value);
  }
  return out;
}

/** `match_re:` -> anchored regex matchers; a null value is `invalid regexp value for "k"`. */
export function matchersFromMatchRe(raw: unknown, r: Reporter): Matcher[] {
  const out: Matcher[] = [];
  if (raw === null || raw === undefined) return out;
  if (!isPlainObject(raw)) {
    r.error('cannot unmarshal !!seq into common.MatchRegexps', 'invalid_type');
    return out;
  }
  for (const [k, v] of Object.entries(raw)) {
    if (!CLASSIC_LABEL.test(k)) r.error(`invalid label name ${JSON.stringify(k)}`, 'invalid_label_name', [k]);
    if (v === null || v === undefined || typeof v === 'object') {
      r.error(`invalid regexp value for ${JSON.stringify(k)}`, 'invalid_regexp', [k]);
      continue;
    }
    const m = newMatcher(k, '=~', scalarText(v));
    if (m.ok) out.push(m.value);
    else r.error(`invalid regexp value for ${JSON.stringify(k)}: ${m.issues[0]?.message ?? ''}`, 'invalid_regexp', [k]);
  }
  return out;
}

/** `matchers:` -> parsed matcher strings (each may hold several), in fallback mode. */
export function matchersFromList(raw: unknown, r: Reporter): Matcher[] {
  const out: Matcher[] = [];
  if (!Array.isArray(raw)) return out;
  raw.forEach((line: unknown, i) => {
    if (typeof line !== 'string') return;
    const res = parseMatchers(line, 'fallback');
    if (res.ok) out.push(...res.value);
    else for (const it of res.issues) r.error(it.message, it.code, [i], it.span);
  });
  return out;
}

/** Sorted as Alertmanager's labels.Matchers (name, value, type). */
export function sortMatchers(ms: Matcher[]): Matcher[] {
  return ms.sort(compareMatchers);
}
