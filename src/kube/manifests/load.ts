/**
 * The GitOps source (issue 8): a directory of Kubernetes manifests, read recursively (`*.yaml`,
 * `*.yml`; hidden entries such as `.git` skipped), multi-document YAML and `kind: List` as kubectl
 * reads them. AlertmanagerConfig, PrometheusRule, Namespace and Secret objects are kept; other kinds
 * are counted and ignored. A bad document is a problem with its file and line and never stops the
 * others; a file that cannot be read is one problem. Objects without `metadata.namespace` are in
 * `default`, as `kubectl apply` puts them. The first of two objects with the same kind, namespace
 * and name wins; the second is a problem.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { AlertmanagerConfigObject, KubeObjectMeta, PrometheusRuleObject } from '../api.js';

/** The little of a file system the loader needs (tests pass an in-memory one). */
export interface ManifestFs {
  readDir(path: string): Promise<ReadonlyArray<{ readonly name: string; readonly type: 'file' | 'directory' | 'other' }>>;
  readFile(path: string): Promise<string>;
}

/** The real file system (symbolic links followed). */
export const NODE_MANIFEST_FS: ManifestFs = {
  async readDir(path) {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, type: e.isFile() ? 'file' : e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'file' : 'other' }));
  },
  readFile: (path) => readFile(path, 'utf8'),
};

export interface NamespaceObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Namespace';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
}

export interface SecretObject {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly metadata: KubeObjectMeta;
  /** Base64 values. */
  readonly data: Readonly<Record<string, string>>;
  readonly stringData: Readonly<Record<string, string>>;
}

export type ManifestObject = AlertmanagerConfigObject | PrometheusRuleObject | NamespaceObject | SecretObject;

/** Where a document starts (1-based line). */
export interface ManifestSource {
  readonly file: string;
  readonly line: number;
}

export interface LoadedObject {
  readonly object: ManifestObject;
  readonly source: ManifestSource;
}

export interface ManifestProblem extends ManifestSource {
  readonly message: string;
}

export interface ManifestDir {
  /** Kept objects in file order (files sorted by path). */
  readonly objects: readonly LoadedObject[];
  readonly problems: readonly ManifestProblem[];
  /** Documents of other kinds. */
  readonly ignored: number;
}

const KEPT: Readonly<Record<string, readonly string[]>> = {
  AlertmanagerConfig: ['monitoring.coreos.com/v1alpha1', 'monitoring.coreos.com/v1beta1'],
  PrometheusRule: ['monitoring.coreos.com/v1'],
  Namespace: ['v1'],
  Secret: ['v1'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function listFiles(fs: ManifestFs, dir: string, out: string[], problems: ManifestProblem[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readDir(dir);
  } catch (e) {
    problems.push({ file: dir, line: 0, message: `cannot read directory: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of sorted) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.type === 'directory') await listFiles(fs, path, out, problems);
    else if (e.type === 'file' && /\.ya?ml$/.test(e.name)) out.push(path);
  }
}

function stringMap(v: unknown, what: string): Record<string, string> | string {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) return `${what} must be a mapping`;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return `${what}.${k} must be a string`;
    out[k] = x;
  }
  return out;
}

/** One document (or List item) -> a kept object, undefined for an ignored kind, or a problem text. */
function toObject(doc: unknown): ManifestObject | undefined | string {
  if (!isRecord(doc)) return 'a manifest must be a mapping with apiVersion and kind';
  const { apiVersion, kind } = doc;
  if (typeof kind !== 'string' || kind === '') return 'kind must be a non-empty string';
  if (typeof apiVersion !== 'string' || apiVersion === '') return 'apiVersion must be a non-empty string';
  const versions = KEPT[kind];
  if (!versions) return undefined;
  if (!versions.includes(apiVersion)) {
    if (!apiVersion.startsWith(kind === 'Namespace' || kind === 'Secret' ? 'v' : 'monitoring.coreos.com/')) return undefined;
    return `${kind} ${apiVersion} is not supported (use ${versions.join(' or ')})`;
  }
  const md = doc.metadata;
  if (!isRecord(md)) return 'metadata must be a mapping';
  if (typeof md.name !== 'string' || md.name === '') return 'metadata.name must be a non-empty string';
  const labels = stringMap(md.labels, 'metadata.labels');
  if (typeof labels === 'string') return labels;
  if (kind === 'Namespace') return { apiVersion: 'v1', kind, metadata: { name: md.name, labels } };
  if (md.namespace !== undefined && md.namespace !== null && typeof md.namespace !== 'string') return 'metadata.namespace must be a string';
  const annotations = stringMap(md.annotations, 'metadata.annotations');
  if (typeof annotations === 'string') return annotations;
  const metadata: KubeObjectMeta = {
    name: md.name,
    namespace: typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default',
    labels,
    annotations,
    ...(typeof md.uid === 'string' ? { uid: md.uid } : {}),
    ...(typeof md.generation === 'number' ? { generation: md.generation } : {}),
  };
  if (kind === 'Secret') {
    const data = stringMap(doc.data, 'data');
    if (typeof data === 'string') return data;
    const stringData = stringMap(doc.stringData, 'stringData');
    if (typeof stringData === 'string') return stringData;
    return { apiVersion: 'v1', kind, metadata, data, stringData };
  }
  if (kind === 'PrometheusRule') return { apiVersion: 'monitoring.coreos.com/v1', kind, metadata, spec: doc.spec };
  return { apiVersion: apiVersion as AlertmanagerConfigObject['apiVersion'], kind: 'AlertmanagerConfig', metadata, spec: doc.spec };
}

/** `<Kind> <namespace>/<name>` (Namespaces: `Namespace <name>`), as messages name objects. */
export function objectKey(o: ManifestObject): string {
  return o.kind === 'Namespace' ? `Namespace ${o.metadata.name}` : `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
}

/** Parses one file's text; `file` names it in sources and problems. */
export function parseManifests(text: string, file: string): { objects: LoadedObject[]; problems: ManifestProblem[]; ignored: number } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const objects: LoadedObject[] = [];
  const problems: ManifestProblem[] = [];
  let ignored = 0;
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const start = doc.contents?.range[0] ?? doc.range[0];
    const line = lc.linePos(start).line;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) problems.push({ file, line: err.linePos?.[0].line ?? line, message: (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '') });
      continue;
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({ file, line, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (value === null || value === undefined) continue;
    const items = isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? (value.items as unknown[]) : [value];
    items.forEach((item, i) => {
      const r = toObject(item);
      const prefix = items.length > 1 || item !== value ? `items[${i}]: ` : '';
      if (r === undefined) ignored++;
      else if (typeof r === 'string') problems.push({ file, line, message: prefix + r });
      else objects.push({ object: r, source: { file, line } });
    });
  }
  return { objects, problems, ignored };
}

/** Reads every manifest under `dir`. Never throws: every failure is a problem. */
export async function loadManifestDir(dir: string, fs: ManifestFs = NODE_MANIFEST_FS): Promise<ManifestDir> {
  const problems: ManifestProblem[] = [];
  const files: string[] = [];
  await listFiles(fs, dir, files, problems);
  const objects: LoadedObject[] = [];
  const seen = new Map<string, ManifestSource>();
  let ignored = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file);
    } catch (e) {
      problems.push({ file, line: 0, message: `cannot read file: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    const r = parseManifests(text, file);
    problems.push(...r.problems);
    ignored += r.ignored;
    for (const o of r.objects) {
      const key = objectKey(o.object);
      const first = seen.get(key);
      if (first) {
        problems.push({ ...o.source, message: `duplicate ${key} (first defined at ${first.file}:${first.line}); ignored` });
        continue;
      }
      seen.set(key, o.source);
      objects.push(o);
    }
  }
  return { objects, problems, ignored };
}
