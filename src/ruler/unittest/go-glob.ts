/**
 * Go's path/filepath.Glob over an injected directory reader, as promtool expands `rule_files`:
 * `*` and `?` never cross a `/`, `[a-z]` / `[^...]` classes, `\` escapes; no `**`. A pattern
 * without meta characters yields itself when the file exists. Matches come back sorted per
 * directory, as Go reads them. Malformed patterns give Go's "syntax error in pattern".
 */
import { dirname, join } from 'node:path';

/** What the glob needs from a file system (the CLI backs it with node:fs). */
export interface GlobFs {
  /** Entry names of a directory, or undefined when it is not a readable directory. */
  readDir(dir: string): readonly string[] | undefined;
  exists(path: string): boolean;
}

export const BAD_PATTERN = 'syntax error in pattern';

/** The paths matching `pattern`, or the error text for a malformed pattern. */
export function goGlob(pattern: string, fs: GlobFs): { ok: true; paths: string[] } | { ok: false; error: string } {
  if (!hasMeta(pattern)) return { ok: true, paths: fs.exists(pattern) ? [pattern] : [] };
  const slash = pattern.lastIndexOf('/');
  const dirPart = slash < 0 ? '' : pattern.slice(0, slash + 1);
  const filePart = pattern.slice(slash + 1);
  const re = compilePattern(filePart);
  if (re === undefined) return { ok: false, error: BAD_PATTERN };
  const dir = cleanDir(dirPart);
  let dirs: string[];
  if (!hasMeta(dir)) {
    dirs = [dir];
  } else {
    if (dir === pattern) return { ok: false, error: BAD_PATTERN };
    const parent = goGlob(dir, fs);
    if (!parent.ok) return parent;
    dirs = parent.paths;
  }
  const out: string[] = [];
  for (const d of dirs) {
    const names = fs.readDir(d);
    if (names === undefined) continue;
    for (const n of [...names].sort()) if (re.test(n)) out.push(d === '.' && slash < 0 ? n : join(d, n));
  }
  return { ok: true, paths: out };
}

function hasMeta(p: string): boolean {
  return /[*?[\\]/.test(p);
}

/** filepath.Glob's cleanGlobPath: "" -> ".", "/" stays, else the trailing separator goes. */
function cleanDir(d: string): string {
  if (d === '') return '.';
  if (d === '/') return d;
  return d.slice(0, -1) || dirname(d);
}

/** Translates one path element pattern to an anchored RegExp; undefined when malformed. */
export function compilePattern(p: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= p.length) return undefined;
      re += escapeRe(p[++i] as string);
    } else if (c === '[') {
      const cls = readClass(p, i + 1);
      if (cls === undefined) return undefined;
      re += cls.re;
      i = cls.end;
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`, 'u');
}

/** `[` already consumed at `from - 1`; returns the class and the index of its `]`. */
function readClass(p: string, from: number): { re: string; end: number } | undefined {
  let i = from;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  const parts: string[] = [];
  for (;;) {
    if (i >= p.length) return undefined;
    if (p[i] === ']' && parts.length > 0) break;
    const lo = classChar(p, i);
    if (lo === undefined) return undefined;
    i = lo.next;
    if (p[i] === '-') {
      const hi = classChar(p, i + 1);
      if (hi === undefined || hi.ch < lo.ch) return undefined;
      parts.push(`${escapeClass(lo.ch)}-${escapeClass(hi.ch)}`);
      i = hi.next;
    } else parts.push(escapeClass(lo.ch));
  }
  // A negated class still never matches the separator.
  return { re: negate ? `(?![${parts.join('')}])[^/]` : `[${parts.join('')}]`, end: i };
}

/** filepath.getEsc: one (possibly escaped) character of a class; `-` and `]` must be escaped. */
function classChar(p: string, i: number): { ch: string; next: number } | undefined {
  let c = p[i];
  if (c === undefined || c === '-' || c === ']') return undefined;
  if (c === '\\') {
    i++;
    c = p[i];
    if (c === undefined) return undefined;
  }
  const cp = c.codePointAt(0) as number;
  const ch = String.fromCodePoint(cp);
  return { ch, next: i + ch.length };
}

function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\\\]^[-]/g, '\\$&');
}
