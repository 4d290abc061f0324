import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/stale-nan.js';
import { decodeWriteRequest } from './protobuf.js';
import { doubleBits, label, lenField, strField, tag, varint, writeRequest } from './wire.test-util.js';
import type { Bytes } from './wire.test-util.js';

const bits = (f: Float64Array, i: number) => {
  const u = new Uint32Array(f.buffer, f.byteOffset + i * 8, 2);
  return [u[1], u[0]];
};

function decode(bytes: Bytes | Uint8Array) {
  const r = decodeWriteRequest(Uint8Array.from(bytes));
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value;
}

describe('decodeWriteRequest', () => {
  it('decodes labels and samples in wire order', () => {
    const req = decode(
      writeRequest([
        { labels: [['__name__', 'up'], ['job', 'node']], samples: [[1, 1000], [0.5, 2000]] },
        { labels: [['__name__', 'x']], samples: [] },
      ]),
    );
    expect(req.samples).toBe(2);
    expect(req.series).toHaveLength(2);
    const s = req.series[0]!;
    expect(s.names).toEqual(['__name__', 'job']);
    expect(s.values).toEqual(['up', 'node']);
    expect([...s.t]).toEqual([1000, 2000]);
    expect([...s.v]).toEqual([1, 0.5]);
    expect(req.series[1]!.t).toBeInstanceOf(Float64Array);
  });

  it('decodes an empty request', () => {
    expect(decode([])).toEqual({ series: [], samples: 0, histograms: 0 });
  });

  it('keeps the staleness marker and other NaN payloads bit-exact', () => {
    const ts = lenField(1, [
      ...label('__name__', 'm'),
      ...lenField(2, [...doubleBits(1, 0x7ff00000, 2), ...tag(2, 0), ...varint(5)]),
      ...lenField(2, [...doubleBits(1, 0x7ff80000, 1), ...tag(2, 0), ...varint(6)]),
      ...lenField(2, [...doubleBits(1, 0xfff00000, 0xdeadbeef), ...tag(2, 0), ...varint(7)]),
    ]);
    const s = decode(ts).series[0]!;
    expect(bits(s.v, 0)).toEqual([0x7ff00000, 2]);
    expect(isStaleNaN(s.v[0]!)).toBe(true);
    expect(bits(s.v, 1)).toEqual([0x7ff80000, 1]);
    expect(isStaleNaN(s.v[1]!)).toBe(false);
    expect(bits(s.v, 2)).toEqual([0xfff00000, 0xdeadbeef]);
  });

  it.each([
    ['negative', -1, -1],
    ['before 1970', -86_400_000, -86_400_000],
    ['zero', 0, 0],
    ['large positive (8-byte varint)', 2 ** 52, 2 ** 52],
    ['max safe', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ['min safe', -Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
  ])('decodes %s timestamps', (_n, t, want) => {
    const s = decode(writeRequest([{ labels: [['__name__', 'a']], samples: [[1, t]] }])).series[0]!;
    expect(s.t[0]).toBe(want);
  });

  it.each([
    ['above 2^53', 2n ** 53n + 1n],
    ['int64 max', 2n ** 63n - 1n],
    ['int64 min', -(2n ** 63n)],
  ])('refuses timestamps %s', (_n, t) => {
    const bytes = lenField(1, [...label('__name__', 'a'), ...lenField(2, [...tag(2, 0), ...varint(t)])]);
    const r = decodeWriteRequest(Uint8Array.from(bytes));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/timestamp .* is outside the safe integer range/);
  });

  it('defaults missing sample fields to 0 as proto3 does, and keeps the last of repeated scalars', () => {
    const ts = lenField(1, [...label('__name__', 'a'), ...lenField(2, []), ...lenField(2, [...tag(2, 0), ...varint(5), ...tag(2, 0), ...varint(9)])]);
    const s = decode(ts).series[0]!;
    expect([...s.t]).toEqual([0, 9]);
    expect([...s.v]).toEqual([0, 0]);
  });

  it('skips unknown fields of every wire type, exemplars, histograms and metadata', () => {
    const unknown: Bytes = [
      ...tag(15, 0), ...varint(2n ** 63n),
      ...tag(16, 1), 1, 2, 3, 4, 5, 6, 7, 8,
      ...tag(17, 5), 1, 2, 3, 4,
      ...lenField(18, [1, 2, 3]),
      // packed repeated varints in an unknown field
      ...lenField(19, [...varint(1), ...varint(300), ...varint(-5)]),
      // a (deprecated) group holding a nested field
      ...tag(20, 3), ...tag(1, 0), ...varint(7), ...tag(20, 4),
    ];
    const exemplar = lenField(3, [...label('trace_id', 'abc'), ...doubleBits(2, 0, 0), ...tag(3, 0), ...varint(1)]);
    const histogram = lenField(4, [...tag(1, 0), ...varint(3), ...lenField(9, [...varint(1), ...varint(2)])]);
    const sampleWithUnknown = lenField(2, [...unknown, ...doubleBits(1, 0x3ff00000, 0), ...tag(2, 0), ...varint(3)]);
    const ts = lenField(1, [...unknown, ...label('__name__', 'a'), ...exemplar, ...histogram, ...sampleWithUnknown]);
    const labelWithUnknown = lenField(1, [...unknown, ...strField(1, 'job'), ...strField(2, 'j')]);
    const metadata = lenField(3, [...tag(1, 0), ...varint(1), ...strField(2, 'a'), ...strField(4, 'help')]);
    const req = decode([...metadata, ...unknown, ...ts, ...lenField(1, [...label('__name__', 'b'), ...labelWithUnknown])]);
    expect(req.series).toHaveLength(2);
    const s = req.series[0]!;
    expect(s.names).toEqual(['__name__']);
    expect([...s.v]).toEqual([1]);
    expect([...s.t]).toEqual([3]);
    expect(s.histograms).toBe(1);
    expect(req.histograms).toBe(1);
    expect(req.series[1]!.names).toEqual(['__name__', 'job']);
    expect(req.series[1]!.values).toEqual(['b', 'j']);
  });

  it('flags label bytes that are not UTF-8', () => {
    const bad = lenField(1, [...strField(1, 'job'), ...lenField(2, [0x66, 0xff, 0x6f])]);
    const s = decode(lenField(1, [...label('__name__', 'a'), ...bad])).series[0]!;
    expect(s.invalidUtf8).toBe('job');
    expect(s.values[1]).toBe('f\uFFFDo');
  });

  it('decodes multi-byte UTF-8 labels', () => {
    const s = decode(writeRequest([{ labels: [['__name__', 'a'], ['city', 'Zürich 東京 🎉']], samples: [] }])).series[0]!;
    expect(s.values[1]).toBe('Zürich 東京 🎉');
    expect(s.invalidUtf8).toBeUndefined();
  });

  it.each([
    ['truncated tag varint', [0x80], /byte 0: truncated varint/],
    ['field number 0', [0x02, 0x00], /illegal field number 0/],
    ['length past end', [0x0a, 0x05, 0x00], /length 5 runs past the end/],
    ['nested length past parent', lenField(1, [0x0a, 0x09, 0x0a, 0x00]), /length 9 runs past the end/],
    ['timeseries with wrong wire type', [0x08, 0x01], /WriteRequest.timeseries has wire type 0, expected 2/],
    ['sample value with wrong wire type', lenField(1, lenField(2, [...tag(1, 0), 1])), /Sample.value has wire type 0, expected 1/],
    ['truncated double', lenField(1, lenField(2, [...tag(1, 1), 1, 2, 3])), /sample value runs past the end/],
    ['truncated fixed32 unknown', [...tag(9, 5), 1, 2], /fixed32 field runs past/],
    ['unexpected end group', [...tag(9, 4)], /unexpected wire type 4/],
    ['unterminated group', [...tag(9, 3), ...tag(1, 0), 1], /truncated varint/],
    ['mismatched end group', [...tag(9, 3), ...tag(8, 4)], /end group 8 does not match start group 9/],
    ['wire type 6', [...tag(9, 6)], /unexpected wire type 6/],
    ['varint longer than 10 bytes', [...tag(9, 0), ...Array(11).fill(0xff)], /longer than 10 bytes/],
  ])('refuses %s', (_n, bytes, err) => {
    const r = decodeWriteRequest(Uint8Array.from(bytes as number[]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(err);
  });

  it('never throws on random bytes', () => {
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from({ length: 1 + (i % 80) }, () => Math.floor(Math.random() * 256));
      expect(() => decodeWriteRequest(b)).not.toThrow();
    }
  });
});
