import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printExpr } from '../printer.js';
import { parseExpr } from './index.js';

// Mutated conformance queries (a fixed pseudo-random sequence): the parser must never throw, must
// keep error positions inside the input, and what it accepts must print and re-parse identically.
const DIR = '/work/shared/conformance/promql';
const EVAL = /^\s*eval\S*\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/;
const ALPHABET = '(){}[]:,+-*/^%@"\'`=!~<> abcxyz0123456789.\\#\n';
const ALL = { experimentalFunctions: true, enableDurationExpressions: true, enableExtendedRangeSelectors: true, enableBinopFillModifiers: true };

function mutants(count: number): string[] {
  const seeds: string[] = [];
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.test'))) {
    for (const line of readFileSync(`${DIR}/${f}`, 'utf8').split('\n')) {
      const m = EVAL.exec(line);
      if (m?.[1] !== undefined) seeds.push(m[1]);
    }
  }
  let state = 42;
  const rnd = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let q = seeds[rnd(seeds.length)] as string;
    for (let j = 1 + rnd(3); j > 0; j--) {
      const p = rnd(q.length + 1);
      const c = ALPHABET[rnd(ALPHABET.length)] as string;
      const kind = rnd(3);
      q = kind === 0 ? q.slice(0, p) + q.slice(p + 1) : kind === 1 ? q.slice(0, p) + c + q.slice(p) : q.slice(0, p) + c + q.slice(p + 1);
    }
    out.push(q);
  }
  return out;
}

describe('parser fuzz', () => {
  it('survives mutated queries', () => {
    const problems: string[] = [];
    for (const q of mutants(3000)) {
      try {
        const r = parseExpr(q, ALL);
        if (!r.ok) {
          for (const e of r.errors) {
            if (e.pos.start < 0 || e.pos.end > q.length || e.pos.start > e.pos.end) problems.push(`${JSON.stringify(q)}: bad position`);
          }
          continue;
        }
        const printed = printExpr(r.expr);
        const again = parseExpr(printed, ALL);
        if (!again.ok || printExpr(again.expr) !== printed) problems.push(`${JSON.stringify(q)}: no round trip via ${printed}`);
      } catch (e) {
        problems.push(`${JSON.stringify(q)}: threw ${String(e)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
