/**
 * The Kubernetes resources Herald watches, with their REST paths, and the checks that turn an API
 * server's JSON item into a typed object. Paths follow the API conventions of
 * kubernetes/community `contributors/devel/sig-architecture/api-conventions.md` (core group under
 * `/api/v1`, named groups under `/apis/<group>/<version>`, `status` as a subresource).
 */
import type { KubeObjectMeta } from '../api.js';

/** A resource Herald can watch: `<plural>` or `<plural>/<version>` for the two AlertmanagerConfig versions. */
export type KubeKind = 'namespaces' | 'secrets' | 'alertmanagerconfigs/v1alpha1' | 'alertmanagerconfigs/v1beta1' | 'prometheusrules';

export const KUBE_KINDS: readonly KubeKind[] = ['namespaces', 'secrets', 'alertmanagerconfigs/v1alpha1', 'alertmanagerconfigs/v1beta1', 'prometheusrules'];

export interface ResourceInfo {
  readonly kind: KubeKind;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  /** The `kind` field of one object. */
  readonly objectKind: string;
  readonly namespaced: boolean;
}

export const MONITORING_GROUP = 'monitoring.coreos.com';

const RESOURCES: Readonly<Record<KubeKind, ResourceInfo>> = {
  namespaces: { kind: 'namespaces', group: '', version: 'v1', plural: 'namespaces', objectKind: 'Namespace', namespaced: false },
  secrets: { kind: 'secrets', group: '', version: 'v1', plural: 'secrets', objectKind: 'Secret', namespaced: true },
  'alertmanagerconfigs/v1alpha1': {
    kind: 'alertmanagerconfigs/v1alpha1',
    group: MONITORING_GROUP,
    version: 'v1alpha1',
    plural: 'alertmanagerconfigs',
    objectKind: 'AlertmanagerConfig',
    namespaced: true,
  },
  'alertmanagerconfigs/v1beta1': {
    kind: 'alertmanagerconfigs/v1beta1',
    group: MONITORING_GROUP,
    version: 'v1beta1',
    plural: 'alertmanagerconfigs',
    objectKind: 'AlertmanagerConfig',
    namespaced: true,
  },
  prometheusrules: { kind: 'prometheusrules', group: MONITORING_GROUP, version: 'v1', plural: 'prometheusrules', objectKind: 'PrometheusRule', namespaced: true },
};

export function resourceInfo(kind: KubeKind): ResourceInfo {
  return RESOURCES[kind];
}

/** The resource of an object's `apiVersion` + `kind`, or undefined when Herald does not watch it. */
export function resourceOf(apiVersion: string, objectKind: string): ResourceInfo | undefined {
  return Object.values(RESOURCES).find((r) => apiVersionOf(r) === apiVersion && r.objectKind === objectKind);
}

export function apiVersionOf(r: ResourceInfo): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

function prefix(r: ResourceInfo): string {
  return r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
}

/** The cluster-wide collection path (list and watch across all namespaces). */
export function collectionPath(r: ResourceInfo): string {
  return `${prefix(r)}/${r.plural}`;
}

/** The path of one object, or of one of its subresources. */
export function objectPath(r: ResourceInfo, namespace: string, name: string, subresource?: string): string {
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const sub = subresource === undefined ? '' : `/${subresource}`;
  return `${prefix(r)}${ns}/${r.plural}/${encodeURIComponent(name)}${sub}`;
}

/** A raw object as the API server sends it: parsed JSON with a checked `metadata`. */
export interface RawObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeObjectMeta;
  readonly [field: string]: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/**
 * Checks one item of a list or watch event and fills in `apiVersion`/`kind` (list items of core
 * types come without them). Returns a message naming the problem when the item is unusable.
 */
export function toRawObject(r: ResourceInfo, item: unknown): RawObject | string {
  if (!isRecord(item)) return `${r.plural}: item is not an object`;
  const md = item['metadata'];
  if (!isRecord(md)) return `${r.plural}: item has no metadata`;
  const name = md['name'];
  if (typeof name !== 'string' || name === '') return `${r.plural}: item has no metadata.name`;
  const namespace = md['namespace'];
  if (r.namespaced && (typeof namespace !== 'string' || namespace === '')) return `${r.plural} ${name}: item has no metadata.namespace`;
  const meta: { -readonly [K in keyof KubeObjectMeta]: KubeObjectMeta[K] } = { name, namespace: r.namespaced ? (namespace as string) : '' };
  if (typeof md['uid'] === 'string') meta.uid = md['uid'];
  if (typeof md['resourceVersion'] === 'string') meta.resourceVersion = md['resourceVersion'];
  if (typeof md['generation'] === 'number') meta.generation = md['generation'];
  const labels = stringMap(md['labels']);
  if (labels) meta.labels = labels;
  const annotations = stringMap(md['annotations']);
  if (annotations) meta.annotations = annotations;
  return { ...item, apiVersion: apiVersionOf(r), kind: r.objectKind, metadata: meta };
}

/** `namespace/name` (or `name` for cluster-scoped objects): the key of an object in a cache. */
export function objectKey(meta: Pick<KubeObjectMeta, 'namespace' | 'name'>): string {
  return meta.namespace === '' ? meta.name : `${meta.namespace}/${meta.name}`;
}
