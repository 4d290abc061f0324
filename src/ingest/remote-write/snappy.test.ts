import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snappyDecode } from './snappy.js';
import { blastCompress, block, copy1, copy2, copy4, literal } from './wire.test-util.js';

const ascii = (s: string) => [...Buffer.from(s)];
const text = (r: ReturnType<typeof snappyDecode>) => (r.ok ? Buffer.from(r.value).toString() : r.issues[0]?.message);

describe('snappyDecode', () => {
  it.each([
    ['empty block', block(0), ''],
    ['one literal', block(5, literal(ascii('hello'))), 'hello'],
    ['copy1 non-overlapping', block(8, literal(ascii('abcd')), copy1(4, 4)), 'abcdabcd'],
    ['copy1 overlapping run', block(10, literal(ascii('ab')), copy1(8, 2)), 'ababababab'],
    ['copy1 with high offset bits', block(263, literal(ascii('x'.repeat(259))), copy1(4, 259)), 'x'.repeat(263)],
    ['copy2', block(9, literal(ascii('xyz')), copy2(6, 3)), 'xyzxyzxyz'],
    ['copy4', block(6, literal(ascii('pq')), copy4(4, 2)), 'pqpqpq'],
    ['long literal (1-byte length)', block(100, literal(ascii('a'.repeat(100)))), 'a'.repeat(100)],
    ['long literal (2-byte length)', block(300, literal(ascii('b'.repeat(300)))), 'b'.repeat(300)],
  ])('%s', (_name, input, want) => {
    expect(text(snappyDecode(input))).toBe(want);
  });

  it.each([0, 1, 59, 60, 61, 255, 256, 70_000])('round-trips rw-blast literal blocks of %i bytes', (n) => {
    const compress = blastCompress();
    const data = randomBytes(n);
    const r = snappyDecode(compress(data));
    expect(r.ok && Buffer.from(r.value).equals(data)).toBe(true);
  });

  it.each([
    ['empty input', new Uint8Array(0), /truncated length varint/],
    ['truncated length varint', Uint8Array.from([0x80, 0x80]), /truncated length varint/],
    ['length varint too long', Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /longer than 5 bytes/],
    ['length beyond 32 bits', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x1f]), /exceeds 32 bits/],
    ['copy offset 0', block(8, literal(ascii('abcd')), copy1(4, 0)), /offset 0/],
    ['copy offset beyond output', block(8, literal(ascii('abcd')), copy2(4, 5)), /reaches before the start/],
    ['copy before any literal', block(4, copy4(4, 1)), /reaches before the start/],
    ['copy past declared length', block(6, literal(ascii('abcd')), copy1(4, 4)), /runs past the declared length 6/],
    ['literal past declared length', block(2, literal(ascii('abc'))), /runs past the declared length 2/],
    ['literal past input', Uint8Array.from([5, 4 << 2, 97]), /runs past the input/],
    ['truncated literal length', Uint8Array.from([100, 60 << 2]), /truncated literal length/],
    ['truncated copy2', Uint8Array.from([8, ...literal(ascii('abcd')), 2 | (3 << 2), 4]), /truncated copy/],
    ['short output', block(10, literal(ascii('abc'))), /decoded 3 bytes but the header declared 10/],
  ])('refuses %s', (_name, input, err) => {
    const r = snappyDecode(input);
    expect(r.ok).toBe(false);
    expect(text(r)).toMatch(err);
  });

  it('refuses a declared length above the cap before allocating', () => {
    const r = snappyDecode(block(2 ** 31, literal([1])), 1024);
    expect(r.ok).toBe(false);
    expect(text(r)).toBe('snappy: decoded block is too large: declared 2147483648 bytes, limit 1024');
  });

  it('does not crash on random garbage', () => {
    for (let i = 0; i < 2000; i++) {
      const r = snappyDecode(randomBytes(1 + (i % 64)), 4096);
      if (!r.ok) expect(r.issues[0]?.code).toMatch(/^snappy_/);
    }
  });
});
