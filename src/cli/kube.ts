/**
 * `herald kube render --dir DIR --tenant T [--config herald.yml] [--base alertmanager.yml]`: the
 * dry run of issue 8's self-service model for CI. It reads a directory of manifests as the GitOps
 * source does, assigns objects to tenants with the `kube:` section of Herald's config, and prints
 * tenant T's effective rule groups (Mimir's ruler config API format, one namespace per
 * PrometheusRule) and Alertmanager configuration (AlertmanagerConfig objects rendered onto the base
 * config, prometheus-operator's default `null` receiver when none is given). Rejected objects and
 * manifest problems go to stderr with file and line; the exit code is then 1. Objects that no
 * tenant takes are listed on stderr as skipped, without failing.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { formatIssue } from '../core/result.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import type { MonitoringObject } from '../kube/api.js';
import { loadManifestDir, manifestNamespaces, manifestSecretReader, namespaceInfo, NODE_MANIFEST_FS, objectKey } from '../kube/manifests/index.js';
import type { ManifestFs, ManifestSource } from '../kube/manifests/index.js';
import { InvalidBaseConfigError, renderAlertmanagerConfigs } from '../kube/render/index.js';
import { createReconciler, objectId } from '../kube/reconcile/index.js';
import type { TenantRuleNamespaces } from '../kube/reconcile/index.js';
import { assignTenant, DEFAULT_KUBE_CONFIG, parseKubeConfig } from '../kube/tenancy/index.js';
import type { KubeConfig } from '../kube/tenancy/index.js';
import { marshalNamespaces } from '../ruler/rulefmt/index.js';
import { tenantIdProblem } from '../core/tenant-id.js';
import { parseArgs, UsageError } from './args.js';
import type { Output } from './output.js';

export const KUBE_USAGE = `usage: herald kube render --dir=DIR --tenant=TENANT [--config=FILE] [--base=FILE]

Prints a tenant's effective rule groups and Alertmanager configuration from a directory of
Kubernetes manifests (PrometheusRule, AlertmanagerConfig, Namespace, Secret), as Herald would
reconcile them. Exit code 1 when a manifest or object is rejected (reasons on stderr).

Flags:
  --dir=DIR       Directory of manifests, read recursively (*.yaml, *.yml).
  --tenant=ID     The tenant to render.
  --config=FILE   Herald's config; its kube: section maps objects to tenants. Default: built-in.
  --base=FILE     The tenant's base Alertmanager config. Default: a "null" receiver only.
`;

/** prometheus-operator's default when the Alertmanager has no config of its own. */
export const DEFAULT_BASE_CONFIG = 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n';

const RENDER_FLAGS = ['dir', 'tenant', 'config', 'base'];

/** Where the command reads files (tests inject fixtures). */
export interface KubeCliDeps {
  readonly fs: ManifestFs;
  readonly readFile: (path: string) => Promise<string>;
}

const NODE_DEPS: KubeCliDeps = { fs: NODE_MANIFEST_FS, readFile: (p) => readFile(p, 'utf8') };

function where(s: ManifestSource): string {
  return s.line > 0 ? `${s.file}:${s.line}` : s.file;
}

async function readKubeConfig(file: string | undefined, deps: KubeCliDeps, out: Output): Promise<KubeConfig | undefined> {
  if (file === undefined) return DEFAULT_KUBE_CONFIG;
  let doc: unknown;
  try {
    doc = parse(await deps.readFile(file));
  } catch (e) {
    out.err(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const section = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>).kube : undefined;
  const r = parseKubeConfig(section);
  if (r.ok) return r.value;
  for (const it of r.issues) out.err(formatIssue(it, file));
  return undefined;
}

/** Renders tenant `tenant`; resolves with the exit code. */
export async function kubeRender(flags: ReadonlyMap<string, string>, out: Output, deps: KubeCliDeps = NODE_DEPS): Promise<number> {
  const dir = flags.get('dir');
  const tenant = flags.get('tenant');
  if (dir === undefined || dir === '') throw new UsageError('kube render needs --dir');
  if (tenant === undefined) throw new UsageError('kube render needs --tenant');
  const tenantProblem = tenantIdProblem(tenant);
  if (tenantProblem !== undefined) throw new UsageError(`invalid --tenant: ${tenantProblem}`);

  const cfg = await readKubeConfig(flags.get('config'), deps, out);
  if (!cfg) return 1;
  const baseFile = flags.get('base');
  let base = DEFAULT_BASE_CONFIG;
  if (baseFile !== undefined) {
    try {
      base = await deps.readFile(baseFile);
    } catch (e) {
      out.err(`${baseFile}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }

  const loaded = await loadManifestDir(dir, deps.fs);
  let failed = loaded.problems.length > 0;
  for (const p of loaded.problems) out.err(`${where(p)}: ${p.message}`);

  // The reconciler renders; the CLI only says where each object of the tenant came from.
  const namespaces = manifestNamespaces(loaded.objects);
  const objects: MonitoringObject[] = [];
  const sources = new Map<string, ManifestSource>();
  let amCount = 0;
  for (const lo of loaded.objects) {
    const o = lo.object;
    if (o.kind !== 'PrometheusRule' && o.kind !== 'AlertmanagerConfig') continue;
    objects.push(o);
    sources.set(objectId(o), lo.source);
    const a = assignTenant(o, namespaceInfo(namespaces, o.metadata.namespace), cfg.tenancy);
    if ('excluded' in a) out.err(`skipped: ${objectKey(o)} (${where(lo.source)}): ${a.excluded}`);
    else if (a.tenant === tenant && o.kind === 'AlertmanagerConfig') amCount++;
  }

  let amYaml: string | null = null;
  let groups: TenantRuleNamespaces = new Map();
  const reconciler = createReconciler({
    config: cfg,
    baseConfig: () => Promise.resolve(base),
    logger: NOOP_LOGGER,
    sinks: {
      applyAlertmanagerConfig: (t, yaml) => Promise.resolve(void (t === tenant && (amYaml = yaml))),
      applyRules: (t, rules) => Promise.resolve(void (t === tenant && (groups = rules))),
    },
  });
  const report = await reconciler.reconcile({ objects, namespaces: [...namespaces.values()], secrets: manifestSecretReader(loaded.objects) });
  const baseProblem = report.tenantErrors.get(tenant);
  if (baseProblem !== undefined) {
    out.err(`${baseFile ?? 'base configuration'}: ${baseProblem}`);
    return 1;
  }
  for (const [id, st] of report.statuses) {
    if (st.accepted || st.tenant !== tenant) continue;
    failed = true;
    const src = sources.get(id);
    out.err(`rejected: ${id}${src ? ` (${where(src)})` : ''}: ${st.reason}`);
  }
  if (amYaml === null) {
    // No object of the tenant: the base alone, still checked as the server would load it.
    try {
      amYaml = (await renderAlertmanagerConfigs(base, [], { matcherStrategy: cfg.alertmanager.matcherStrategy, alertmanagerNamespace: cfg.alertmanager.alertmanagerNamespace, readSecret: () => Promise.resolve(undefined) })).yaml;
    } catch (e) {
      if (!(e instanceof InvalidBaseConfigError)) throw e;
      out.err(`${baseFile ?? 'base configuration'}: ${e.message}`);
      return 1;
    }
  }

  out.out(`# Rule groups of tenant ${JSON.stringify(tenant)} (${groups.size} PrometheusRule objects)`);
  out.out(groups.size > 0 ? marshalNamespaces(groups).trimEnd() : '{}');
  out.out('---');
  out.out(`# Alertmanager configuration of tenant ${JSON.stringify(tenant)} (${amCount} AlertmanagerConfig objects)`);
  out.out(amYaml.trimEnd());
  return failed ? 1 : 0;
}

/** `herald kube <sub-command>`; resolves with the exit code. */
export async function runKube(argv: readonly string[], out: Output, deps: KubeCliDeps = NODE_DEPS): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out.out(KUBE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'render') throw new UsageError(`unknown kube sub-command '${sub}'`);
  const args = parseArgs(rest, RENDER_FLAGS, ['help']);
  if (args.flags.has('help')) {
    out.out(KUBE_USAGE);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
  return kubeRender(args.flags, out, deps);
}
