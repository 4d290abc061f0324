import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { ManualClock } from '../../alertmanager/notify/test-fakes.js';
import { FairQueue } from './fair-queue.js';
import type { Destination } from './fair-queue.js';
import { RecordingMetrics } from './test-fakes.js';

interface Call {
  readonly tenant: string;
  readonly batch: readonly number[];
  readonly signal: AbortSignal;
  settle(result?: Error | { refused: number }): void;
}

/** A destination whose batches stay in flight until the test settles them. */
function heldDestination(maxBatch: number): Destination<number> & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    name: 'am',
    maxBatch,
    calls,
    deliver(tenant, batch, signal) {
      return new Promise<{ refused: number } | void>((resolve, reject) => {
        const settle = (r?: Error | { refused: number }): void => (r instanceof Error ? reject(r) : resolve(r));
        calls.push({ tenant, batch: [...batch], signal, settle });
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

function setup(opts: { capacity?: number; concurrency?: number; maxBatch?: number } = {}) {
  const dest = heldDestination(opts.maxBatch ?? 3);
  const metrics = new RecordingMetrics();
  const q = new FairQueue(dest, { capacity: opts.capacity ?? 10, concurrency: opts.concurrency ?? 1, clock: new ManualClock(0), logger: NOOP_LOGGER, metrics });
  return { dest, metrics, q };
}

describe('FairQueue', () => {
  it('does not deliver inside add(); batches hold at most maxBatch, in order', async () => {
    const { dest, q, metrics } = setup({ maxBatch: 3 });
    q.add('t1', range(1, 7));
    expect(dest.calls).toHaveLength(0);
    await tick();
    expect(dest.calls.map((c) => c.batch)).toEqual([[1, 2, 3]]);
    expect(metrics.get('queueLength', 'am', 't1')).toBe(4);
    dest.calls[0]!.settle();
    await tick();
    dest.calls[1]!.settle();
    await tick();
    dest.calls[2]!.settle();
    await q.whenIdle();
    expect(dest.calls.map((c) => c.batch)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(metrics.get('sent', 'am', 't1')).toBe(7);
    expect(metrics.get('queueLength', 'am', 't1')).toBe(0);
  });

  it('a full queue drops the oldest alerts and counts them', async () => {
    const { dest, q, metrics } = setup({ capacity: 5, maxBatch: 2 });
    q.add('t1', [1, 2]);
    await tick(); // [1,2] in flight, queue empty
    q.add('t1', range(3, 4)); // 3..6
    q.add('t1', range(7, 3)); // 7..9: 2 over capacity -> 3,4 dropped
    expect(q.queued('t1')).toBe(5);
    expect(metrics.get('dropped', 'am', 't1')).toBe(2);
    q.add('t1', range(100, 8)); // larger than capacity: its own oldest 3 and all 5 queued go
    expect(metrics.get('dropped', 'am', 't1')).toBe(2 + 3 + 5);
    dest.calls[0]!.settle();
    for (let i = 1; i <= 3; i++) {
      await tick();
      dest.calls[i]!.settle();
    }
    await q.whenIdle();
    expect(dest.calls.flatMap((c) => c.batch)).toEqual([1, 2, 103, 104, 105, 106, 107]);
  });

  it('tenants take turns: a flood in one tenant waits behind one batch of another', async () => {
    const { dest, q } = setup({ maxBatch: 2, capacity: 100 });
    q.add('flood', range(1, 50));
    await tick();
    q.add('quiet', [1000]);
    for (let i = 0; i < 3; i++) {
      dest.calls[i]!.settle();
      await tick();
    }
    expect(dest.calls.map((c) => c.tenant)).toEqual(['flood', 'quiet', 'flood', 'flood']);
  });

  it('one tenant never has two batches in flight, other tenants use the free slots', async () => {
    const { dest, q } = setup({ maxBatch: 1, concurrency: 3 });
    q.add('a', [1, 2, 3]);
    q.add('b', [4]);
    await tick();
    expect(dest.calls.map((c) => [c.tenant, c.batch[0]])).toEqual([
      ['a', 1],
      ['b', 4],
    ]);
  });

  it('a failed batch is counted as errors and dropped, not retried', async () => {
    const { dest, q, metrics } = setup({ maxBatch: 5 });
    q.add('t1', [1, 2, 3]);
    await tick();
    dest.calls[0]!.settle(new Error('bad response status 500'));
    await q.whenIdle();
    expect(dest.calls).toHaveLength(1);
    expect([metrics.get('errors', 'am', 't1'), metrics.get('dropped', 'am', 't1'), metrics.get('sent', 'am', 't1')]).toEqual([3, 3, 0]);
  });

  it('refused alerts of an accepted batch are errors, the rest sent', async () => {
    const { dest, q, metrics } = setup({ maxBatch: 5 });
    q.add('t1', [1, 2, 3]);
    await tick();
    dest.calls[0]!.settle({ refused: 1 });
    await q.whenIdle();
    expect([metrics.get('errors', 'am', 't1'), metrics.get('sent', 'am', 't1')]).toEqual([1, 2]);
  });

  it('close() refuses new alerts but drains; abort() drops the queue and cuts the batch in flight', async () => {
    const { dest, q, metrics } = setup({ maxBatch: 1 });
    q.add('t1', [1, 2, 3]);
    await tick();
    q.close();
    q.add('t1', [4]);
    expect(metrics.get('dropped', 'am', 't1')).toBe(1);
    dest.calls[0]!.settle();
    await tick();
    expect(dest.calls).toHaveLength(2);
    q.abort();
    expect(dest.calls[1]!.signal.aborted).toBe(true);
    await q.whenIdle();
    // Dropped: 4 (refused after close), 3 (queued at abort), 2 (cut in flight, also an error).
    expect(metrics.get('dropped', 'am', 't1')).toBe(3);
    expect(metrics.get('errors', 'am', 't1')).toBe(1);
    expect(metrics.get('sent', 'am', 't1')).toBe(1);
    expect(dest.calls).toHaveLength(2);
  });
});
