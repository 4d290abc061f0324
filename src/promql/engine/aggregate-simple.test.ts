import { describe, expect, it } from 'vitest';
import { seriesMajor } from './aggregate-simple.js';
import type { Evaluating } from './context.js';
import { makeGrid, newSeries } from './series.js';
import type { StepSeries } from './series.js';

const N = 7;
const ev = { grid: makeGrid(0, N - 1, 1), ctx: { check: () => undefined } } as unknown as Evaluating;

/** Three series in two groups; values chosen so that compensation matters (1e16 + 1 - 1e16). */
function input(): StepSeries[] {
  const rows = [
    [1e16, 1, NaN, 5, -Infinity, 2, 0],
    [1, 1e16, 3, NaN, Infinity, 3, 0],
    [-1e16, -1e16, 4, 6, 1, NaN, 0],
  ];
  return rows.map((r, k) => {
    const s = newSeries({ k: String(k) }, N);
    r.forEach((v, i) => {
      if (i === 6 && k > 0) return; // step 6: only the first series is present
      s.has[i] = 1;
      s.v[i] = v;
    });
    return s;
  });
}

function run(op: 'sum' | 'count' | 'group' | 'min' | 'max', maxCells?: number): string[] {
  const out = [newSeries({ g: '0' }, N), newSeries({ g: '1' }, N)];
  seriesMajor(ev, op, input(), Int32Array.from([0, 0, 1]), out, maxCells);
  return out.map((o) => Array.from(o.v, (v, i) => (o.has[i] ? String(v) : '_')).join(' '));
}

describe('seriesMajor', () => {
  it.each([
    ['sum', ['10000000000000000 10000000000000000 NaN NaN NaN 5 0', '-10000000000000000 -10000000000000000 4 6 1 NaN _']],
    ['count', ['2 2 2 2 2 2 1', '1 1 1 1 1 1 _']],
    ['group', ['1 1 1 1 1 1 1', '1 1 1 1 1 1 _']],
    ['min', ['1 1 3 5 -Infinity 2 0', '-10000000000000000 -10000000000000000 4 6 1 NaN _']],
    ['max', ['10000000000000000 10000000000000000 3 5 Infinity 3 0', '-10000000000000000 -10000000000000000 4 6 1 NaN _']],
  ] as const)('%s', (op, want) => {
    expect(run(op)).toEqual(want);
  });

  it.each(['sum', 'count', 'group', 'min', 'max'] as const)('%s gives the same result in step blocks', (op) => {
    expect(run(op, 2)).toEqual(run(op));
    expect(run(op, 6)).toEqual(run(op));
  });

  it('keeps the compensation of a sum: 1e16 + 1 - 1e16 is 1', () => {
    const out = [newSeries({}, N)];
    const rows = [1e16, 1, -1e16].map((v) => {
      const s = newSeries({}, N);
      s.has[0] = 1;
      s.v[0] = v;
      return s;
    });
    seriesMajor(ev, 'sum', rows, Int32Array.from([0, 0, 0]), out, 1);
    expect(out[0]?.v[0]).toBe(1);
  });
});
