/**
 * `secretKeyRef`s of an AlertmanagerConfig. The decoder leaves a SecretRef where the value goes;
 * resolveSecrets reads each one from the OBJECT's namespace (the reader is never given another)
 * and inlines it, as prometheus-operator does when it builds the generated config
 * (pkg/alertmanager/amcfg.go, `store.GetSecretKey(ctx, crKey.Namespace, ...)`).
 */
import { formatPath, issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { SecretReader } from '../api.js';

/** A reference to one key of one Secret in the object's namespace, with where it was written. */
export class SecretRef {
  constructor(
    readonly name: string,
    readonly key: string,
    readonly optional: boolean,
    readonly path: readonly (string | number)[],
  ) {}
}

/** What validation (no cluster access) puts in place of a secret: valid as a URL and as a token. */
export const PLACEHOLDER_SECRET = 'https://secret.invalid/placeholder';

type Lookup = (ref: SecretRef) => Promise<string | undefined>;

async function walk(v: unknown, lookup: Lookup, issues: Issue[]): Promise<unknown> {
  if (v instanceof SecretRef) {
    let value: string | undefined;
    try {
      value = await lookup(v);
    } catch (err) {
      issues.push(issue('secret_unreadable', `${formatPath(v.path)}: cannot read secret ${JSON.stringify(v.name)}: ${err instanceof Error ? err.message : String(err)}`, { path: v.path }));
      return undefined;
    }
    if (value === undefined && !v.optional) {
      issues.push(issue('secret_not_found', `${formatPath(v.path)}: key ${JSON.stringify(v.key)} of secret ${JSON.stringify(v.name)} not found in the object's namespace`, { path: v.path }));
    }
    return value;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const y = await walk(x, lookup, issues);
      if (y !== undefined) out.push(y);
    }
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = await walk(x, lookup, issues);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  return v;
}

/** Replaces every SecretRef in `tree` by the secret's value read from `namespace`. */
export async function resolveSecrets<T>(tree: T, namespace: string, read: SecretReader): Promise<{ value: T; issues: Issue[] }> {
  const issues: Issue[] = [];
  const value = (await walk(tree, (ref) => read(namespace, ref.name, ref.key), issues)) as T;
  return { value, issues };
}

/** Replaces every SecretRef by a placeholder (admission-time validation cannot read secrets). */
export function placeholderSecrets<T>(tree: T): T {
  const fill = (v: unknown): unknown => {
    if (v instanceof SecretRef) return PLACEHOLDER_SECRET;
    if (Array.isArray(v)) return v.map(fill);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(tree) as T;
}
