import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
  ])('%s -> %d ms', (s, ms) => {
    expect(parseDuration(s)).toEqual({ ok: true, value: ms });
  });

  it.each(['', '5', '1.5h', '30m1h', '-5m', 'abc', '1h ', '5M'])('rejects %j', (s) => {
    const r = parseDuration(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain('not a valid duration string');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [14_400_000, '4h'],
    [604_800_000, '1w'],
    [777_600_000, '9d'],
    [90_500, '1m30s500ms'],
  ])('%d ms -> %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });
});
