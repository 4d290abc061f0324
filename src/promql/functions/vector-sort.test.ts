import { describe, expect, it } from 'vitest';
import { compareLabels, naturalLess } from './natural-order.js';
import { sample, vctx } from './test-helpers.js';
import type { KernelSample } from './types.js';
import { clamp, sortAsc, sortByLabel, sortByLabelDesc, sortDesc } from './vector-sort.js';

function values(out: readonly KernelSample[] | Error): number[] {
  if (out instanceof Error) throw out;
  return out.map((s) => s.v);
}

function ids(out: readonly KernelSample[] | Error, label = 'id'): string[] {
  if (out instanceof Error) throw out;
  return out.map((s) => s.labels[label] ?? '');
}

describe('sort / sort_desc', () => {
  const input = [3, NaN, 1, 2, NaN, -Infinity].map((v, i) => sample({ id: String(i) }, v));
  it('ascending with NaN last', () => {
    expect(values(sortAsc(input, vctx().ctx))).toEqual([-Infinity, 1, 2, 3, NaN, NaN]);
  });
  it('descending with NaN last', () => {
    expect(values(sortDesc(input, vctx().ctx))).toEqual([3, 2, 1, -Infinity, NaN, NaN]);
  });
  it('NaNs end up in reverse input order, as Go insertion sort leaves them', () => {
    expect(ids(sortAsc(input, vctx().ctx))).toEqual(['5', '2', '3', '0', '4', '1']);
  });
  it('keeps names and does not modify the input', () => {
    const out = sortAsc(input, vctx().ctx) as KernelSample[];
    expect(out.every((s) => s.keepName === true)).toBe(true);
    expect(input[0]?.v).toBe(3);
  });
  it('sorts long vectors too', () => {
    const long = Array.from({ length: 50 }, (_, i) => sample({ id: String(i) }, (i * 37) % 50));
    expect(values(sortAsc(long, vctx().ctx))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(values(sortDesc([...long, sample({}, NaN)], vctx().ctx)).at(-1)).toBeNaN();
  });
});

describe('natural order (facette/natsort at 2cd4dd1e)', () => {
  it.each([
    ['a2', 'a10', true],
    ['a10', 'a2', false],
    ['a02', 'a1', false],
    ['a1', 'a01', true],
    ['a01', 'a1', true],
    ['abc', 'abd', true],
    ['x', 'x1', true],
    ['x1', 'x', false],
    ['', 'a', false],
    ['a', '', false],
    ['9', '10', true],
    ['Cluster10', 'cluster2', true],
    ['99999999999999999999', '1', false],
    ['1', '99999999999999999999', true],
  ])('%j < %j is %s', (a, b, want) => expect(naturalLess(a, b)).toBe(want));
});

describe('sort_by_label', () => {
  const input = [
    sample({ __name__: 'http', instance: '10', job: 'b' }, 1),
    sample({ __name__: 'http', instance: '2', job: 'a' }, 2),
    sample({ __name__: 'http', instance: '2', job: 'c' }, 3),
    sample({ __name__: 'http', job: 'd' }, 4),
  ];
  // natsort.Compare("", x) and Compare(x, "") are both false, so a missing label stays where
  // Go's insertion sort leaves it: last ascending, first descending for this input order.
  it('natural order, ties by full label set', () => {
    expect(ids(sortByLabel(input, vctx([], ['instance']).ctx), 'job')).toEqual(['a', 'c', 'b', 'd']);
  });
  it('descending', () => {
    expect(ids(sortByLabelDesc(input, vctx([], ['instance']).ctx), 'job')).toEqual(['d', 'b', 'c', 'a']);
  });
  it('with no labels sorts by label set', () => {
    expect(ids(sortByLabel(input, vctx().ctx), 'job')).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('compareLabels', () => {
  it.each([
    [{ a: '1' }, { a: '1' }, 0],
    [{ a: '1' }, { a: '2' }, -1],
    [{ a: '1' }, { a: '1', b: '1' }, -1],
    [{ b: '1' }, { a: '1', b: '1' }, 1],
  ])('%j vs %j', (a, b, sign) => expect(Math.sign(compareLabels(a, b))).toBe(sign));
});

describe('clamp', () => {
  const input = [sample({ __name__: 'x', id: 'a' }, -5), sample({ id: 'b' }, 5), sample({ id: 'c' }, NaN)];
  it('clamps and drops names', () => {
    const out = clamp(input, vctx([-1, 1]).ctx) as KernelSample[];
    expect(out.map((s) => s.v)).toEqual([-1, 1, NaN]);
    expect(out[0]?.labels).toEqual({ id: 'a' });
    expect(out[0]?.keepName).toBeUndefined();
  });
  it('is empty when max < min', () => {
    expect(clamp(input, vctx([1, -1]).ctx)).toEqual([]);
  });
});
