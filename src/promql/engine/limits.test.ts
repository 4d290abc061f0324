import { describe, expect, it } from 'vitest';
import { PromQLQueryError } from '../api.js';
import { checkRangeResolution, instantQuery, rangeQuery } from './index.js';
import { load, parse, StallingSource } from './test-source.js';

const MIN = 60_000;
const src = load(MIN, 'x{i="1"} 1 2 3 4 5\nx{i="2"} 1 2 3 4 5\nx{i="3"} 1 2 3 4 5');

describe('limits and cancellation', () => {
  it('fails when a query holds more samples than allowed', async () => {
    await expect(rangeQuery(src, parse('x'), 0, 4 * MIN, MIN, { maxSamples: 10 })).rejects.toMatchObject({
      type: 'execution',
      message: 'query processing would load too many samples into memory in query execution',
    });
    await expect(rangeQuery(src, parse('x'), 0, 4 * MIN, MIN, { maxSamples: 15 })).resolves.toBeDefined();
  });

  it('counts raw samples of a top-level range vector', async () => {
    await expect(instantQuery(src, parse('x[10m]'), 4 * MIN, { maxSamples: 14 })).rejects.toThrow('too many samples');
  });

  it('times out against the injected clock', async () => {
    let t = 0;
    const now = (): number => (t += 1000);
    await expect(rangeQuery(src, parse('sum(x)'), 0, 4 * MIN, MIN, { now, timeoutMs: 2500 })).rejects.toMatchObject({
      type: 'timeout',
      message: 'query timed out in expression evaluation',
    });
  });

  it('is canceled by the signal while selecting', async () => {
    const ac = new AbortController();
    const p = instantQuery(new StallingSource(), parse('x'), 0, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ type: 'canceled', message: 'query was canceled in expression evaluation' });
  });

  it('is canceled before evaluation when the signal already fired', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(instantQuery(src, parse('x'), 0, { signal: ac.signal })).rejects.toBeInstanceOf(PromQLQueryError);
  });

  it('wraps storage errors', async () => {
    const failing = { select: () => Promise.reject(new Error('disk on fire')) };
    await expect(instantQuery(failing, parse('x'), 0)).rejects.toMatchObject({ type: 'execution', message: 'expanding series: disk on fire' });
  });

  it('refuses a non-positive step', async () => {
    await expect(rangeQuery(src, parse('x'), 0, MIN, 0)).rejects.toMatchObject({ type: 'bad_data' });
    await expect(rangeQuery(src, parse('x'), MIN, 0, 1000)).rejects.toMatchObject({
      type: 'bad_data',
      message: 'end timestamp must not be before start time',
    });
  });
});

describe('checkRangeResolution', () => {
  it.each([
    [0, 11_000_000, 1000, undefined],
    [0, 11_001_000, 1000, 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'],
    [0, 1000, 0, 'zero or negative query resolution step widths are not accepted. Try a positive integer'],
    [1000, 0, 10, 'end timestamp must not be before start time'],
  ])('%d..%d step %d', (s, e, step, msg) => {
    expect(checkRangeResolution(s, e, step)?.message).toBe(msg);
  });
});

describe('samples held by range windows', () => {
  it('counts the window a range function reads', async () => {
    const big = load(1000, `y ${Array.from({ length: 50 }, (_, i) => i).join(' ')}`);
    await expect(instantQuery(big, parse('sum_over_time(y[1m])'), 49_000, { maxSamples: 40 })).rejects.toThrow('too many samples');
    await expect(instantQuery(big, parse('sum_over_time(y[1m])'), 49_000, { maxSamples: 60 })).resolves.toBeDefined();
  });
});
