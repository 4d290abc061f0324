import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { formatTime, mergeAlerts, parseTime, validateAlert, ZERO_TIME } from './alert.js';

const base: Alert = { labels: { a: 'b' }, annotations: {}, startsAt: 1000, endsAt: 0, generatorURL: '', updatedAt: 1000, timeout: false };

describe('mergeAlerts (types.Alert.Merge)', () => {
  const now = 10_000;
  it('keeps the earliest start and the younger alert', () => {
    const older = { ...base, startsAt: 500, updatedAt: 1000 };
    const younger = { ...base, startsAt: 900, updatedAt: 2000, annotations: { x: 'new' } };
    const m = mergeAlerts(older, younger, now);
    expect(m.startsAt).toBe(500);
    expect(m.annotations).toEqual({ x: 'new' });
    expect(mergeAlerts(younger, older, now)).toEqual(m);
  });

  it('lets an explicit later end time beat a timeout end time', () => {
    const a = { ...base, endsAt: 50_000, updatedAt: 1000, timeout: false };
    const o = { ...base, endsAt: 20_000, updatedAt: 2000, timeout: true };
    expect(mergeAlerts(a, o, now).endsAt).toBe(50_000);
    expect(mergeAlerts({ ...a, timeout: true }, o, now).endsAt).toBe(20_000);
  });

  it('keeps the latest resolution when both are resolved', () => {
    const a = { ...base, endsAt: 8000, updatedAt: 1000 };
    const o = { ...base, endsAt: 5000, updatedAt: 2000 };
    expect(mergeAlerts(a, o, now).endsAt).toBe(8000);
  });
});

describe('validateAlert', () => {
  it.each([
    [{ ...base, startsAt: ZERO_TIME }, 'start time missing'],
    [{ ...base, endsAt: 10 }, 'start time must be before end time'],
    [{ ...base, labels: {} }, 'at least one label pair required'],
    [{ ...base, labels: { '': 'x' } }, 'invalid label set: invalid name ""'],
  ])('%#', (a, msg) => {
    expect(validateAlert(a)).toBe(msg);
  });
  it('accepts a good alert', () => expect(validateAlert(base)).toBeUndefined());
});

describe('times', () => {
  it('round-trips Go zero time', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toBe(ZERO_TIME);
    expect(formatTime(ZERO_TIME)).toBe('0001-01-01T00:00:00.000Z');
  });
  it('parses offsets and rejects junk', () => {
    expect(parseTime('2024-01-02T03:04:05+01:00')).toBe(Date.UTC(2024, 0, 2, 2, 4, 5));
    expect(parseTime('yesterday')).toBeUndefined();
  });
  it('formats every time right however its cache slot was used before', () => {
    const base = Date.UTC(2026, 10, 22, 4, 0, 0, 0);
    // Same slot (a multiple of 256 ms apart), same value again, negative and pre-epoch times.
    for (const t of [base, base + 256, base, base + 512 * 1000, -1, -257, base + 1, base]) expect(formatTime(t)).toBe(new Date(t).toISOString());
  });
});
