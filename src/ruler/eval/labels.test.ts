import { describe, expect, it } from 'vitest';
import { mergeLabels, seriesKey, sortLabels } from './labels.js';

describe('seriesKey', () => {
  it.each([
    [{}, ''],
    [{ a: '1' }, 'a\xff1\xff'],
    [{ a: '1', b: '2' }, 'a\xff1\xffb\xff2\xff'],
    // Names not in order are sorted first (Go byte order: upper case before lower case).
    [{ b: '2', a: '1' }, 'a\xff1\xffb\xff2\xff'],
    [{ b: '2', B: '3', __name__: 'm' }, 'B\xff3\xff__name__\xffm\xffb\xff2\xff'],
  ])('%j', (labels, want) => {
    expect(seriesKey(labels)).toBe(want);
  });

  it('tells apart label sets whose concatenations would collide', () => {
    expect(seriesKey({ a: 'b', c: '' })).not.toBe(seriesKey({ a: 'bc' }));
  });
});

describe('sortLabels / mergeLabels', () => {
  it('sorts names, drops empty values, keeps the input untouched', () => {
    const input = { z: '1', a: '', m: '2' };
    const out = sortLabels(input);
    expect(Object.keys(out)).toEqual(['m', 'z']);
    expect(input).toEqual({ z: '1', a: '', m: '2' });
  });

  it('later layers win; an empty value deletes', () => {
    const out = mergeLabels({ job: 'a', team: 'x', __name__: 'm' }, { __name__: 'r' }, { team: '', env: 'prod' });
    expect(out).toEqual({ __name__: 'r', env: 'prod', job: 'a' });
    expect(Object.keys(out)).toEqual(['__name__', 'env', 'job']);
  });
});
