/**
 * `herald rules test` against `promtool test rules` (Prometheus 2.42) on the same unit-test files:
 * the same verdict per file and exit code, the same stdout, and byte-identical failure texts for
 * test failures (alert and expression diffs, rule errors, rule-file errors). Files whose problem is
 * the test file itself get Herald's own positioned messages; only their verdict is compared.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';
import { REPO_ROOT } from './helpers/server.js';

const HERALD_BIN = join(REPO_ROOT, 'bin', 'herald.js');

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'rules-unittest');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

/** Test files that promtool rejects with yaml.v2's texts; Herald says the same with line and column. */
const OWN_MESSAGES = new Set(['bad-test-file.yml']);

/** Expected verdicts, so a fixture that stops testing what its comment says is noticed. */
const FAILING = new Set(['alerts-fail.yml', 'bad-test-file.yml', 'broken-rules.yml', 'eval-error.yml', 'promql-fail.yml']);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function promtool(files: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('promtool', ['test', 'rules', ...files], { cwd: DIR, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

/** The real `herald rules test` command (bin/herald.js over dist/), run where promtool runs. */
function herald(files: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HERALD_BIN, 'rules', 'test', ...[...files]], { cwd: DIR, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describeWithPeers(['promtool'], 'herald rules test vs promtool test rules', () => {
  it('has fixtures', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(FILES)('%s: same verdict, exit code and output', async (file) => {
    const want = await promtool([file]);
    const got = await herald([file]);
    expect(want.code).toBe(FAILING.has(file) ? 1 : 0);
    expect(got.code).toBe(want.code);
    if (OWN_MESSAGES.has(file)) {
      expect(got.stdout.split('\n')[0]).toBe(want.stdout.split('\n')[0]);
      expect(got.stderr.split('\n')[0]).toBe('  FAILED:');
      expect(got.stderr).toContain(`${file}: line 8, column 5: field alert_rule_tests not found in type testGroup`);
      expect(got.stderr).toContain(`${file}: line 7, column 18: up{job="api" 1 1x: expected "," or "}" in label set`);
      return;
    }
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toBe(want.stderr);
  });

  it('fails the run when one of several files fails, and tests every file', async () => {
    const files = ['alerts-pass.yml', 'promql-fail.yml', 'stale-absent.yml'];
    const want = await promtool(files);
    const got = await herald(files);
    expect(want.code).toBe(1);
    expect(got.code).toBe(1);
    expect(got.stdout).toBe(want.stdout);
    expect(got.stderr).toBe(want.stderr);
  });

  it('refuses a file that does not exist with exit code 1, testing nothing', async () => {
    const want = await promtool(['alerts-pass.yml', 'nope.yml']);
    const got = await herald(['alerts-pass.yml', 'nope.yml']);
    expect(want.code).toBe(1);
    expect(got.code).toBe(1);
    expect(want.stdout).toBe('');
    expect(got.stdout).toBe('');
    expect(got.stderr).toBe("herald: error: path 'nope.yml' does not exist\n");
  });
});
