import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput, zoneAbbreviation, zoneOffset } from './local-time.js';

const T = Date.parse('2026-11-22T13:05:09Z');

describe('local times in a zone', () => {
  it.each([
    ['UTC', '2026-11-22T13:05:09', 0],
    ['Europe/Berlin', '2026-11-22T14:05:09', 3600_000],
    ['America/New_York', '2026-11-22T08:05:09', -5 * 3600_000],
    ['Asia/Kolkata', '2026-11-22T18:35:09', 5.5 * 3600_000],
  ])('%s shows %s', (zone, local, offset) => {
    expect(toLocalInput(T, zone)).toBe(local);
    expect(fromLocalInput(local, zone)).toBe(T);
    expect(zoneOffset(T, zone)).toBe(offset);
  });

  it('reads times without seconds and with a space', () => {
    expect(fromLocalInput('2026-11-22T14:05', 'Europe/Berlin')).toBe(Date.parse('2026-11-22T13:05:00Z'));
    expect(fromLocalInput('2026-11-22 14:05:09', 'Europe/Berlin')).toBe(T);
  });

  it('shows midnight as 00, not 24', () => {
    expect(toLocalInput(Date.parse('2026-11-22T23:00:00Z'), 'Europe/Berlin')).toBe('2026-11-23T00:00:00');
  });

  it.each(['', 'tomorrow', '2026-02-31T10:00', '2026-13-01T10:00', '2026-11-22T25:00', '22.11.2026 14:05'])('refuses %j', (s) => {
    expect(fromLocalInput(s, 'Europe/Berlin')).toBeUndefined();
  });

  it('handles daylight-saving days', () => {
    // Summer time in Berlin is UTC+2.
    expect(fromLocalInput('2026-07-01T12:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    // 29 March 2026, 02:30 does not exist in Berlin: the instant after the jump.
    expect(fromLocalInput('2026-03-29T02:30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    // 25 October 2026, 02:30 happens twice: either instant reads back as 02:30.
    const twice = fromLocalInput('2026-10-25T02:30', 'Europe/Berlin');
    expect([Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-10-25T01:30:00Z')]).toContain(twice);
    expect(toLocalInput(twice!, 'Europe/Berlin')).toBe('2026-10-25T02:30:00');
  });

  it('names the zone', () => {
    expect(zoneAbbreviation(T, 'UTC')).toBe('UTC');
    expect(zoneAbbreviation(T, 'America/New_York')).toBe('EST');
  });
});
