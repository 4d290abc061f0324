/**
 * Prometheus' own PromQL conformance scripts (promql/promqltest/testdata, v3.14), read from
 * ../shared/conformance/promql and run through Herald's parser and engine: one `it` per eval
 * command, named `<file>:<line> <expr>`. Skips are listed, with reasons, in promqltest/skips.ts.
 * Set PROMQL_CONFORMANCE_REPORT=1 to also print per-file counts and the commonest failures, and
 * PROMQL_CONFORMANCE_ALL=1 to run the cases skipped as not implemented yet.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSession } from './promqltest/runner.js';
import type { CaseOutcome, ConformanceEngine } from './promqltest/runner.js';
import { parseScript } from './promqltest/script.js';
import { skipReason } from './promqltest/skips.js';

/** PROMQL_CONFORMANCE_ALL=1 also runs the cases skipped as not implemented yet. */
const RUN_ALL = process.env['PROMQL_CONFORMANCE_ALL'] === '1';
const DIR = fileURLToPath(new URL('../../../shared/conformance/promql/', import.meta.url));

/** Binds the real modules; imported dynamically so that a missing piece skips instead of breaking collection. */
async function loadEngine(): Promise<ConformanceEngine | string> {
  try {
    const parser = await import('./parser/index.js');
    const engine = await import('./engine/index.js');
    const printer = await import('./printer.js').catch(() => undefined);
    const functions = await import('./functions/registry.js');
    const scripted = engine.createEngine(functions.FUNCTION_IMPLS, { delayedNameRemoval: true });
    const options = { experimentalFunctions: true, enableDurationExpressions: true, enableExtendedRangeSelectors: true, enableBinopFillModifiers: true };
    const adapter: ConformanceEngine = {
      parse(input) {
        const r = parser.parseExpr(input, options);
        if (r.ok) return { ok: true, expr: r.expr };
        const first = r.errors[0];
        return { ok: false, message: first ? parser.formatParseError(first) : 'parse error' };
      },
      // As upstream's test engine: delayed __name__ removal on (promqltest.NewTestEngine).
      instantQuery: (source, expr, t, o) => scripted.instantQuery(source, expr, t, o),
      rangeQuery: (source, expr, start, end, step, o) => scripted.rangeQuery(source, expr, start, end, step, o),
    };
    if (printer) adapter.print = (e) => printer.printExpr(e);
    return adapter;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const engine = existsSync(DIR) ? await loadEngine() : `no conformance scripts at ${DIR}`;
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.test')).sort() : [];
const perFile = new Map<string, Tally>();
const failures: { file: string; line: number; expr: string; message: string }[] = [];

function tally(file: string): Tally {
  let t = perFile.get(file);
  if (!t) perFile.set(file, (t = { passed: 0, failed: 0, skipped: 0 }));
  return t;
}

/** Groups failure texts by shape: numbers, quoted strings and label sets blanked out. */
function cause(message: string): string {
  return message
    .replace(/^error in eval .*? \(line \d+\)( range mode)?: /, '$1')
    .replace(/^error evaluating query ".*?" \(line \d+\)/, 'error evaluating query')
    .replace(/\{[^{}]*\}/g, '{…}')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N')
    .slice(0, 160);
}

if (typeof engine === 'string') {
  describe.skip(`promql conformance: engine not available (${engine})`, () => {
    it('runs the upstream scripts', () => undefined);
  });
} else {
  for (const file of files) {
    const parsed = parseScript(readFileSync(`${DIR}${file}`, 'utf8'));
    describe(file, () => {
      if (!parsed.ok) {
        it(`${file} parses`, () => {
          tally(file).failed++;
          expect.fail(`${file}:${parsed.issues[0]?.range?.start.line ?? 0}: ${parsed.issues[0]?.message ?? ''}`);
        });
        return;
      }
      const session = new ScriptSession(parsed.value, engine);
      for (const { index, cmd } of session.evals()) {
        const name = `${file}:${cmd.line} ${cmd.expr}`;
        const reason = skipReason(file, cmd, { all: RUN_ALL });
        if (reason !== undefined) {
          tally(file).skipped++;
          it.skip(`${name} (${reason})`, () => undefined);
          continue;
        }
        it(name, async (ctx) => {
          const out: CaseOutcome = await session.run(index);
          const t = tally(file);
          if (out.status === 'skip') {
            t.skipped++;
            ctx.skip(out.reason);
            return;
          }
          if (out.status === 'fail') {
            t.failed++;
            failures.push({ file, line: cmd.line, expr: cmd.expr, message: out.message });
            expect.fail(out.message);
          }
          t.passed++;
        });
      }
    });
  }

  afterAll(() => {
    const sum = { passed: 0, failed: 0, skipped: 0 };
    for (const t of perFile.values()) {
      sum.passed += t.passed;
      sum.failed += t.failed;
      sum.skipped += t.skipped;
    }
    let out = `promql conformance: passed ${sum.passed} / failed ${sum.failed} / skipped ${sum.skipped}\n`;
    if (process.env['PROMQL_CONFORMANCE_REPORT']) {
      for (const [f, t] of [...perFile.entries()].sort()) out += `  ${f}: passed ${t.passed} / failed ${t.failed} / skipped ${t.skipped}\n`;
      const groups = new Map<string, { n: number; example: string }>();
      for (const x of failures) {
        const key = cause(x.message);
        const g = groups.get(key) ?? { n: 0, example: `${x.file}:${x.line} ${x.expr}` };
        g.n++;
        groups.set(key, g);
      }
      out += 'top failure causes:\n';
      for (const [k, g] of [...groups.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 40)) out += `  ${g.n} × ${k}\n      e.g. ${g.example}\n`;
    }
    process.stdout.write(out);
  });
}
