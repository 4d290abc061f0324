/** A 1-based line and column in a source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One problem found in user input: a stable code, a message, and where it is. */
export interface Issue {
  readonly code: string;
  readonly message: string;
  /** Keys from the document root to the offending value, e.g. ['route', 'routes', 2, 'receiver']. */
  readonly path?: ReadonlyArray<string | number>;
  /** Where in the source text, when known. */
  readonly range?: { readonly start: Position; readonly end?: Position };
  /** Column offsets in a one-line input (matchers), 0-based, as Alertmanager reports them. */
  readonly span?: { readonly start: number; readonly end: number };
}

/** The outcome of a parser or validator: a value, or every problem found. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(issues: readonly Issue[]): { ok: false; issues: readonly Issue[] } {
  return { ok: false, issues };
}

export function issue(code: string, message: string, extra: Omit<Issue, 'code' | 'message'> = {}): Issue {
  return { code, message, ...extra };
}

/** Sorts issues by position (those without one last, in their original order). */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return issues
    .map((it, i) => ({ it, i }))
    .sort((a, b) => {
      const pa = a.it.range?.start;
      const pb = b.it.range?.start;
      if (pa && pb) return pa.line - pb.line || pa.column - pb.column || a.i - b.i;
      if (pa) return -1;
      if (pb) return 1;
      return a.i - b.i;
    })
    .map((x) => x.it);
}

/** Human text for one issue: `line 12, column 5: unknown field "recievers"`. Used at the edges only. */
export function formatIssue(it: Issue, source?: string): string {
  const where: string[] = [];
  if (source) where.push(source);
  if (it.range) where.push(`line ${it.range.start.line}, column ${it.range.start.column}`);
  else if (it.path && it.path.length > 0) where.push(formatPath(it.path));
  return where.length > 0 ? `${where.join(': ')}: ${it.message}` : it.message;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Thrown only where a Result cannot flow (constructors of already-validated data). */
export class InvalidInputError extends Error {
  readonly code = 'invalid_input';
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => formatIssue(i)).join('; '));
  }
}
