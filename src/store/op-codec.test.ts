import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { StateOp } from '../core/state-store.js';
import { DECODE_OPS_SOURCE, encodeOps } from './op-codec.js';

type Visit = (tag: string, tenant: string, kind: string, key: string | null, value: string | null, expiresAt: number | null) => void;
// The decoder as the writer thread gets it: source text, run in a context of its own.
const forEachOp = new Script(`${DECODE_OPS_SOURCE}\nforEachOp;`).runInNewContext({}) as (s: string, visit: Visit) => void;

function decode(s: string): unknown[][] {
  const out: unknown[][] = [];
  forEachOp(s, (...args) => out.push(args));
  return out;
}

describe('op codec', () => {
  it('round-trips every op kind, with and without expiry', () => {
    const ops: StateOp[] = [
      { op: 'put', tenant: 't1', kind: 'alert', key: 'abc', value: '{"l":{"a":"b"}}' },
      { op: 'put', tenant: 't1', kind: 'nflog', key: 'k', value: 'v', expiresAt: 1_700_000_000_123 },
      { op: 'put', tenant: 't1', kind: 'nflog', key: 'k', value: '', expiresAt: 0 },
      { op: 'delete', tenant: 't2', kind: 'silence', key: 'id-1' },
      { op: 'deleteAll', tenant: 't3', kind: 'config' },
    ];
    expect(decode(encodeOps(ops))).toEqual([
      ['p', 't1', 'alert', 'abc', '{"l":{"a":"b"}}', null],
      ['p', 't1', 'nflog', 'k', 'v', 1_700_000_000_123],
      ['p', 't1', 'nflog', 'k', '', 0],
      ['d', 't2', 'silence', 'id-1', null, null],
      ['a', 't3', 'config', null, null, null],
    ]);
  });

  it.each([
    ['separators and digits', '12:ab:3:p', 'x9:yz'],
    ['non-Latin-1 text and surrogate pairs', 'ténant-日本', 'v🔥\u0000\n'],
    ['empty key', '', '{}'],
  ])('keeps text with %s intact', (_name, key, value) => {
    const ops: StateOp[] = [{ op: 'put', tenant: 'x:1', kind: 'alert', key, value }, { op: 'delete', tenant: 'x', kind: 'alert', key }];
    expect(decode(encodeOps(ops))).toEqual([
      ['p', 'x:1', 'alert', key, value, null],
      ['d', 'x', 'alert', key, null, null],
    ]);
  });

  it('frames every put in full when tenants and kinds alternate', () => {
    const ops: StateOp[] = [
      { op: 'put', tenant: 't1', kind: 'alert', key: 'a', value: 'x' },
      { op: 'put', tenant: 't2', kind: 'alert', key: 'b', value: 'yy', expiresAt: 5 },
      { op: 'delete', tenant: 't1', kind: 'alert', key: 'a' },
      { op: 'put', tenant: 't2', kind: 'alert', key: 'c', value: '' },
      { op: 'put', tenant: 't2', kind: 'nflog', key: 'd', value: 'z' },
    ];
    expect(encodeOps(ops)).toBe('p2:t15:alert1:a1:x0:' + 'p2:t25:alert1:b2:yy1:5' + 'd2:t15:alert1:a' + 'p2:t25:alert1:c0:0:' + 'p2:t25:nflog1:d1:z0:');
  });

  it('encodes an empty batch as empty text', () => {
    expect(encodeOps([])).toBe('');
    expect(decode('')).toEqual([]);
  });

  it.each([
    ['an unknown tag', 'x1:t5:alert', /unknown op tag "x"/],
    ['a missing length', 'pt', /malformed batch at offset 1/],
    ['a length past the end', 'p1:t5:alert3:ab', /malformed batch at offset 11/],
    ['a negative length', 'd-1:t', /malformed batch at offset 1/],
  ])('refuses text with %s', (_name, text, message) => {
    expect(() => decode(text)).toThrow(message);
  });
});
