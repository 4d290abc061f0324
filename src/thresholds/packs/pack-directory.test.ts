import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { PackDirectory } from './pack-directory.js';
import { MemoryFs } from './test-kit.test-util.js';

const GOOD = 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n';

describe('PackDirectory', () => {
  it('loads *.yaml and *.yml as pack:<name>, skipping hidden and other files', async () => {
    const fs = new MemoryFs('/p');
    fs.write('redis.yaml', GOOD);
    fs.write('mysql.yml', GOOD.replace('name: g', 'name: h'));
    fs.write('.hidden.yaml', GOOD);
    fs.write('README.md', '# packs');
    const dir = new PackDirectory('/p', fs, NOOP_LOGGER);
    expect(await dir.poll()).toBe(true);
    expect([...dir.rules()].map(([ns, groups]) => [ns, groups.map((g) => g.name)])).toEqual([
      ['pack:mysql', ['h']],
      ['pack:redis', ['g']],
    ]);
    expect(dir.errors()).toEqual([]);
    expect(await dir.poll()).toBe(false);
  });

  it('reports a second file for the same pack name and ignores it', async () => {
    const fs = new MemoryFs('/p');
    fs.write('a.yaml', GOOD);
    fs.write('a.yml', GOOD.replace('name: g', 'name: other'));
    const dir = new PackDirectory('/p', fs, NOOP_LOGGER);
    await dir.poll();
    expect([...dir.rules()].map(([ns, g]) => [ns, g.map((x) => x.name)])).toEqual([['pack:a', ['g']]]);
    expect(dir.errors()).toEqual([{ namespace: 'pack:a', file: '/p/a.yaml', messages: ['rule pack "pack:a" is already defined by /p/a.yaml; /p/a.yml is ignored'] }]);
  });

  it('keeps the last good groups of a broken file, and forgets the error once fixed', async () => {
    const fs = new MemoryFs('/p');
    fs.write('a.yaml', GOOD);
    const dir = new PackDirectory('/p', fs, NOOP_LOGGER);
    await dir.poll();
    fs.write('a.yaml', 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n        unknown_field: 1\n');
    expect(await dir.poll()).toBe(true);
    expect(dir.rules().get('pack:a')?.[0]?.name).toBe('g');
    expect(dir.errors()[0]?.messages.join('\n')).toContain('/p/a.yaml: yaml: unmarshal errors:\n  line 6: field unknown_field not found');
    fs.write('a.yaml', GOOD);
    expect(await dir.poll()).toBe(true);
    expect(dir.errors()).toEqual([]);
  });

  it('reports a pack that never loaded without groups, and drops removed packs', async () => {
    const fs = new MemoryFs('/p');
    fs.write('bad.yaml', 'groups: [');
    fs.write('ok.yaml', GOOD);
    const dir = new PackDirectory('/p', fs, NOOP_LOGGER);
    await dir.poll();
    expect([...dir.rules().keys()]).toEqual(['pack:ok']);
    expect(dir.errors().map((e) => e.namespace)).toEqual(['pack:bad']);
    fs.remove('ok.yaml');
    expect(await dir.poll()).toBe(true);
    expect([...dir.rules().keys()]).toEqual([]);
  });
});

describe('PackDirectory with a pack list', () => {
  it('loads only the listed packs', async () => {
    const fs = new MemoryFs('/p');
    fs.write('mariadb.yaml', GOOD);
    fs.write('redis.yaml', GOOD);
    const dir = new PackDirectory('/p', fs, NOOP_LOGGER, ['redis', 'absent']);
    await dir.poll();
    expect([...dir.rules().keys()]).toEqual(['pack:redis']);
  });
});
