/**
 * Views of a loaded manifest directory that the renderers take: namespaces with their labels and a
 * SecretReader over the directory's Secrets (`stringData` first, then base64 `data`, as the API
 * server merges them). A secret is only ever looked up in the namespace asked for.
 */
import type { NamespaceInfo, SecretReader } from '../api.js';
import type { LoadedObject, SecretObject } from './load.js';

/** Namespaces declared in the directory, by name. */
export function manifestNamespaces(objects: readonly LoadedObject[]): Map<string, NamespaceInfo> {
  const out = new Map<string, NamespaceInfo>();
  for (const { object: o } of objects) {
    if (o.kind === 'Namespace') out.set(o.metadata.name, { name: o.metadata.name, labels: o.metadata.labels ?? {} });
  }
  return out;
}

/** The namespace's info; a namespace without a manifest has no labels. */
export function namespaceInfo(namespaces: ReadonlyMap<string, NamespaceInfo>, name: string): NamespaceInfo {
  return namespaces.get(name) ?? { name, labels: {} };
}

/** Reads `key` of Secret `<namespace>/<name>` from the directory. */
export function manifestSecretReader(objects: readonly LoadedObject[]): SecretReader {
  const secrets = new Map<string, SecretObject>();
  for (const { object: o } of objects) {
    if (o.kind === 'Secret') secrets.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
  }
  return (namespace, name, key) => {
    const s = secrets.get(`${namespace}/${name}`);
    if (!s) return Promise.resolve(undefined);
    const plain = s.stringData[key];
    if (plain !== undefined) return Promise.resolve(plain);
    const b64 = s.data[key];
    return Promise.resolve(b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));
  };
}
