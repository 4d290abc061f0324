/**
 * `herald tenant patch TENANT key=value...`: changes a tenant's thresholds. With --dir, edits
 * `<dir>/<tenant>.yaml` through the yaml Document API so comments and key order survive, checks the
 * result against `<dir>/_defaults.yaml` exactly as the engine will, and writes it only when valid
 * (a typo never reaches the running config). With --url, sends the same changes as the thresholds
 * API's PATCH. `key=` (empty value) removes the key, so the tenant gets the default again.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, parseDocument } from 'yaml';
import { tenantIdProblem } from '../../core/tenant-id.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import type { HeraldClient } from './herald-client.js';
import { documentProblems, loadDefaults, readIfExists } from './local-config.js';

/** One `key=value` argument; value null removes the key. */
export interface Assignment {
  readonly key: string;
  readonly value: string | number | null;
}

/** Parses `key=value` (the key may hold `{label="v"}` with its own `=`). Throws UsageError. */
export function parseAssignment(arg: string): Assignment {
  const close = arg.indexOf('{') >= 0 ? arg.indexOf('}') : -1;
  const eq = arg.indexOf('=', close + 1);
  if (eq <= 0) throw new UsageError(`'${arg}' is not key=value`);
  const key = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1).trim();
  if (raw === '') return { key, value: null };
  const n = Number(raw);
  return { key, value: /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) && Number.isFinite(n) ? n : raw };
}

/** Applies assignments to a document's text, keeping comments and order; new keys go last. */
export function applyAssignments(text: string | undefined, changes: readonly Assignment[]): string {
  const doc = text === undefined || text.trim() === '' ? new Document({}) : parseDocument(text);
  if (doc.errors.length > 0) throw new UsageError(`the current document does not parse: ${doc.errors[0]?.message ?? ''}`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  for (const c of changes) {
    if (c.value === null) doc.delete(c.key);
    else doc.set(c.key, c.value);
  }
  return doc.toString();
}

export interface PatchOptions {
  readonly tenant: string;
  readonly changes: readonly Assignment[];
  /** conf.d directory (file mode). */
  readonly dir?: string;
  /** API mode. */
  readonly client?: HeraldClient;
}

/** Runs the sub-command; resolves with the exit code. */
export async function patchTenant(o: PatchOptions, out: Output): Promise<number> {
  const problem = tenantIdProblem(o.tenant);
  if (problem !== undefined) throw new UsageError(problem);
  if (o.changes.length === 0) throw new UsageError('patch needs at least one key=value');
  if (o.client) return patchApi(o.client, o.changes, out);
  const dir = o.dir ?? 'conf.d';
  const file = join(dir, `${o.tenant}.yaml`);
  const current = readIfExists(file);
  const next = applyAssignments(current, o.changes);
  const defaults = loadDefaults(join(dir, '_defaults.yaml'));
  const problems = documentProblems(next, file, defaults);
  if (problems.length > 0) {
    out.err(`${file} not changed: the result would be invalid`);
    for (const p of problems) out.err(`  ${p}`);
    return 1;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
  out.out(`${file}: ${o.changes.map((c) => (c.value === null ? `${c.key} removed` : `${c.key}=${c.value}`)).join(', ')}`);
  return 0;
}

async function patchApi(client: HeraldClient, changes: readonly Assignment[], out: Output): Promise<number> {
  const body: Record<string, string | number | null> = {};
  for (const c of changes) body[c.key] = c.value;
  const r = await client.patchThresholds(body);
  if (r.status < 300) {
    out.out(`tenant ${client.tenant}: ${changes.length} key(s) updated`);
    return 0;
  }
  if (r.status === 409) out.err(`tenant ${client.tenant}: ${r.error ?? 'conflict'} (its thresholds live in a conf.d file: use --dir)`);
  else out.err(`tenant ${client.tenant}: refused (${r.status}): ${r.error ?? ''}`);
  for (const i of r.issues ?? []) out.err(`  ${i.line !== undefined ? `line ${i.line}, column ${i.column ?? 0}: ` : ''}${i.message}`);
  return 1;
}
