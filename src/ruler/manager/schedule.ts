/**
 * When a rule group evaluates, as Prometheus' rules/group.go does it: each group gets a fixed
 * offset inside its interval, hash(labels{name=<group>, file=<namespace>}) % interval, so groups
 * spread over the interval and keep their slots across restarts; evaluation timestamps are those
 * slots, not the wall clock. Prometheus computes in nanoseconds; sample timestamps are the slot
 * truncated to milliseconds, which is what these functions return.
 */
import { labelsHash } from './xxhash64.js';

/** The group's offset in ms inside its interval (Group.EvalTimestamp's `offset`, truncated to ms). */
export function groupOffsetMs(namespace: string, name: string, intervalMs: number): number {
  const intervalNs = BigInt(Math.round(intervalMs)) * 1_000_000n;
  if (intervalNs <= 0n) return 0;
  return Number((labelsHash({ name, file: namespace }) % intervalNs) / 1_000_000n);
}

/** The slot at or before `nowMs` (Group.EvalTimestamp): `now - ((now - offset) mod interval)`. */
export function evalSlot(nowMs: number, offsetMs: number, intervalMs: number): number {
  const adj = nowMs - offsetMs;
  return adj - mod(adj, intervalMs) + offsetMs;
}

/** The first evaluation of a group started at `nowMs`: the next slot (Group.run). */
export function firstSlot(nowMs: number, offsetMs: number, intervalMs: number): number {
  return evalSlot(nowMs, offsetMs, intervalMs) + intervalMs;
}

/**
 * Iterations skipped when the loop wakes at `nowMs` after evaluating slot `lastSlotMs`
 * (Group.run: `missed = time.Since(evalTimestamp)/interval - 1`, never negative in effect).
 */
export function missedIterations(nowMs: number, lastSlotMs: number, intervalMs: number): number {
  return Math.max(0, Math.floor((nowMs - lastSlotMs) / intervalMs) - 1);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
