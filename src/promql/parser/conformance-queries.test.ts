import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printExpr } from '../printer.js';
import { formatParseError, parseExpr } from './index.js';

// Every query of the upstream promqltest scripts must parse (unless the script expects a failure)
// and print to text that parses back to the same text.
const DIR = '/work/shared/conformance/promql';
const EVAL = /^\s*eval(?:_fail|_warn|_info|_ordered)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/;
const ALL = { experimentalFunctions: true, enableDurationExpressions: true, enableExtendedRangeSelectors: true, enableBinopFillModifiers: true };

function queries(): Array<[string, string, boolean]> {
  const out: Array<[string, string, boolean]> = [];
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.test'))) {
    const lines = readFileSync(`${DIR}/${f}`, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = EVAL.exec(line);
      if (m?.[1] !== undefined) out.push([`${f}:${i + 1}`, m[1], (lines[i + 1] ?? '').includes('expect fail') || line.includes('eval_fail')]);
    });
  }
  return out;
}

describe('conformance queries', () => {
  const all = queries();
  it('finds the scripts', () => {
    expect(all.length).toBeGreaterThan(1000);
  });
  it('parses and round-trips every query', () => {
    const problems: string[] = [];
    for (const [where, q, mayFail] of all) {
      const r = parseExpr(q, ALL);
      if (!r.ok) {
        if (!mayFail) problems.push(`${where}: ${q} => ${formatParseError(r.errors[0] as never)}`);
        continue;
      }
      const printed = printExpr(r.expr);
      const again = parseExpr(printed, ALL);
      if (!again.ok || printExpr(again.expr) !== printed) problems.push(`${where}: ${q} printed as ${printed} does not round-trip`);
    }
    expect(problems).toEqual([]);
  });
});
