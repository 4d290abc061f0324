import { describe, expect, it } from 'vitest';
import { loadManifestDir, parseManifests } from './load.js';
import type { ManifestFs } from './load.js';
import { manifestNamespaces, manifestSecretReader, namespaceInfo } from './view.js';

/** An in-memory tree: paths -> file text. */
function memoryFs(files: Record<string, string>, unreadable: string[] = []): ManifestFs {
  return {
    readDir(path) {
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const names = new Map<string, 'file' | 'directory'>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'directory');
      }
      if (names.size === 0) return Promise.reject(new Error(`ENOENT: no such file or directory, scandir '${path}'`));
      return Promise.resolve([...names].map(([name, type]) => ({ name, type })));
    },
    readFile(path) {
      if (unreadable.includes(path)) return Promise.reject(new Error('EACCES: permission denied'));
      const t = files[path];
      return t === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(t);
    },
  };
}

const RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: r1
  namespace: team-a
  labels: { tenant: a }
spec:
  groups: []
`;

describe('parseManifests', () => {
  it('reads every document with its starting line, keeping the monitoring kinds', () => {
    const text = `# comment
${RULE}---
apiVersion: v1
kind: Namespace
metadata: { name: team-a, labels: { herald.io/tenant: a } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
---
---
apiVersion: monitoring.coreos.com/v1beta1
kind: AlertmanagerConfig
metadata: { name: amc }
spec: { route: { receiver: x } }
`;
    const r = parseManifests(text, 'a.yaml');
    expect(r.problems).toEqual([]);
    expect(r.ignored).toBe(1);
    expect(r.objects.map((o) => [o.object.kind, o.source.line])).toEqual([
      ['PrometheusRule', 2],
      ['Namespace', 11],
      ['AlertmanagerConfig', 20],
    ]);
    expect(r.objects[0]!.object.metadata).toEqual({ name: 'r1', namespace: 'team-a', labels: { tenant: 'a' }, annotations: {} });
    const amc = r.objects[2]!.object;
    expect(amc.kind === 'AlertmanagerConfig' && amc.metadata.namespace).toBe('default');
    expect(amc.kind === 'AlertmanagerConfig' && amc.spec).toEqual({ route: { receiver: 'x' } });
  });

  it('expands kind: List', () => {
    const r = parseManifests(`apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: { name: a }\n  - { kind: Namespace }\n`, 'l.yaml');
    expect(r.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
    expect(r.problems).toEqual([{ file: 'l.yaml', line: 1, message: 'items[1]: apiVersion must be a non-empty string' }]);
  });

  it.each([
    ['not a mapping', '- a\n- b\n', 1, 'a manifest must be a mapping with apiVersion and kind'],
    ['no kind', 'apiVersion: v1\n', 1, 'kind must be a non-empty string'],
    ['no name', 'apiVersion: v1\nkind: Secret\nmetadata: {}\n', 1, 'metadata.name must be a non-empty string'],
    ['label not a string', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { x: 1 } }\n', 1, 'metadata.labels.x must be a string'],
    ['unsupported version', 'apiVersion: monitoring.coreos.com/v2\nkind: PrometheusRule\nmetadata: { name: a }\n', 1, 'PrometheusRule monitoring.coreos.com/v2 is not supported (use monitoring.coreos.com/v1)'],
    ['secret data', 'apiVersion: v1\nkind: Secret\nmetadata: { name: a }\ndata: [1]\n', 1, 'data must be a mapping'],
    ['YAML syntax', 'a: 1\n---\nkind: [unclosed\n', 4, 'Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['duplicate key', 'kind: Namespace\nkind: Secret\n', 2, /^Map keys must be unique/],
  ])('reports %s with its line', (_n, text, line, message) => {
    const r = parseManifests(text, 'f.yaml');
    expect(r.objects).toEqual([]);
    const p = r.problems[r.problems.length - 1]!;
    expect(p.file).toBe('f.yaml');
    expect(p.line).toBe(line);
    if (typeof message === 'string') expect(p.message).toBe(message);
    else expect(p.message).toMatch(message);
  });
});

describe('loadManifestDir', () => {
  it('walks the tree in order, skips hidden and non-YAML files, and keeps going past bad files', async () => {
    const fs = memoryFs({
      '/m/b.yml': RULE.replace('r1', 'r2'),
      '/m/a/x.yaml': RULE,
      '/m/a/bad.yaml': 'kind: [\n',
      '/m/a/locked.yaml': RULE,
      '/m/.git/config.yaml': RULE.replace('r1', 'hidden'),
      '/m/README.md': '# not yaml',
      '/m/c.yaml': RULE,
    }, ['/m/a/locked.yaml']);
    const r = await loadManifestDir('/m', fs);
    expect(r.objects.map((o) => `${o.source.file}:${o.object.metadata.name}`)).toEqual(['/m/a/x.yaml:r1', '/m/b.yml:r2']);
    expect(r.problems.map((p) => `${p.file}:${p.line}: ${p.message.split(':')[0]}`)).toEqual([
      '/m/a/bad.yaml:2: Flow sequence in block collection must be sufficiently indented and end with a ]',
      '/m/a/locked.yaml:0: cannot read file',
      '/m/c.yaml:1: duplicate PrometheusRule team-a/r1 (first defined at /m/a/x.yaml',
    ]);
  });

  it('reports a missing directory as a problem', async () => {
    const r = await loadManifestDir('/nope', memoryFs({ '/m/a.yaml': RULE }));
    expect(r.objects).toEqual([]);
    expect(r.problems).toEqual([{ file: '/nope', line: 0, message: "cannot read directory: ENOENT: no such file or directory, scandir '/nope'" }]);
  });
});

describe('views', () => {
  const objs = parseManifests(
    `apiVersion: v1
kind: Namespace
metadata: { name: team-a, labels: { t: a } }
---
apiVersion: v1
kind: Secret
metadata: { name: s, namespace: team-a }
data: { token: ${Buffer.from('s3cret').toString('base64')}, both: ${Buffer.from('old').toString('base64')} }
stringData: { both: new }
`,
    'x.yaml',
  ).objects;

  it('lists namespaces, defaulting unknown ones to no labels', () => {
    const ns = manifestNamespaces(objs);
    expect(namespaceInfo(ns, 'team-a')).toEqual({ name: 'team-a', labels: { t: 'a' } });
    expect(namespaceInfo(ns, 'other')).toEqual({ name: 'other', labels: {} });
  });

  it('reads secrets from their own namespace only', async () => {
    const read = manifestSecretReader(objs);
    expect(await read('team-a', 's', 'token')).toBe('s3cret');
    expect(await read('team-a', 's', 'both')).toBe('new');
    expect(await read('team-a', 's', 'missing')).toBeUndefined();
    expect(await read('team-b', 's', 'token')).toBeUndefined();
  });
});
