/**
 * The manifests in deploy/ parse, are well-formed for the API server, and grant exactly what the
 * watcher in this folder uses (resources.ts), so RBAC cannot drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KUBE_KINDS, resourceInfo } from './resources.js';

const DEPLOY = join(dirname(fileURLToPath(import.meta.url)), '../../../deploy');

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function load(): { file: string; doc: Doc }[] {
  const out: { file: string; doc: Doc }[] = [];
  for (const sub of ['crds', 'rbac']) {
    for (const f of readdirSync(join(DEPLOY, sub)).filter((n) => n.endsWith('.yaml'))) {
      const docs = parseAllDocuments(readFileSync(join(DEPLOY, sub, f), 'utf8'));
      if (!Array.isArray(docs)) throw new Error(`${sub}/${f}: not a YAML stream`);
      for (const d of docs) {
        if (d.errors.length > 0) throw new Error(`${sub}/${f}: ${d.errors.map((e) => e.message).join('; ')}`);
        out.push({ file: `${sub}/${f}`, doc: d.toJS() as Doc });
      }
    }
  }
  return out;
}

const DOCS = load();
const byKindName = (kind: string, name: string): Doc => {
  const d = DOCS.find((x) => x.doc.kind === kind && x.doc.metadata.name === name)?.doc;
  if (!d) throw new Error(`no ${kind} ${name} in deploy/`);
  return d;
};
function allows(role: Doc, group: string, resource: string, verb: string): boolean {
  return (role['rules'] as Rule[]).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

describe('deploy/ manifests', () => {
  it('every document has apiVersion, kind and a name', () => {
    expect(DOCS.length).toBeGreaterThanOrEqual(7);
    for (const { file, doc } of DOCS) {
      expect(typeof doc.apiVersion, file).toBe('string');
      expect(typeof doc.kind, file).toBe('string');
      expect(doc.metadata.name, file).toMatch(/^[a-z0-9.-]+$/);
    }
  });

  it.each([
    ['alertmanagerconfigs', 'AlertmanagerConfig', ['v1alpha1', 'v1beta1'], 'v1alpha1'],
    ['prometheusrules', 'PrometheusRule', ['v1'], 'v1'],
  ])('CRD %s is structural, keeps spec as written and has a status subresource', (plural, kind, versions, storage) => {
    const crd = byKindName('CustomResourceDefinition', `${plural}.monitoring.coreos.com`);
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    const spec = crd['spec'] as { group: string; scope: string; names: { plural: string; kind: string }; versions: Record<string, unknown>[] };
    expect(spec).toMatchObject({ group: 'monitoring.coreos.com', scope: 'Namespaced', names: { plural, kind } });
    expect(spec.versions.map((v) => v['name'])).toEqual(versions);
    expect(spec.versions.filter((v) => v['storage'] === true).map((v) => v['name'])).toEqual([storage]);
    for (const v of spec.versions) {
      expect(v['served']).toBe(true);
      expect(v['subresources']).toEqual({ status: {} });
      const schema = (v['schema'] as { openAPIV3Schema: { type: string; properties: Record<string, Record<string, unknown>> } }).openAPIV3Schema;
      expect(schema.type).toBe('object');
      expect(schema.properties['spec']).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      const cond = (schema.properties['status'] as { properties: { conditions: { items: { properties: Record<string, unknown> } } } }).properties.conditions;
      expect(Object.keys(cond.items.properties).sort()).toEqual(['lastTransitionTime', 'message', 'observedGeneration', 'reason', 'status', 'type']);
    }
  });

  it("Herald's role grants what the watcher and status writer use, bound to its ServiceAccount", () => {
    const role = byKindName('ClusterRole', 'herald');
    for (const k of KUBE_KINDS) {
      const r = resourceInfo(k);
      for (const verb of ['list', 'watch']) expect(allows(role, r.group, r.plural, verb), `${verb} ${r.plural}`).toBe(true);
      if (r.group !== '') expect(allows(role, r.group, `${r.plural}/status`, 'patch'), `patch ${r.plural}/status`).toBe(true);
    }
    expect(allows(role, 'events.k8s.io', 'events', 'create')).toBe(true);
    expect(allows(role, '', 'secrets', 'create')).toBe(false);
    const binding = byKindName('ClusterRoleBinding', 'herald');
    expect(binding['roleRef']).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'herald' });
    const sa = byKindName('ServiceAccount', 'herald');
    expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  });

  it.each([
    ['alert-routing-edit', ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], []],
    ['alert-routing-view', ['get', 'list', 'watch'], ['create', 'update', 'patch', 'delete']],
  ])('%s', (name, granted, denied) => {
    const role = byKindName('ClusterRole', name);
    for (const res of ['alertmanagerconfigs', 'prometheusrules']) {
      for (const v of granted) expect(allows(role, 'monitoring.coreos.com', res, v), `${v} ${res}`).toBe(true);
      for (const v of denied) expect(allows(role, 'monitoring.coreos.com', res, v), `${v} ${res}`).toBe(false);
      // Only Herald writes status.
      expect(allows(role, 'monitoring.coreos.com', `${res}/status`, 'patch')).toBe(false);
    }
  });
});
