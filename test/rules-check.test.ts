/**
 * `herald rules check` against `promtool check rules` (Prometheus 2.42) on the same files: same
 * exit codes, same SUCCESS lines, and the same error lines except where Prometheus 3 (which Herald
 * follows) words them differently from 2.42; those lines are listed below with both texts.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';
import { REPO_ROOT } from './helpers/server.js';

const HERALD_BIN = join(REPO_ROOT, 'bin', 'herald.js');

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'rules');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

/** 2.42 line -> Prometheus 3 line (UTF-8 names: braces are the reason, not the name's syntax). */
const V3_DIFFERENCES: Readonly<Record<string, string>> = {
  'bad-rules.yml: 22:17: group "g1", rule 6, "strawberry{flavor=\\"sweet\\"}": invalid recording rule name: strawberry{flavor="sweet"}':
    'bad-rules.yml: 22:17: group "g1", rule 6, "strawberry{flavor=\\"sweet\\"}": braces present in the recording rule name; should it be in expr?: strawberry{flavor="sweet"}',
};

function promtool(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('promtool', ['check', 'rules', file], { cwd: DIR, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

/** The real `herald rules check` command (bin/herald.js over dist/), run where promtool runs. */
function herald(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HERALD_BIN, 'rules', 'check', file], { cwd: DIR, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

/** The problem lines (no `FAILED:`, no blank lines, no log lines). */
function problems(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && l !== '  FAILED:' && !l.startsWith('level=') && !l.startsWith('time='));
}

function stdoutLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '');
}

describeWithPeers(['promtool'], 'herald rules check vs promtool check rules', () => {
  it('has fixtures', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(FILES)('%s: same exit code, output and problems', async (file) => {
    const want = await promtool(file);
    const got = await herald(file);
    expect(got.code).toBe(want.code);
    expect(stdoutLines(got.stdout)).toEqual(stdoutLines(want.stdout));
    expect(problems(got.stderr)).toEqual(problems(want.stderr).map((l) => V3_DIFFERENCES[l] ?? l));
  });

  it('warns about a second YAML document as Prometheus 3 does, and checks only the first', async () => {
    const got = await herald('multi-doc.yml');
    expect(got.stderr).toContain('Multiple document yaml rules files are not supported, only the first document is processed');
    expect(got.stdout).toContain('SUCCESS: 1 rules found');
  });
});
