/**
 * Go regexp behaviour for reReplaceAll and match (template/template.go uses regexp.MustCompile +
 * ReplaceAllString and regexp.MatchString): RE2 syntax, unanchored, Go's `$1`/`${name}` expansion,
 * Go's rule for empty matches right after a match, and Go's error texts.
 */
import RE2 from 're2';
import { goQuote } from '../../core/labels.js';
import { goRegexpError } from '../../core/matchers/errors.js';

const cache = new Map<string, RE2 | string>();
const CACHE_SIZE = 1000;

/** Compiles an unanchored Go regexp: the RE2 object (global, unicode), or Go's parse error text. */
export function compileGoRegexp(pattern: string): RE2 | string {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = new RE2(pattern, 'gu');
    } catch {
      // goRegexpError reports the anchored form Prometheus' matchers use; show the pattern as given.
      re = goRegexpError(pattern).replace(/`\^\(\?:(.*)\)\$`$/s, '`$1`');
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, re);
  }
  return re;
}

/** regexp.quote: backquoted when strconv.CanBackquote allows, else strconv.Quote. */
export function regexpQuote(s: string): string {
  // eslint-disable-next-line no-control-regex
  const canBackquote = !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s) && (s as unknown as { isWellFormed(): boolean }).isWellFormed();
  return canBackquote ? '`' + s + '`' : goQuote(s);
}

/** Go's regexp.MatchString. */
export function goMatch(re: RE2, s: string): boolean {
  re.lastIndex = 0;
  const hit = re.exec(s) !== null;
  re.lastIndex = 0;
  return hit;
}

/** A `$name` / `${name}` reference at the start of `t` (Go's extract): the name and its length. */
function extractRef(t: string): { name: string; num: number; len: number } | undefined {
  const brace = t.startsWith('{');
  const body = brace ? t.slice(1) : t;
  const name = /^[\p{L}\p{Nd}_]*/u.exec(body)?.[0] ?? '';
  if (name === '') return undefined;
  let len = name.length;
  if (brace) {
    if (body[name.length] !== '}') return undefined;
    len += 2;
  }
  let num = -1;
  if (/^[0-9]+$/.test(name)) {
    num = 0;
    for (const c of name) {
      if (num >= 1e8) {
        num = -1;
        break;
      }
      num = num * 10 + Number(c);
    }
  }
  return { name, num, len };
}

/** Go's Regexp.expand of a replacement template for one match. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let t = template;
  for (;;) {
    const i = t.indexOf('$');
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const ref = extractRef(t);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    t = t.slice(ref.len);
    if (ref.num >= 0) out += ref.num < m.length ? (m[ref.num] ?? '') : '';
    else out += m.groups?.[ref.name] ?? '';
  }
  return out + t;
}

/** Go's Regexp.ReplaceAllString. */
export function goReplaceAll(re: RE2, src: string, template: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (m === null) break;
    const start = m.index;
    const end = start + (m[0] ?? '').length;
    out += src.slice(lastMatchEnd, start);
    // No replacement for an empty match right after the previous match (Go's rule).
    if (end > lastMatchEnd || start === 0) out += expand(template, m);
    lastMatchEnd = end;
    const width = searchPos < src.length ? String.fromCodePoint(src.codePointAt(searchPos) as number).length : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  re.lastIndex = 0;
  return out + src.slice(lastMatchEnd);
}
