/**
 * `herald rules test FILE...`: Prometheus' rule unit tests, printed as `promtool test rules` 2.42
 * prints them (cmd/promtool/unittest.go RulesUnitTest): `Unit Testing:  FILE` on stdout, then
 * `  SUCCESS`, or `  FAILED:` and each failure on stderr, each followed by an empty stdout line.
 * Exit code 0 when every file passes, 1 otherwise (also for a file that does not exist, as
 * promtool's argument check does).
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../core/runtime.js';
import { createEvalGroup } from '../ruler/eval/index.js';
import { expandAlertTemplate } from '../ruler/template/index.js';
import { runTestFile } from '../ruler/unittest/index.js';
import type { UnitTestEnv, UnitTestFs } from '../ruler/unittest/index.js';
import type { Output } from './output.js';

/** The local file system as the unit tests see it. */
export const NODE_UNIT_TEST_FS: UnitTestFs = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readDir: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  exists: (path) => {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  },
};

/** Groups evaluated by Herald's ruler with Prometheus' alert templates, restored from the start (the default). */
export function defaultUnitTestEnv(fs: UnitTestFs = NODE_UNIT_TEST_FS): UnitTestEnv {
  return {
    fs,
    createGroup: ({ namespace, config, settings, backend }) =>
      createEvalGroup({ tenant: 'rules-test', namespace, config, settings, backend, clock: SYSTEM_CLOCK, logger: NOOP_LOGGER, expandTemplate: expandAlertTemplate }),
  };
}

/** Runs the unit-test files; resolves with the exit code. */
export async function runRulesTest(files: readonly string[], out: Output, env: UnitTestEnv = defaultUnitTestEnv()): Promise<number> {
  for (const f of files) {
    if (!env.fs.exists(f)) {
      out.err(`herald: error: path '${f}' does not exist`);
      return 1;
    }
  }
  let failed = false;
  for (const f of files) {
    out.out(`Unit Testing:  ${f}`);
    const r = await runTestFile(f, env);
    for (const w of r.warnings) out.err(w);
    if (r.failures.length > 0) {
      failed = true;
      out.err('  FAILED:');
      for (const e of r.failures) {
        out.err(e);
        out.out('');
      }
    } else {
      out.out('  SUCCESS');
    }
    out.out('');
  }
  return failed ? 1 : 0;
}
