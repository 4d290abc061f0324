import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS } from './limits.js';
import { LabelCache, hashBytes } from './label-cache.js';
import { decodeWriteRequest } from './protobuf.js';
import { validateKnownSeries, validationKey } from './validate.js';
import { label, lenField, sample, writeRequest } from './wire.test-util.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LabelCache', () => {
  it('finds an entry by equal bytes only, also when hashes collide', () => {
    const c = new LabelCache(0);
    const a = bytes('xxabcxx');
    const value = { names: ['a'], values: ['1'] };
    c.set(a, 2, 5, 7, value);
    expect(c.get(bytes('abc'), 0, 3, 7)).toBe(value);
    expect(c.get(bytes('abd'), 0, 3, 7)).toBeUndefined();
    expect(c.get(bytes('abcd'), 0, 4, 7)).toBeUndefined();
    const other = { names: ['b'], values: ['2'] };
    c.set(bytes('abd'), 0, 3, 7, other);
    expect(c.get(bytes('abd'), 0, 3, 7)).toBe(other);
    expect(c.get(bytes('abc'), 0, 3, 7)).toBe(value);
  });

  it('forgets entries not used for two rotations, by age or by size', () => {
    const c = new LabelCache(0, { maxAgeMs: 1000, maxEntries: 2 });
    const keep = { names: [], values: [] };
    const drop = { names: [], values: [] };
    c.set(bytes('k'), 0, 1, 1, keep);
    c.set(bytes('d'), 0, 1, 2, drop);
    c.tick(1000);
    expect(c.size).toBe(0);
    expect(c.get(bytes('k'), 0, 1, 1)).toBe(keep); // moved into the new generation
    c.tick(2000);
    expect(c.get(bytes('k'), 0, 1, 1)).toBe(keep);
    expect(c.get(bytes('d'), 0, 1, 2)).toBeUndefined();
    c.set(bytes('x'), 0, 1, 3, drop);
    c.tick(2001); // full: rotated before its age
    expect(c.size).toBe(0);
  });

  it('hashes with FNV-1a', () => {
    expect(hashBytes(bytes('a'), 0, 1)).toBe(0xe40c292c);
    expect(hashBytes(bytes(''), 0, 0)).toBe(0x811c9dc5);
  });
});

describe('decodeWriteRequest with a label cache', () => {
  const req = (v: number) => writeRequest([{ labels: [['__name__', 'up'], ['job', 'a']], samples: [[v, 1000]] }, { labels: [['__name__', 'up'], ['job', 'b']], samples: [[v, 1000]] }]);

  it('returns the cached label set for byte-identical labels and decodes the rest', () => {
    const cache = new LabelCache(0);
    const first = decodeWriteRequest(req(1), cache);
    const second = decodeWriteRequest(req(2), cache);
    if (!first.ok || !second.ok) throw new Error('decode failed');
    expect(second.value.series[0]!.cached).toBe(first.value.series[0]!.cached);
    expect(second.value.series[1]!.values).toEqual(['up', 'b']);
    expect(Array.from(second.value.series[1]!.v)).toEqual([2]);
  });

  it('decodes labels interleaved with samples without the cache, in wire order', () => {
    const cache = new LabelCache(0);
    const ts = [...label('__name__', 'up'), ...sample(1, 1000), ...label('job', 'a')];
    const r = decodeWriteRequest(Uint8Array.from(lenField(1, ts)), cache);
    if (!r.ok) throw new Error(r.issues[0]!.message);
    expect(r.value.series[0]!.names).toEqual(['__name__', 'job']);
    expect(r.value.series[0]!.cached).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('re-validates when the limits that validation depends on change', () => {
    const strict = { ...DEFAULT_INGEST_LIMITS, max_label_names_per_series: 1 };
    expect(validationKey(strict)).not.toBe(validationKey(DEFAULT_INGEST_LIMITS));
    expect(validationKey({ ...DEFAULT_INGEST_LIMITS, ingestion_rate: 1 })).toBe(validationKey(DEFAULT_INGEST_LIMITS));
  });

  it('still drops samples too far in the future for a known label set', () => {
    const r = decodeWriteRequest(writeRequest([{ labels: [['__name__', 'up']], samples: [[1, 1000], [2, 10_000_000]] }]));
    if (!r.ok) throw new Error('decode failed');
    const check = validateKnownSeries(r.value.series[0]!, Object.freeze({ __name__: 'up' }), { ...DEFAULT_INGEST_LIMITS, creation_grace_period_ms: 1000 }, 1000);
    expect(check.ok === true && Array.from(check.t)).toEqual([1000]);
    expect(check.ok === true && check.future?.count).toBe(1);
  });
});
