/**
 * `herald tenant scaffold`: writes a valid `conf.d/<tenant>.yaml` by asking which packs, which
 * thresholds (each pack's keys with the platform default; Enter keeps the default, `disable` turns
 * the alert off) and which receivers; or from flags alone (--non-interactive, or when stdin is not
 * a terminal). The file is checked with the engine's own parser before it is written, and the
 * receivers become a Mimir-format Alertmanager configuration (printed, or written with --am-out).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import { tenantIdProblem } from '../../core/tenant-id.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import { documentProblems, loadDefaults, loadPacks, packNames } from './local-config.js';
import type { Assignment } from './patch.js';
import { parseAssignment } from './patch.js';
import { alertmanagerConfig, parseReceiver } from './receivers.js';
import type { ReceiverChoice } from './receivers.js';

/** Asks one question, resolves with the answer (without the newline). */
export type Prompt = (question: string) => Promise<string>;

export interface ScaffoldOptions {
  readonly dir: string;
  readonly packsDir: string;
  readonly tenant?: string;
  readonly packs: readonly string[];
  readonly sets: readonly Assignment[];
  readonly receivers: readonly ReceiverChoice[];
  /** Where to write the Alertmanager config; undefined prints it. */
  readonly amOut?: string;
  readonly force: boolean;
  /** Undefined: non-interactive. */
  readonly prompt?: Prompt;
}

async function askUntil<T>(prompt: Prompt, out: Output, question: string, accept: (answer: string) => T): Promise<T> {
  for (let i = 0; i < 5; i++) {
    const answer = (await prompt(question)).trim();
    try {
      return accept(answer);
    } catch (e) {
      out.err(`  ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new UsageError(`no valid answer to "${question.trim()}"`);
}

/** Runs the sub-command; resolves with the exit code. */
export async function scaffold(o: ScaffoldOptions, out: Output): Promise<number> {
  const defaults = loadDefaults(join(o.dir, '_defaults.yaml'));
  const prompt = o.prompt;
  let tenant = o.tenant;
  if (tenant === undefined) {
    if (!prompt) throw new UsageError('--tenant is required with --non-interactive');
    tenant = await askUntil(prompt, out, 'Tenant id: ', (a) => {
      const p = tenantIdProblem(a);
      if (p !== undefined) throw new Error(p);
      return a;
    });
  }
  const problem = tenantIdProblem(tenant);
  if (problem !== undefined) throw new UsageError(problem);
  const file = join(o.dir, `${tenant}.yaml`);
  if (existsSync(file) && !o.force) throw new UsageError(`${file} exists; use 'herald tenant patch' to change it, or --force to replace it`);

  const available = packNames(o.packsDir);
  let packs = o.packs;
  if (packs.length === 0 && prompt) {
    packs = await askUntil(prompt, out, `Rule packs (${available.join(', ')}; comma-separated, Enter = all): `, (a) => {
      const names = a === '' ? available : a.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const unknown = names.filter((n) => !available.includes(n));
      if (unknown.length > 0) throw new Error(`unknown pack(s): ${unknown.join(', ')}`);
      return names;
    });
  }
  const indexed = loadPacks(o.packsDir, packs);

  const settings = new Map<string, string | number>();
  for (const s of o.sets) if (s.value !== null) settings.set(s.key, s.value);
  if (prompt) {
    for (const p of indexed) {
      const keys = p.thresholdKeys.filter((k) => !settings.has(k));
      if (keys.length === 0) continue;
      out.out(`${p.name}: Enter keeps the default, a number sets it, "disable" turns the alert off`);
      for (const key of keys) {
        const def = defaults.defaults.get(key);
        const answer = await askUntil(prompt, out, `  ${key} [${def ?? 'no default'}]: `, (a) => {
          if (a === '') return undefined;
          const v = parseAssignment(`${key}=${a}`).value;
          if (typeof v === 'string' && !/^(disable|disabled|off|false)$/i.test(v) && !/^[-+0-9.e]+:[a-z]+$/i.test(v)) throw new Error(`"${a}" is not a number, "disable" or "<number>:<severity>"`);
          return v ?? undefined;
        });
        if (answer !== undefined && answer !== def) settings.set(key, answer);
      }
    }
  }

  const receivers = [...o.receivers];
  if (receivers.length === 0 && prompt) {
    for (;;) {
      const r = await askUntil(prompt, out, 'Receiver (webhook=URL, email=ADDR, slack=URL; Enter to finish): ', (a) => (a === '' ? undefined : parseReceiver(a)));
      if (r === undefined) break;
      receivers.push(r);
    }
  }

  const doc = new Document(Object.fromEntries(settings));
  doc.commentBefore = ` Thresholds of tenant ${tenant} (packs: ${indexed.map((p) => p.name).join(', ') || 'none'}).\n Keys not listed use the platform defaults of _defaults.yaml; "disable" turns an alert off;\n _state_maintenance: enable silences threshold alerts during maintenance.`;
  const text = settings.size === 0 ? `${doc.toString().replace(/\{\}\n$/, '')}{}\n` : doc.toString();
  const problems = documentProblems(text, file, defaults);
  if (problems.length > 0) {
    out.err(`${file} not written: the document would be invalid`);
    for (const p of problems) out.err(`  ${p}`);
    return 1;
  }
  writeFileSync(file, text);
  out.out(`wrote ${file} (${settings.size} key(s))`);
  if (receivers.length > 0) {
    const am = alertmanagerConfig(tenant, receivers);
    if (o.amOut !== undefined) {
      writeFileSync(o.amOut, am);
      out.out(`wrote ${o.amOut}: upload it with POST /api/v1/alerts (X-Scope-OrgID: ${tenant})`);
    } else {
      out.out(`# Alertmanager configuration for tenant ${tenant} (POST /api/v1/alerts, X-Scope-OrgID: ${tenant}):`);
      out.out(am);
    }
  }
  return 0;
}
