import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN, writeStaleNaN } from '../../core/stale-nan.js';
import { encodeWriteRequest, snappyEncode, snappyMaxEncodedLength } from './encode.js';
import { decodeWriteRequest } from './protobuf.js';
import { snappyDecode } from './snappy.js';
import { writeRequest } from './wire.test-util.js';

function roundTrip(data: Uint8Array): Uint8Array {
  const r = snappyDecode(snappyEncode(data));
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value;
}

/** Snappy element tags of a block (after the length varint): 'L' literal, 'C' copy. */
function elements(block: Uint8Array): string {
  let s = 0;
  while ((block[s] as number) >= 0x80) s++;
  s++;
  let out = '';
  while (s < block.length) {
    const tag = block[s] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      let extra = 0;
      if (n >= 60) {
        extra = n - 59;
        n = 0;
        for (let k = 0; k < extra; k++) n += (block[s + 1 + k] as number) * 2 ** (8 * k);
      }
      s += 1 + extra + n + 1;
      out += 'L';
    } else {
      s += kind === 1 ? 2 : kind === 2 ? 3 : 5;
      out += 'C';
    }
  }
  return out;
}

describe('snappyEncode', () => {
  it('writes a literal then a back-reference for a repeated pattern (golden)', () => {
    const out = snappyEncode(Buffer.from('abcd'.repeat(5)));
    expect([...out]).toEqual([20, 3 << 2, 97, 98, 99, 100, 2 | (15 << 2), 4, 0]);
  });

  it('uses a one-byte-offset copy for short near matches', () => {
    const out = snappyEncode(Buffer.from('0123456789abcdefXYZ0123456789'));
    const r = snappyDecode(out);
    expect(r.ok && Buffer.from(r.value).toString()).toBe('0123456789abcdefXYZ0123456789');
    expect(elements(out)).toBe('LC');
    expect(out[out.length - 2]! & 3).toBe(1);
  });

  it.each([0, 1, 16, 17, 59, 60, 61, 255, 256, 65535, 65536, 65537, 200_000])('round-trips %i random bytes', (n) => {
    const data = randomBytes(n);
    expect(Buffer.from(roundTrip(data)).equals(data)).toBe(true);
    expect(snappyEncode(data).length).toBeLessThanOrEqual(snappyMaxEncodedLength(n));
  });

  it.each([
    ['one byte repeated', Buffer.alloc(100_000, 0x61)],
    ['a short cycle', Buffer.from('xyz'.repeat(30_000))],
    ['text across block boundaries', Buffer.from(Array.from({ length: 5000 }, (_, i) => `series_${i % 97}{job="api",instance="host-${i % 13}"} ${i}\n`).join(''))],
  ])('compresses %s and round-trips it', (_name, data) => {
    const out = snappyEncode(data);
    expect(Buffer.from(roundTrip(data)).equals(data)).toBe(true);
    expect(out.length).toBeLessThan(data.length / 4);
    expect(elements(out)).toContain('C');
  });

  it('round-trips mixed random and repeated data', () => {
    for (let k = 0; k < 50; k++) {
      const parts: Buffer[] = [];
      for (let j = 0; j < 20; j++) parts.push(j % 3 === 0 ? randomBytes(1 + ((k * 37 + j * 11) % 300)) : Buffer.alloc(1 + ((k + j * 7) % 200), j));
      const data = Buffer.concat(parts);
      expect(Buffer.from(roundTrip(data)).equals(data)).toBe(true);
    }
  });
});

describe('encodeWriteRequest', () => {
  it('matches the hand-built wire bytes, labels sorted by name (golden)', () => {
    const got = encodeWriteRequest([
      { labels: { job: 'node', __name__: 'up' }, t: [1000, 2000], v: Float64Array.of(1, 0.5) },
      { labels: { __name__: 'x' }, t: [], v: new Float64Array(0) },
    ]);
    const want = writeRequest([
      { labels: [['__name__', 'up'], ['job', 'node']], samples: [[1, 1000], [0.5, 2000]] },
      { labels: [['__name__', 'x']], samples: [] },
    ]);
    expect([...got]).toEqual([...want]);
  });

  it('round-trips through the decoder, keeping stale marker bits, NaN, infinities, negative and large timestamps', () => {
    const v = Float64Array.of(NaN, Infinity, -Infinity, 0, -0, 1e-300, 0);
    writeStaleNaN(v, 6);
    const t = [-5000, 0, 1, 1_700_000_000_123, 2 ** 53 - 1, 127, 128];
    const labels = { __name__: 'm', 'ünïcode': 'välue ✓', empty: '' };
    const r = decodeWriteRequest(encodeWriteRequest([{ labels, t, v }]));
    if (!r.ok) throw new Error(r.issues[0]?.message);
    const s = r.value.series[0]!;
    expect(s.names).toEqual(['__name__', 'empty', 'ünïcode']);
    expect(s.values).toEqual(['m', '', 'välue ✓']);
    expect([...s.t]).toEqual(t);
    expect([...new Uint8Array(s.v.buffer, s.v.byteOffset, s.v.byteLength)]).toEqual([...new Uint8Array(v.buffer)]);
    expect(isStaleNaN(s.v[6]!)).toBe(true);
    expect(isStaleNaN(s.v[0]!)).toBe(false);
    expect(Object.is(s.v[4], -0)).toBe(true);
  });

  it('sends a stale marker stored with STALE_NAN bit-exact (0x7ff0000000000002)', () => {
    const v = Float64Array.of(STALE_NAN);
    const bytes = encodeWriteRequest([{ labels: { __name__: 'a' }, t: [1], v }]);
    // The sample is the last 13 bytes: 0x12 len=11, 0x09 + 8 value bytes (little-endian), 0x10 + varint 1.
    expect([...bytes.subarray(bytes.length - 13)]).toEqual([0x12, 11, 0x09, 2, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0x10, 1]);
  });

  it('encodes an empty request as zero bytes', () => {
    expect(encodeWriteRequest([]).length).toBe(0);
  });

  it.each([
    ['mismatched lengths', { labels: {}, t: [1, 2], v: Float64Array.of(1) }, /series 0: 2 timestamps but 1 values/],
    ['fractional timestamp', { labels: {}, t: [1.5], v: Float64Array.of(1) }, /series 0: timestamp 1.5 is not an integer/],
    ['NaN timestamp', { labels: {}, t: [NaN], v: Float64Array.of(1) }, /timestamp NaN/],
  ])('refuses %s with a RangeError naming the series', (_name, series, err) => {
    expect(() => encodeWriteRequest([series])).toThrow(err);
  });

  it('compressed requests decode back (snappy + protobuf)', () => {
    const series = Array.from({ length: 200 }, (_, i) => ({
      labels: { __name__: 'http_requests_total', job: 'api', instance: `host-${i}` },
      t: [1000, 2000, 3000],
      v: Float64Array.of(i, i + 1, i + 2),
    }));
    const raw = encodeWriteRequest(series);
    const body = snappyEncode(raw);
    expect(body.length).toBeLessThan(raw.length / 2);
    const unz = snappyDecode(body);
    if (!unz.ok) throw new Error('snappy');
    const r = decodeWriteRequest(unz.value);
    expect(r.ok && r.value.samples).toBe(600);
    expect(r.ok && r.value.series[199]!.names).toEqual(['__name__', 'instance', 'job']);
    expect(r.ok && r.value.series[199]!.values).toEqual(['http_requests_total', 'host-199', 'api']);
  });
});
