import { describe, expect, it } from 'vitest';
import { compareStrings, fingerprint, goQuote, labelsToString } from './labels.js';

describe('fingerprint', () => {
  it('is the FNV-1a 64 offset basis for the empty set', () => {
    expect(fingerprint({})).toBe('cbf29ce484222325');
  });

  it.each([
    // FNV-1a 64 of the bytes 'a' 0xff 'b' 0xff, computed independently with BigInt below.
    [{ a: 'b' }],
    [{ alertname: 'HighLatency', job: 'api', instance: 'host:9090' }],
    [{ 'ünïcode': 'välue ☃', z: '' }],
  ])('matches a BigInt reference for %j', (labels) => {
    expect(fingerprint(labels)).toBe(referenceFingerprint(labels));
  });

  it('does not depend on key insertion order', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
  });
});

function referenceFingerprint(labels: Record<string, string>): string {
  const prime = 0x100000001b3n;
  let h = 0xcbf29ce484222325n;
  const names = Object.keys(labels).sort(compareStrings);
  for (const n of names) {
    for (const s of [n, labels[n] as string]) {
      for (const b of [...new TextEncoder().encode(s), 0xff]) {
        h ^= BigInt(b);
        h = (h * prime) & 0xffffffffffffffffn;
      }
    }
  }
  return h.toString(16).padStart(16, '0');
}

describe('labelsToString', () => {
  it('sorts and quotes as Go does', () => {
    expect(labelsToString({ b: 'x"y', a: 'line\nbreak' })).toBe('{a="line\\nbreak", b="x\\"y"}');
    expect(labelsToString({})).toBe('{}');
  });

  it('quotes control characters', () => {
    expect(goQuote('\x01')).toBe('"\\x01"');
  });
});
