/**
 * The shipped rule packs with the real Prometheus tools: `promtool check rules` accepts every pack
 * and `promtool test rules` passes every pack's unit tests (rule-packs/tests/), as `herald rules
 * check|test` (the built CLI) do on the same files. The contract itself (selectors vs the threshold
 * engine, metrics vs exporters) is src/thresholds/packs-contract/shipped-packs.test.ts.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';
import { REPO_ROOT } from './helpers/server.js';

const PACKS_DIR = join(REPO_ROOT, 'rule-packs');
const TESTS_DIR = join(PACKS_DIR, 'tests');
const PACKS = readdirSync(PACKS_DIR).filter((f) => f.endsWith('.yaml')).sort();
const TESTS = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.test.yml')).sort();
const HERALD_BIN = join(REPO_ROOT, 'bin', 'herald.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describeWithPeers(['promtool'], 'shipped rule packs with promtool', () => {
  it('ships nine packs, each with unit tests', () => {
    expect(PACKS).toHaveLength(9);
    expect(TESTS).toEqual(PACKS.map((p) => p.replace(/\.yaml$/, '.test.yml')));
  });

  it('promtool check rules accepts every pack, with the same rule counts as herald rules check', async () => {
    const want = await run('promtool', ['check', 'rules', ...PACKS], PACKS_DIR);
    expect(want.stderr).toBe('');
    expect(want.code).toBe(0);
    const got = await run(process.execPath, [HERALD_BIN, 'rules', 'check', ...PACKS], PACKS_DIR);
    expect(got.code).toBe(0);
    expect(got.stdout).toBe(want.stdout);
  });

  it.each(TESTS)('%s: promtool test rules passes, as herald rules test does', async (file) => {
    const want = await run('promtool', ['test', 'rules', file], TESTS_DIR);
    expect(want.stderr).toBe('');
    expect(want.stdout).toContain('SUCCESS');
    expect(want.code).toBe(0);
    const got = await run(process.execPath, [HERALD_BIN, 'rules', 'test', file], TESTS_DIR);
    expect(got.stdout).toBe(want.stdout);
    expect(got.code).toBe(0);
  });
});
