import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfDirectory } from './conf-dir.js';
import type { ConfDirFs } from './conf-dir.js';

const NODE_FS: ConfDirFs = { readDir: (p) => readdir(p), readFile: (p, e) => readFile(p, e), stat: (p) => stat(p) };

describe('ConfDirectory over node:fs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-confd-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists top-level yaml files only, follows symlinks, and keeps unchanged files', async () => {
    await writeFile(join(dir, '_defaults.yaml'), 'defaults: {}\n');
    await mkdir(join(dir, '..2026_data'));
    await writeFile(join(dir, '..2026_data', 'db-a.yaml'), 'mysql_cpu: 1\n');
    await symlink(join(dir, '..2026_data', 'db-a.yaml'), join(dir, 'db-a.yaml'));
    await mkdir(join(dir, 'sub.yaml'));
    await writeFile(join(dir, '.hidden.yml'), 'x: 1\n');
    await writeFile(join(dir, 'notes.txt'), 'x\n');
    const d = new ConfDirectory(dir, NODE_FS);
    const first = await d.read();
    expect([...first.files.keys()]).toEqual(['_defaults.yaml', 'db-a.yaml']);
    expect(first.files.get('db-a.yaml')?.text).toBe('mysql_cpu: 1\n');
    const second = await d.read();
    expect(second.files.get('db-a.yaml')).toBe(first.files.get('db-a.yaml'));
    await writeFile(join(dir, '..2026_data', 'db-a.yaml'), 'mysql_cpu: 22\n');
    const third = await d.read();
    expect(third.files.get('db-a.yaml')?.hash).not.toBe(first.files.get('db-a.yaml')?.hash);
  });

  it('throws when the directory is missing', async () => {
    await expect(new ConfDirectory(join(dir, 'nope'), NODE_FS).read()).rejects.toThrow(/ENOENT/);
  });
});
