import { describe, expect, it } from 'vitest';
import { labelsHash, xxhash64 } from './xxhash64.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('xxhash64', () => {
  // Reference values of XXH64 with seed 0 (xxHash's own tool and python-xxhash agree on these).
  it.each([
    ['', 0xef46db3751d8e999n],
    ['a', 0xd24ec4f1a98c6e5bn],
    ['abc', 0x44bc2cf5ad770999n],
    // 39 bytes: one 32-byte stripe, then a 4-byte lane and 3 single bytes.
    ['Nobody inspects the spammish repetition', 0xfbcea83c8a378bf1n],
    // 43 bytes: one stripe, an 8-byte lane and 3 single bytes.
    ['The quick brown fox jumps over the lazy dog', 0x0b242d361fda71bcn],
  ])('XXH64(%j)', (input, want) => {
    expect(xxhash64(text(input)).toString(16)).toBe(want.toString(16));
  });

  it('reads lanes from a view into a larger buffer', () => {
    const big = text('xxThe quick brown fox jumps over the lazy dogxx');
    expect(xxhash64(big.subarray(2, big.length - 2))).toBe(0x0b242d361fda71bcn);
  });

  it('stays within 64 bits for long inputs', () => {
    const h = xxhash64(new Uint8Array(1000).fill(0xab));
    expect(h >= 0n && h < 1n << 64n).toBe(true);
  });
});

describe('labelsHash', () => {
  it('hashes name 0xff value 0xff sorted by name, as Prometheus Labels.Hash', () => {
    const bytes = new Uint8Array([...text('file'), 0xff, ...text('rules.yml'), 0xff, ...text('name'), 0xff, ...text('g1'), 0xff]);
    expect(labelsHash({ name: 'g1', file: 'rules.yml' })).toBe(xxhash64(bytes));
  });

  it('depends on every label and on UTF-8 bytes', () => {
    const a = labelsHash({ name: 'g', file: 'a' });
    expect(labelsHash({ name: 'g', file: 'b' })).not.toBe(a);
    expect(labelsHash({ name: 'é', file: 'a' })).toBe(xxhash64(new Uint8Array([...text('file'), 0xff, 0x61, 0xff, ...text('name'), 0xff, 0xc3, 0xa9, 0xff])));
    expect(labelsHash({})).toBe(0xef46db3751d8e999n);
  });
});
