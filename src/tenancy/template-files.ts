/**
 * Which template files a config loads. As in Mimir (ApplyConfig + safeTemplateFilepath), a
 * tenant's `templates:` entries are names or globs within the tenant's own uploaded
 * `template_files`; only the files they match are loaded, in pattern order. Globs follow Go's
 * filepath.Match (`*`, `?`, `[...]`, `\` escapes) on the file name.
 */
import { fail, issue, ok } from '../core/result.js';
import type { Issue, Result } from '../core/result.js';
import type { TemplateSource } from '../alertmanager/template/api.js';

/** Go's filepath.Match for names without separators; undefined for a malformed pattern. */
export function globMatch(pattern: string, name: string): boolean | undefined {
  const re = globToRegExp(pattern);
  return re === undefined ? undefined : re.test(name);
}

function globToRegExp(pattern: string): RegExp | undefined {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined) return undefined;
      out += escapeRe(n);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') return undefined;
      out += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else out += escapeRe(c);
  }
  try {
    return new RegExp(out + '$', 'u');
  } catch {
    return undefined;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The uploaded files a tenant config's `templates:` select. Patterns that would leave the tenant's
 * directory are refused with Mimir's message; patterns that match nothing select nothing.
 */
export function selectTemplateFiles(patterns: readonly string[], files: Readonly<Record<string, string>>): Result<TemplateSource[]> {
  const issues: Issue[] = [];
  const out: TemplateSource[] = [];
  const taken = new Set<string>();
  const names = Object.keys(files).sort();
  patterns.forEach((p, i) => {
    if (p.includes('/') || p === '..' || p === '.') {
      issues.push(issue('template_path', `invalid template name ${JSON.stringify(p)}: the template filepath is escaping the per-tenant local directory`, { path: ['templates', i] }));
      return;
    }
    const re = globToRegExp(p);
    if (re === undefined) {
      issues.push(issue('template_glob', `invalid template name ${JSON.stringify(p)}: syntax error in pattern`, { path: ['templates', i] }));
      return;
    }
    for (const n of names) {
      if (taken.has(n) || !re.test(n)) continue;
      taken.add(n);
      out.push({ name: n, text: files[n] as string });
    }
  });
  return issues.length > 0 ? fail(issues) : ok(out);
}
