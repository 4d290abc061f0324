import { describe, expect, it } from 'vitest';
import { decodeEntry, stateDigest } from './entry.js';
import { parseFilter, parseLimit, parseSince } from './query.js';

describe('parseSince', () => {
  it.each([
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00.250Z', Date.UTC(2024, 4, 1, 12, 0, 0, 250)],
    ['2024-05-01t14:00:00+02:00', Date.UTC(2024, 4, 1, 12)],
    ['1714564800', Date.UTC(2024, 4, 1, 12)],
    ['1714564800.5', Date.UTC(2024, 4, 1, 12, 0, 0, 500)],
  ])('reads %s', (text, ms) => {
    expect(parseSince(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['', 'now', '-5', '2024-05-01', '2024-05-01 12:00:00Z', '2024-02-31T00:00:00Z x', '1e3'])('refuses %j naming since', (text) => {
    const r = parseSince(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/^since: /);
  });
});

describe('parseLimit and parseFilter', () => {
  it('takes 1..1000 and refuses the rest naming limit', () => {
    expect(parseLimit('1')).toEqual({ ok: true, value: 1 });
    expect(parseLimit('1000')).toEqual({ ok: true, value: 1000 });
    for (const bad of ['0', '1001', '-1', '2.5', 'ten', '']) {
      const r = parseLimit(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.issues[0]?.message).toMatch(/^limit: /);
    }
  });

  it('defaults the limit, clamps large ones, and reports every problem at once', () => {
    expect(parseFilter({})).toEqual({ ok: true, value: { sinceMs: undefined, action: undefined, limit: 100 } });
    expect(parseFilter({ limit: 50_000, action: '' })).toEqual({ ok: true, value: { sinceMs: undefined, action: undefined, limit: 1000 } });
    const r = parseFilter({ since: 'x', limit: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual([['since'], ['limit']]);
  });
});

describe('stateDigest and decodeEntry', () => {
  it('digests state as sha256 hex, and a missing object as empty', () => {
    expect(stateDigest(undefined)).toBe('');
    expect(stateDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(stateDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('decodes a stored entry, dropping unknown fields, and refuses broken ones', () => {
    const e = { time: '2024-05-01T12:00:00.000Z', actor: 'a', tenant: 't', action: 'x', object: 'o', before: '', after: '', status: 204, sourceIp: '::1' };
    expect(decodeEntry(JSON.stringify({ ...e, extra: 1 }))).toEqual({ ok: true, value: e });
    expect(decodeEntry('[]').ok).toBe(false);
    expect(decodeEntry('{').ok).toBe(false);
    const r = decodeEntry(JSON.stringify({ ...e, before: 1, status: 700 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual([['before'], ['status']]);
  });
});
