import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import { bucketIds, ChildIndex } from './child-index.js';

const child = (...pairs: [string, string][]) => ({ matchers: pairs.map(([n, v]) => mustMatcher(n, '=', v)) });

describe('ChildIndex', () => {
  it('indexes by the label name with the most distinct values, whatever the matcher order', () => {
    // Rendered AlertmanagerConfigs: every child has its own team matcher first, then the namespace.
    const kids = [];
    for (let j = 0; j < 200; j++) kids.push(child(['team', `cfg-${j % 4}`], ['namespace', `ns-${j % 50}`]));
    const ix = new ChildIndex(kids);
    expect(ix.names).toEqual(['namespace']);
    const hit = ix.single({ team: 'cfg-1', namespace: 'ns-5' })!;
    // ns-5's four candidates (5, 55, 105, 155) are told apart by team: cfg-1 is 5 and 105.
    expect(bucketIds(hit)).toEqual([5, 105]);
    expect(bucketIds(ix.single({ team: 'cfg-3', namespace: 'ns-5' })!)).toEqual([55, 155]);
    expect(ix.single({ team: 'cfg-9', namespace: 'ns-5' })).toBeUndefined();
    expect(ix.single({ namespace: 'ns-5' })).toBeUndefined();
  });

  it('splits a large bucket only by a name every candidate tests, keeping the rest of their matchers', () => {
    const kids = [
      child(['ns', 'a'], ['team', 'x'], ['sev', 'critical']),
      child(['ns', 'a'], ['team', 'y']),
      child(['ns', 'a'], ['team', 'x']),
      child(['ns', 'a'], ['team', 'z']),
      // Two children of ns=b lack `team`: that bucket stays flat.
      child(['ns', 'b'], ['team', 'x']),
      child(['ns', 'b']),
      child(['ns', 'b'], ['team', 'y']),
      child(['ns', 'b']),
      // More namespaces than teams, so `ns` is the first-level name.
      ...['c', 'd', 'e'].map((ns) => child(['ns', ns])),
    ];
    const ix = new ChildIndex(kids);
    expect(ix.names).toEqual(['ns']);
    const a = ix.single({ ns: 'a', team: 'x' })!;
    expect(bucketIds(a)).toEqual([0, 2]);
    // Candidate 0 still carries its `sev` matcher; 2 has none left.
    expect(a.slice(0, 3).map((v) => (typeof v === 'number' ? v : `${v.name}=${v.value}`))).toEqual([0, 1, 'sev=critical']);
    expect(a.slice(3)).toEqual([2, 0]);
    expect(bucketIds(ix.single({ ns: 'b', team: 'x' })!)).toEqual([4, 5, 6, 7]);
    expect(ix.candidates({ ns: 'a', team: 'z' })).toEqual([3]);
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
