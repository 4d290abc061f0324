import { describe, expect, it } from 'vitest';
import { evalSlot, firstSlot, groupOffsetMs, missedIterations } from './schedule.js';
import { labelsHash } from './xxhash64.js';

describe('groupOffsetMs', () => {
  it('is hash(name, file) modulo the interval in ns, truncated to ms', () => {
    const h = labelsHash({ name: 'g1', file: 'ns' });
    expect(groupOffsetMs('ns', 'g1', 60_000)).toBe(Number((h % 60_000_000_000n) / 1_000_000n));
    expect(groupOffsetMs('ns', 'g1', 60_000)).toBeGreaterThanOrEqual(0);
    expect(groupOffsetMs('ns', 'g1', 60_000)).toBeLessThan(60_000);
  });

  it('differs between groups and namespaces and is stable', () => {
    const a = groupOffsetMs('ns', 'g1', 3600_000);
    expect(groupOffsetMs('ns', 'g1', 3600_000)).toBe(a);
    expect(new Set([a, groupOffsetMs('ns', 'g2', 3600_000), groupOffsetMs('other', 'g1', 3600_000)]).size).toBe(3);
  });

  it('is 0 for a non-positive interval', () => {
    expect(groupOffsetMs('ns', 'g', 0)).toBe(0);
  });
});

describe('slots', () => {
  it.each([
    // now, offset, interval -> slot at or before now
    [100_000, 7_000, 60_000, 67_000],
    [67_000, 7_000, 60_000, 67_000],
    [66_999, 7_000, 60_000, 7_000],
    [5_000, 7_000, 60_000, -53_000],
    [120_000, 0, 60_000, 120_000],
  ])('evalSlot(%d, %d, %d) = %d', (now, offset, interval, want) => {
    expect(evalSlot(now, offset, interval)).toBe(want);
  });

  it('the first evaluation is the next slot, strictly after now', () => {
    expect(firstSlot(100_000, 7_000, 60_000)).toBe(127_000);
    expect(firstSlot(67_000, 7_000, 60_000)).toBe(127_000);
  });

  it.each([
    [60_000, 0, 60_000, 0],
    [119_999, 0, 60_000, 0],
    [120_000, 0, 60_000, 1],
    [150_000, 0, 60_000, 1],
    [300_000, 0, 60_000, 4],
    [10_000, 0, 60_000, 0],
  ])('missedIterations(now %d, last %d, interval %d) = %d', (now, last, interval, want) => {
    expect(missedIterations(now, last, interval)).toBe(want);
  });
});
