import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import { bitsOf, floatFromBits } from './float-bits.js';
import { crc32, encodeChunk, encodeSamples, encodeSeries, readRecords } from './wal-records.js';
import type { ChunkRecord, RecordVisitor } from './wal-records.js';

function collect(): RecordVisitor & { out: unknown[] } {
  const out: unknown[] = [];
  return {
    out,
    series: (id, labels) => void out.push(['series', id, labels]),
    sample: (id, t, hi, lo) => void out.push(['sample', id, t, hi, lo]),
    chunk: (c: ChunkRecord) => void out.push(['chunk', c.encoding, c.id, c.count, Array.from(c.bytes)]),
  };
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const [SHI, SLO] = bitsOf(STALE_NAN);
const RECORDS = cat(
  encodeSeries(7, { __name__: 'up', job: 'ünïcode ✓' }),
  encodeSamples([7, 7], [-5, 1_700_000_000_123], [SHI, 0x3ff00000], [SLO, 0], 2),
  encodeChunk({ encoding: 'xor', id: 7, minT: 1, maxT: 2, count: 2, bitLength: 20, lastHi: 1, lastLo: 2, bytes: Uint8Array.of(4, 5) }),
  encodeChunk({ encoding: 'dx', id: 7, minT: 1, maxT: 2, count: 2, bitLength: 20, lastHi: 1, lastLo: 2, bytes: Uint8Array.of(1, 2, 3) }),
);

describe('WAL records', () => {
  it('CRC-32 matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips series, samples (raw value bits) and chunks', () => {
    const v = collect();
    expect(readRecords(RECORDS, v)).toBeUndefined();
    expect(v.out).toEqual([
      ['series', 7, { __name__: 'up', job: 'ünïcode ✓' }],
      ['sample', 7, -5, SHI, SLO],
      ['sample', 7, 1_700_000_000_123, 0x3ff00000, 0],
      ['chunk', 'xor', 7, 2, [4, 5]],
      ['chunk', 'dx', 7, 2, [1, 2, 3]],
    ]);
    expect(isStaleNaN(floatFromBits(SHI, SLO))).toBe(true);
  });

  it.each([
    // The chunk record is the last 48 bytes (8 frame + 37 header + 3 data).
    ['cut inside the header', (b: Uint8Array) => b.subarray(0, b.length - 44), 'torn record header', 4],
    ['cut inside the last payload', (b: Uint8Array) => b.subarray(0, b.length - 3), 'torn record (40 bytes announced, 37 present)', 4],
    ['a flipped payload bit', (b: Uint8Array) => { const c = b.slice(); c[c.length - 1] = c.at(-1)! ^ 1; return c; }, 'checksum mismatch', 4],
    ['a zeroed tail (preallocated space)', (b: Uint8Array) => cat(b, new Uint8Array(8)), 'torn record (0 bytes', 5],
  ])('stops at %s, keeping the records before it', (_name, damage, reason, kept) => {
    const v = collect();
    const stop = readRecords(damage(RECORDS), v);
    expect(stop?.reason).toContain(reason);
    expect(v.out).toHaveLength(kept);
  });

  it('reports an unknown record type and invalid UTF-8 without throwing', () => {
    const bad = encodeSeries(1, { a: 'b' });
    bad[8] = 99;
    const fixed = cat(bad.subarray(0, 4), Uint8Array.of(0, 0, 0, 0), bad.subarray(8));
    new DataView(fixed.buffer).setUint32(4, crc32(fixed, 8));
    expect(readRecords(fixed, collect())?.reason).toBe('unknown record type 99');
    const utf = encodeSeries(1, { a: 'b' });
    utf[utf.length - 1] = 0xff;
    new DataView(utf.buffer).setUint32(4, crc32(utf, 8));
    expect(readRecords(utf, collect())?.reason).toMatch(/encoded data was not valid|invalid/i);
  });
});
