import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { RULEFMT_PARSER, RulesDirectory } from './rules-dir.js';
import type { RuleFileParser, RulesDirFs } from './rules-dir.js';

const FS: RulesDirFs = { readDir: (p) => readdir(p), readFile: (p, e) => readFile(p, e), stat: (p) => stat(p) };

const rules = (...names: string[]): string => `groups:\n${names.map((n) => `  - name: ${n}\n    rules:\n      - record: ${n}:sum\n        expr: up\n`).join('')}`;

describe('RulesDirectory', () => {
  let root = '';
  let parses: string[] = [];
  const parser: RuleFileParser = {
    parse: (text, file) => {
      parses.push(file);
      return RULEFMT_PARSER.parse(text, file);
    },
    format: (issues, file) => RULEFMT_PARSER.format(issues, file),
  };
  let mtime = 1_000;
  /** Writes with a fresh mtime, so a rewrite is seen even within the file system's time granularity. */
  const put = async (path: string, text: string): Promise<void> => {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    mtime += 10;
    await utimes(path, mtime, mtime);
  };
  const names = (d: RulesDirectory, tenant: string): string[] => [...d.rules(tenant)].map(([ns, gs]) => `${ns}:${gs.map((g) => g.name).join(',')}`);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'herald-rules-'));
    parses = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads <dir>/<tenant>/<namespace>.{yml,yaml}, skipping hidden entries and other files', async () => {
    await put(join(root, 't1', 'b.yaml'), rules('g3'));
    await put(join(root, 't1', 'a.yml'), rules('g2', 'g1'));
    await put(join(root, 't1', '.hidden.yml'), rules('no'));
    await put(join(root, 't1', 'notes.txt'), 'not rules');
    await put(join(root, '..data', 'x.yml'), rules('no'));
    await put(join(root, 'loose.yml'), rules('no'));
    await put(join(root, 't2', 'c.yml'), rules('g'));
    const d = new RulesDirectory(root, FS, parser, NOOP_LOGGER);
    expect([...(await d.poll())].sort()).toEqual(['t1', 't2']);
    expect(names(d, 't1')).toEqual(['a:g2,g1', 'b:g3']);
    expect(names(d, 't2')).toEqual(['c:g']);
    expect(d.tenants().sort()).toEqual(['t1', 't2']);
    expect(d.owns('t1', 'a')).toBe(true);
    expect(d.owns('t2', 'a')).toBe(false);
    expect(d.errors('t1')).toEqual([]);
  });

  it('parses only files whose size or mtime changed', async () => {
    await put(join(root, 't', 'a.yml'), rules('g'));
    await put(join(root, 't', 'b.yml'), rules('h'));
    const d = new RulesDirectory(root, FS, parser, NOOP_LOGGER);
    await d.poll();
    expect(parses).toHaveLength(2);
    expect([...(await d.poll())]).toEqual([]);
    expect(parses).toHaveLength(2);
    await put(join(root, 't', 'b.yml'), rules('h', 'i'));
    expect([...(await d.poll())]).toEqual(['t']);
    expect(parses.map((p) => p.slice(root.length))).toEqual(['/t/a.yml', '/t/b.yml', '/t/b.yml']);
    expect(names(d, 't')).toEqual(['a:g', 'b:h,i']);
  });

  it('keeps the last good groups of a broken file and reports it; a file never good defines no groups but owns its namespace', async () => {
    const a = join(root, 't', 'a.yml');
    await put(a, rules('g'));
    const d = new RulesDirectory(root, FS, parser, NOOP_LOGGER);
    await d.poll();
    await put(a, 'groups:\n  - name: g\n    rulez: []\n');
    await put(join(root, 't', 'b.yml'), 'groups: [');
    expect([...(await d.poll())]).toEqual(['t']);
    expect(names(d, 't')).toEqual(['a:g']);
    expect(d.owns('t', 'b')).toBe(true);
    const errors = d.errors('t');
    expect(errors.map((e) => [e.namespace, e.file])).toEqual([
      ['a', a],
      ['b', join(root, 't', 'b.yml')],
    ]);
    expect(errors[0]?.messages.join('\n')).toContain('rulez');
    await put(a, rules('g2'));
    await rm(join(root, 't', 'b.yml'));
    await d.poll();
    expect(names(d, 't')).toEqual(['a:g2']);
    expect(d.errors('t')).toEqual([]);
  });

  it('reports two files defining one namespace and keeps the first', async () => {
    await put(join(root, 't', 'a.yml'), rules('from-yml'));
    await put(join(root, 't', 'a.yaml'), rules('from-yaml'));
    const d = new RulesDirectory(root, FS, parser, NOOP_LOGGER);
    await d.poll();
    expect(names(d, 't')).toEqual(['a:from-yaml']);
    expect(d.errors('t')[0]?.messages).toEqual([`namespace "a" is already defined by ${join(root, 't', 'a.yaml')}; ${join(root, 't', 'a.yml')} is ignored`]);
  });

  it('drops a removed tenant; keeps everything when the root itself cannot be read', async () => {
    await put(join(root, 't', 'a.yml'), rules('g'));
    await put(join(root, 'u', 'a.yml'), rules('g'));
    const d = new RulesDirectory(root, FS, parser, NOOP_LOGGER);
    await d.poll();
    await rm(join(root, 'u'), { recursive: true });
    expect([...(await d.poll())]).toEqual(['u']);
    expect(d.tenants()).toEqual(['t']);
    await rm(root, { recursive: true });
    expect([...(await d.poll())]).toEqual([]);
    expect(names(d, 't')).toEqual(['a:g']);
  });
});
