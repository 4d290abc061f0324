import { describe, expect, it } from 'vitest';
import { ChunkArena, SLAB_BYTES } from './chunk-arena.js';

describe('ChunkArena', () => {
  it('copies chunks into shared slabs and starts a new slab when one is full', () => {
    const a = new ChunkArena();
    const src = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const first = a.store(src);
    src[0] = 99; // the arena holds a copy
    expect(first[0]).toBe(0);
    expect(Array.from(first.subarray(1))).toEqual(Array.from(src.subarray(1)));
    const views = [first];
    for (let i = 0; i < 70; i++) views.push(a.store(src));
    expect(a.slabs).toBe(2);
    expect(views[0]!.buffer).toBe(views[64]!.buffer);
    expect(views[65]!.buffer).not.toBe(views[0]!.buffer);
    expect(views.every((v) => v.length === 1000 && v[1] === 1)).toBe(true);
  });

  it('gives large chunks a buffer of their own', () => {
    const a = new ChunkArena();
    const big = a.store(new Uint8Array(SLAB_BYTES / 2).fill(7));
    expect(big.buffer.byteLength).toBe(SLAB_BYTES / 2);
    expect(a.slabs).toBe(0);
  });
});
