/**
 * The GitOps rules directory: `<dir>/<tenant>/<namespace>.{yml,yaml}`, each file a Prometheus rule
 * file whose groups form one read-only namespace. Re-read on every poll, files whose size and
 * mtime did not change are not parsed again. A file that fails to read or parse is reported (as
 * Prometheus reports a bad rule file on reload) and its namespace keeps the last good groups, the
 * way Prometheus keeps its previous rule set when a reload fails. Entries starting with "." are
 * skipped (Kubernetes ConfigMap mounts keep `..data` directories there).
 */
import { join } from 'node:path';
import type { Issue, Result } from '../../core/result.js';
import type { Logger } from '../../core/runtime.js';
import type { RuleGroupConfig } from '../api.js';
import { formatRuleIssues, parseRuleFile } from '../rulefmt/index.js';

/** The fs functions used; node:fs/promises' readdir, readFile and stat fit. */
export interface RulesDirFs {
  readDir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; readonly mtimeMs: number; readonly size: number }>;
}

/** Parses one rule file (rulefmt's parseRuleFile) and formats its issues (formatRuleIssues). */
export interface RuleFileParser {
  readonly parse: (text: string, file: string) => Result<readonly RuleGroupConfig[]>;
  readonly format: (issues: readonly Issue[], file: string) => string[];
}

/** Prometheus' rule file format, as `herald rules check` reads it. */
export const RULEFMT_PARSER: RuleFileParser = { parse: (text, file) => parseRuleFile(text, file), format: formatRuleIssues };

/** A rule file of the directory that could not be loaded. */
export interface DirectoryError {
  readonly namespace: string;
  /** Path of the file. */
  readonly file: string;
  readonly messages: readonly string[];
}

/** A rule file as last read: its stat, its last good groups, its current problems. */
export interface RuleFileState {
  readonly file: string;
  readonly mtimeMs: number;
  readonly size: number;
  /** Last good groups (kept while the file is broken); undefined if it never loaded. */
  readonly groups: readonly RuleGroupConfig[] | undefined;
  readonly error: readonly string[] | undefined;
}

/** tenant -> namespace -> groups, namespaces sorted by name. */
export type DirectoryRules = ReadonlyMap<string, ReadonlyMap<string, readonly RuleGroupConfig[]>>;

const RULE_FILE = /^(.+)\.(ya?ml)$/;

/** The rules directory's last known content. */
export class RulesDirectory {
  /** tenant -> namespace -> file state */
  private files = new Map<string, Map<string, RuleFileState>>();

  constructor(
    private readonly root: string,
    private readonly fs: RulesDirFs,
    private readonly parser: RuleFileParser,
    private readonly logger: Logger,
  ) {}

  /** Re-reads the directory; returns the tenants whose rules or errors changed. */
  async poll(): Promise<Set<string>> {
    const changed = new Set<string>();
    let tenants: string[];
    try {
      tenants = (await this.fs.readDir(this.root)).filter((n) => !n.startsWith('.')).sort();
    } catch (e) {
      // A missing or unreadable root keeps the last known rules: an unmounted volume must not delete every rule.
      this.logger.error({ dir: this.root, err: errorText(e) }, 'cannot read the rules directory; keeping the rules loaded before');
      return changed;
    }
    const seen = new Set<string>();
    for (const tenant of tenants) {
      const path = join(this.root, tenant);
      try {
        if (!(await this.fs.stat(path)).isDirectory()) continue;
      } catch {
        continue;
      }
      seen.add(tenant);
      if (await this.pollTenant(tenant, path)) changed.add(tenant);
    }
    for (const tenant of [...this.files.keys()]) {
      if (!seen.has(tenant)) {
        this.files.delete(tenant);
        changed.add(tenant);
      }
    }
    return changed;
  }

  /** Namespaces of a tenant in the directory, sorted, each with its last good groups. */
  rules(tenant: string): ReadonlyMap<string, readonly RuleGroupConfig[]> {
    const out = new Map<string, readonly RuleGroupConfig[]>();
    for (const [ns, st] of this.files.get(tenant) ?? []) if (st.groups) out.set(ns, st.groups);
    return out;
  }

  /** Whether the directory owns `namespace` of `tenant` (a file defines it, loaded or broken). */
  owns(tenant: string, namespace: string): boolean {
    return this.files.get(tenant)?.has(namespace) ?? false;
  }

  tenants(): string[] {
    return [...this.files.keys()];
  }

  errors(tenant: string): DirectoryError[] {
    const out: DirectoryError[] = [];
    for (const [namespace, st] of this.files.get(tenant) ?? []) if (st.error) out.push({ namespace, file: st.file, messages: st.error });
    return out;
  }

  private async pollTenant(tenant: string, dir: string): Promise<boolean> {
    const before = this.files.get(tenant) ?? new Map<string, RuleFileState>();
    const after = new Map<string, RuleFileState>();
    let changed = false;
    let names: string[];
    try {
      names = (await this.fs.readDir(dir)).filter((n) => !n.startsWith('.') && RULE_FILE.test(n)).sort();
    } catch (e) {
      this.logger.error({ dir, err: errorText(e) }, 'cannot read the tenant rules directory; keeping its rules loaded before');
      return false;
    }
    for (const name of names) {
      const namespace = (RULE_FILE.exec(name) as RegExpExecArray)[1] as string;
      const file = join(dir, name);
      const prev = before.get(namespace);
      const taken = after.get(namespace);
      if (taken) {
        const messages = [`namespace "${namespace}" is already defined by ${taken.file}; ${file} is ignored`];
        after.set(namespace, { ...taken, error: [...(taken.error ?? []), ...messages] });
        this.logger.error({ tenant, file, err: messages[0] }, 'rules directory conflict');
        continue;
      }
      const st = await this.load(tenant, file, prev);
      if (st === undefined) continue;
      if (st !== prev) changed = true;
      after.set(namespace, st);
    }
    for (const ns of before.keys()) if (!after.has(ns)) changed = true;
    if (after.size > 0) this.files.set(tenant, after);
    else this.files.delete(tenant);
    return changed;
  }

  private load(tenant: string, file: string, prev: RuleFileState | undefined): Promise<RuleFileState | undefined> {
    return loadRuleFile(this.fs, this.parser, file, prev, this.logger.child({ tenant }), 'rule file');
  }
}

/**
 * Reads one rule file unless its size and mtime are unchanged (then `prev` itself comes back);
 * undefined when it vanished meanwhile. A file that cannot be read or parsed keeps `prev`'s groups
 * and carries its problems (Prometheus-style lines), which are also logged. `what` names the file
 * kind in the log ("rule file", "rule pack").
 */
export async function loadRuleFile(
  fs: Pick<RulesDirFs, 'stat' | 'readFile'>,
  parser: RuleFileParser,
  file: string,
  prev: RuleFileState | undefined,
  logger: Logger,
  what: string,
): Promise<RuleFileState | undefined> {
  let stat: { isFile(): boolean; mtimeMs: number; size: number };
  try {
    stat = await fs.stat(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  if (prev && prev.file === file && prev.mtimeMs === stat.mtimeMs && prev.size === stat.size) return prev;
  const base = { file, mtimeMs: stat.mtimeMs, size: stat.size };
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const messages = [`${file}: ${errorText(e)}`];
    logger.error({ file, err: messages[0] }, `cannot read ${what}; keeping its last good rules`);
    return { ...base, groups: prev?.groups, error: messages };
  }
  const r = parser.parse(text, file);
  if (!r.ok) {
    const messages = parser.format(r.issues, file);
    logger.error({ file, errors: messages }, `invalid ${what}; keeping its last good rules`);
    return { ...base, groups: prev?.groups, error: messages };
  }
  return { ...base, groups: r.value, error: undefined };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
