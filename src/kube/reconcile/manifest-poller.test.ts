import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { ManifestFs, ManifestProblem } from '../manifests/index.js';
import { StepClock } from '../watch/test-clock.test-util.js';
import { createManifestPoller } from './manifest-poller.js';
import type { ReconcileInput } from './reconciler.js';

/** An in-memory tree (paths -> text); `files` may be changed between polls. */
function memoryFs(files: Record<string, string>): ManifestFs {
  return {
    readDir(path) {
      const prefix = `${path}/`;
      const names = new Map<string, 'file' | 'directory'>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'directory');
      }
      if (names.size === 0) return Promise.reject(new Error(`ENOENT: scandir '${path}'`));
      return Promise.resolve([...names].map(([name, type]) => ({ name, type })));
    },
    readFile(path) {
      const t = files[path];
      return t === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(t);
    },
  };
}

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {herald.io/tenant: acme}}\n';
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata: {name: hooks, namespace: team-a}\nstringData: {url: "https://a.example.org/"}\n';
const AMC = 'apiVersion: monitoring.coreos.com/v1beta1\nkind: AlertmanagerConfig\nmetadata: {name: a, namespace: team-a}\nspec: {}\n';

function setup(files: Record<string, string>) {
  const calls: Array<{ input: ReconcileInput; problems: readonly ManifestProblem[]; kept: readonly string[] }> = [];
  const clock = new StepClock();
  const poller = createManifestPoller({
    dir: '/m',
    fs: memoryFs(files),
    clock,
    logger: NOOP_LOGGER,
    intervalMs: 10_000,
    onChange: (input, problems, kept) => Promise.resolve(void calls.push({ input, problems, kept })),
  });
  return { calls, clock, poller };
}

describe('createManifestPoller', () => {
  it('hands over objects, namespaces and secrets, and only when the directory changed', async () => {
    const files: Record<string, string> = { '/m/ns.yaml': NS, '/m/team-a/amc.yaml': `${AMC}---\n${SECRET}` };
    const { calls, poller } = setup(files);
    expect(await poller.poll()).toBe(true);
    const first = calls[0]?.input;
    expect(first?.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['AlertmanagerConfig team-a/a']);
    expect(first?.namespaces).toEqual([{ name: 'team-a', labels: { 'herald.io/tenant': 'acme' } }]);
    expect(await first?.secrets('team-a', 'hooks', 'url')).toBe('https://a.example.org/');
    expect(await first?.secrets('other', 'hooks', 'url')).toBeUndefined();
    expect(await poller.poll()).toBe(false);
    files['/m/team-a/amc.yaml'] = AMC.replace('name: a', 'name: b');
    expect(await poller.poll()).toBe(true);
    expect(calls[1]?.input.objects.map((o) => o.metadata.name)).toEqual(['b']);
    delete files['/m/team-a/amc.yaml'];
    expect(await poller.poll()).toBe(true);
    expect(calls[2]?.input.objects).toEqual([]);
  });

  it('passes manifest problems along and keeps the last snapshot when the directory is gone', async () => {
    const files: Record<string, string> = { '/m/bad.yaml': 'kind: [\n', '/m/ok.yaml': AMC };
    const { calls, poller } = setup(files);
    await poller.poll();
    expect(calls[0]?.problems.map((p) => p.file)).toEqual(['/m/bad.yaml']);
    expect(calls[0]?.input.objects).toHaveLength(1);
    for (const k of Object.keys(files)) delete files[k];
    expect(await poller.poll()).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('keeps the last good version of a file with problems until it is fixed or deleted', async () => {
    const files: Record<string, string> = { '/m/ns.yaml': NS, '/m/team-a/amc.yaml': AMC, '/m/b.yaml': AMC.replace('name: a', 'name: b') };
    const { calls, poller } = setup(files);
    await poller.poll();
    const names = (i: number): string[] | undefined => calls[i]?.input.objects.map((o) => o.metadata.name);
    expect(names(0)).toEqual(['b', 'a']);
    files['/m/team-a/amc.yaml'] = `${AMC.replace('spec: {}', 'spec: {route: {receiver: x}}')}---\nkind: [\n`;
    expect(await poller.poll()).toBe(true);
    expect(calls[1]?.problems.map((p) => p.file)).toEqual(['/m/team-a/amc.yaml']);
    expect(calls[1]?.kept).toEqual(['/m/team-a/amc.yaml']);
    expect(calls[1]?.input.objects.find((o) => o.metadata.name === 'a')?.spec).toEqual({});
    expect(calls[1]?.input.namespaces).toEqual([{ name: 'team-a', labels: { 'herald.io/tenant': 'acme' } }]);
    // Fixed: the new version is used; then broken again: the fixed version is the last good one.
    files['/m/team-a/amc.yaml'] = AMC.replace('spec: {}', 'spec: {route: {receiver: y}}');
    await poller.poll();
    expect(calls[2]?.kept).toEqual([]);
    files['/m/team-a/amc.yaml'] = 'kind: [\n';
    await poller.poll();
    expect(calls[3]?.input.objects.find((o) => o.metadata.name === 'a')?.spec).toEqual({ route: { receiver: 'y' } });
    // Deleted: gone, not kept.
    delete files['/m/team-a/amc.yaml'];
    await poller.poll();
    expect(names(4)).toEqual(['b']);
  });

  it('uses what parsed of a file that never read cleanly', async () => {
    const { calls, poller } = setup({ '/m/a.yaml': `${AMC}---\nkind: [\n` });
    await poller.poll();
    expect(calls[0]?.input.objects.map((o) => o.metadata.name)).toEqual(['a']);
    expect(calls[0]?.kept).toEqual([]);
  });

  it('polls on its interval until stopped, and checks its options', async () => {
    const files: Record<string, string> = { '/m/a.yaml': AMC };
    const { calls, clock, poller } = setup(files);
    poller.start();
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(1);
    files['/m/a.yaml'] = AMC.replace('name: a', 'name: c');
    clock.advance(10_000);
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(2);
    poller.stop();
    files['/m/a.yaml'] = AMC;
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(2);
    expect(clock.pending()).toBe(0);
    expect(() => createManifestPoller({ dir: '/m', fs: memoryFs({}), clock, logger: NOOP_LOGGER, intervalMs: 0, onChange: () => Promise.resolve() })).toThrow(/intervalMs must be > 0/);
  });
});
