import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, formatTime, parseDuration } from './time.js';

describe('durations', () => {
  it('formats in Prometheus units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(8 * 86_400_000 + 1000)).toBe('1w1d1s');
    expect(formatDuration(-60_000)).toBe('-1m');
    expect(formatDuration(250)).toBe('250ms');
  });

  it('parses what it formats, and refuses the rest', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('1h 30m')).toBeUndefined();
    expect(parseDuration('ten minutes')).toBeUndefined();
  });
});

describe('times', () => {
  it('shows the zone it is in', () => {
    expect(formatTime('2026-11-22T12:00:00Z', 'UTC')).toBe('2026-11-22 12:00:00 UTC');
    expect(formatTime('2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe('2026-07-01 14:00:00 GMT+2');
    expect(formatTime('garbage')).toBe('garbage');
  });

  it('says how long ago or how soon', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(formatRelative('2026-11-22T11:55:00Z', now)).toBe('5m ago');
    expect(formatRelative('2026-11-22T14:00:00Z', now)).toBe('in 2h');
  });
});
