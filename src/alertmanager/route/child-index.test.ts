import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import { bucketIds, ChildIndex, SPLIT_MIN_CANDIDATES } from './child-index.js';

const child = (...pairs: [string, string][]) => ({ matchers: pairs.map(([n, v]) => mustMatcher(n, '=', v)) });

describe('ChildIndex', () => {
  it('indexes by the label name with the most distinct values, whatever the matcher order', () => {
    // Rendered AlertmanagerConfigs: every child has its own team matcher first, then the namespace.
    const kids: ReturnType<typeof child>[] = [];
    for (let j = 0; j < 50 * SPLIT_MIN_CANDIDATES; j++) kids.push(child(['team', `cfg-${j % 4}`], ['namespace', `ns-${j % 50}`]));
    const ix = new ChildIndex(kids);
    expect(ix.names).toEqual(['namespace']);
    // ns-5's candidates (5, 55, 105, ...) are told apart by team: cfg-1 is every other one from 5.
    const of = (team: number) => kids.map((_, j) => j).filter((j) => j % 50 === 5 && j % 4 === team);
    expect(bucketIds(ix.single({ team: 'cfg-1', namespace: 'ns-5' })!)).toEqual(of(1));
    expect(bucketIds(ix.single({ team: 'cfg-3', namespace: 'ns-5' })!)).toEqual(of(3));
    expect(ix.single({ team: 'cfg-9', namespace: 'ns-5' })).toBeUndefined();
    expect(ix.single({ namespace: 'ns-5' })).toBeUndefined();
  });

  it('scans a bucket below the split size: its candidates keep every matcher but the indexed one', () => {
    const kids: ReturnType<typeof child>[] = [];
    for (let j = 0; j < 50 * (SPLIT_MIN_CANDIDATES - 1); j++) kids.push(child(['team', `cfg-${j % 4}`], ['namespace', `ns-${j % 50}`]));
    const hit = new ChildIndex(kids).single({ team: 'cfg-1', namespace: 'ns-5' })!;
    expect(bucketIds(hit)).toEqual(kids.map((_, j) => j).filter((j) => j % 50 === 5));
    expect(hit.slice(0, 3).map((v) => (typeof v === 'number' ? v : `${v.name}=${v.value}`))).toEqual([5, 1, 'team=cfg-1']);
  });

  it('splits a large bucket only by a name every candidate tests, keeping the rest of their matchers', () => {
    const n = SPLIT_MIN_CANDIDATES;
    const kids = [
      // ns=a: n children, each testing `team` (x, y, z in turn); the first also tests `sev`.
      child(['ns', 'a'], ['team', 'x'], ['sev', 'critical']),
      ...Array.from({ length: n - 1 }, (_, i) => child(['ns', 'a'], ['team', ['y', 'z', 'x'][i % 3] as string])),
      // ns=b: n children, two of which lack `team`: that bucket stays flat.
      child(['ns', 'b']),
      child(['ns', 'b']),
      ...Array.from({ length: n - 2 }, () => child(['ns', 'b'], ['team', 'x'])),
      // More namespaces than teams, so `ns` is the first-level name.
      ...['c', 'd', 'e', 'f'].map((ns) => child(['ns', ns])),
    ];
    const ix = new ChildIndex(kids);
    expect(ix.names).toEqual(['ns']);
    const a = ix.single({ ns: 'a', team: 'x' })!;
    const xs = kids.map((_, j) => j).filter((j) => j < n && (j === 0 || (j - 1) % 3 === 2));
    expect(bucketIds(a)).toEqual(xs);
    // Candidate 0 still carries its `sev` matcher; the others have none left.
    expect(a.slice(0, 3).map((v) => (typeof v === 'number' ? v : `${v.name}=${v.value}`))).toEqual([0, 1, 'sev=critical']);
    expect(a.slice(3, 5)).toEqual([xs[1], 0]);
    expect(bucketIds(ix.single({ ns: 'b', team: 'x' })!)).toEqual(Array.from({ length: n }, (_, i) => n + i));
    expect(ix.candidates({ ns: 'a', team: 'z' })).toEqual(kids.map((_, j) => j).filter((j) => j > 0 && j < n && (j - 1) % 3 === 1));
  });

  it('breaks a tie on distinct values by how many children test the name', () => {
    // a and b both have two values; b is tested by more children, so the last child goes under b.
    const kids = [child(['a', '1']), child(['a', '2']), child(['b', '1']), child(['b', '2']), child(['b', '1']), child(['a', '1'], ['b', '2'])];
    const ix = new ChildIndex(kids);
    expect(ix.candidates({ a: '1', b: '1' })).toEqual([0, 2, 4]);
    expect(ix.candidates({ a: '1', b: '2' })).toEqual([0, 3, 5]);
  });

  it('keeps children without an equality matcher apart, in order', () => {
    const kids = [child(['x', '1']), { matchers: [mustMatcher('x', '=~', '.*')] }, child(['x', '2'])];
    const ix = new ChildIndex(kids);
    expect(ix.rest).toEqual([1]);
    expect(bucketIds(ix.single({ x: '2' })!)).toEqual([2]);
    expect(ix.single({})).toBeUndefined();
    expect(ix.candidates({ x: '2' })).toEqual([1, 2]);
    expect(ix.candidates({ x: '9' })).toEqual([1]);
    const more = new ChildIndex([child(['x', '1']), { matchers: [] }, child(['x', '2']), child(['x', '1']), { matchers: [] }]);
    expect(more.candidates({ x: '1' })).toEqual([0, 1, 3, 4]);
  });
});
