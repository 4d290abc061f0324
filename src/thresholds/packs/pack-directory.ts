/**
 * The rule-pack directory: `<dir>/<name>.{yml,yaml}`, each a Prometheus rule file (rulefmt) whose
 * groups form the namespace `pack:<name>`. Re-read on every poll; a file whose size and mtime are
 * unchanged is not parsed again. A file that fails to read or parse is reported with Prometheus'
 * messages (file, line, column) and keeps its last good groups, as Prometheus keeps its rule set
 * when a reload fails (and as the ruler's GitOps directory does). Hidden entries are skipped
 * (Kubernetes ConfigMap mounts keep `..data` there).
 */
import { join } from 'node:path';
import type { Logger } from '../../core/runtime.js';
import type { RuleGroupConfig } from '../../ruler/api.js';
import { loadRuleFile, RULEFMT_PARSER } from '../../ruler/manager/index.js';
import type { RuleFileState, RulesDirFs } from '../../ruler/manager/index.js';

/** The namespace prefix of pack groups (their GroupView `file`). */
export const PACK_NAMESPACE_PREFIX = 'pack:';

const PACK_FILE = /^(.+)\.(ya?ml)$/;

/** A pack file that could not be loaded. */
export interface PackError {
  /** `pack:<name>`. */
  readonly namespace: string;
  readonly file: string;
  readonly messages: readonly string[];
}

type PackState = RuleFileState;

/** The pack directory's last known content. */
export class PackDirectory {
  private packs = new Map<string, PackState>();

  constructor(
    private readonly root: string,
    private readonly fs: RulesDirFs,
    private readonly logger: Logger,
    /** Pack names to load (`mariadb` for mariadb.yaml); undefined = every pack in the directory. */
    private readonly only?: readonly string[],
  ) {}

  /** Re-reads the directory; true when any pack's groups or errors changed. */
  async poll(): Promise<boolean> {
    let names: string[];
    try {
      names = (await this.fs.readDir(this.root)).filter((n) => !n.startsWith('.') && PACK_FILE.test(n)).sort();
    } catch (e) {
      // An unmounted volume must not switch every pack off: keep what was loaded.
      this.logger.error({ dir: this.root, err: errorText(e) }, 'cannot read the rule-pack directory; keeping the packs loaded before');
      return false;
    }
    if (this.only) {
      const wanted = new Set(this.only);
      const found = new Set<string>();
      names = names.filter((n) => {
        const base = (PACK_FILE.exec(n) as RegExpExecArray)[1] as string;
        if (!wanted.has(base)) return false;
        found.add(base);
        return true;
      });
      for (const w of wanted) if (!found.has(w)) this.logger.error({ dir: this.root, pack: w }, 'configured rule pack not found in the rule-pack directory');
    }
    const after = new Map<string, PackState>();
    let changed = false;
    for (const name of names) {
      const namespace = PACK_NAMESPACE_PREFIX + ((PACK_FILE.exec(name) as RegExpExecArray)[1] as string);
      const file = join(this.root, name);
      const taken = after.get(namespace);
      if (taken) {
        const message = `rule pack "${namespace}" is already defined by ${taken.file}; ${file} is ignored`;
        this.logger.error({ file, err: message }, 'rule-pack directory conflict');
        after.set(namespace, { ...taken, error: [...(taken.error ?? []), message] });
        changed ||= !sameErrors(this.packs.get(namespace)?.error, after.get(namespace)?.error);
        continue;
      }
      const prev = this.packs.get(namespace);
      const st = await this.load(file, prev);
      if (st === undefined) continue;
      if (st !== prev) changed = true;
      after.set(namespace, st);
    }
    for (const ns of this.packs.keys()) if (!after.has(ns)) changed = true;
    this.packs = after;
    return changed;
  }

  /** Namespace -> last good groups, namespaces sorted. */
  rules(): ReadonlyMap<string, readonly RuleGroupConfig[]> {
    const out = new Map<string, readonly RuleGroupConfig[]>();
    for (const [ns, st] of this.packs) if (st.groups) out.set(ns, st.groups);
    return out;
  }

  errors(): PackError[] {
    const out: PackError[] = [];
    for (const [namespace, st] of this.packs) if (st.error) out.push({ namespace, file: st.file, messages: st.error });
    return out;
  }

  private load(file: string, prev: PackState | undefined): Promise<PackState | undefined> {
    return loadRuleFile(this.fs, RULEFMT_PARSER, file, prev, this.logger, 'rule pack');
  }
}

function sameErrors(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
