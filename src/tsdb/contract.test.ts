/**
 * The head and the PromQL engine's MemorySeriesSource answer select() alike for the same data,
 * so the engine's conformance results carry over to the embedded store. One difference is by
 * design: the head, like Prometheus' block querier, leaves out series with no samples in range.
 */
import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import type { MatchType } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { STALE_NAN } from '../core/stale-nan.js';
import { MemorySeriesSource } from '../promql/memory-source.js';
import type { SeriesSource, StoredSeries } from '../promql/value.js';
import { Head } from './head.js';
import { ManualClock } from './test-fakes.js';

const ABORT = new AbortController().signal;

/** Series with a gap, a staleness marker and differing label sets; times in 15s steps. */
function data(): { labels: Record<string, string>; t: number[]; v: Float64Array }[] {
  const out: { labels: Record<string, string>; t: number[]; v: Float64Array }[] = [];
  for (let k = 0; k < 12; k++) {
    const labels: Record<string, string> = { __name__: k % 2 ? 'http_requests_total' : 'up', job: k % 3 ? 'api' : 'db', instance: `i-${k}` };
    if (k % 4 === 0) labels.env = 'prod';
    const n = 50 + k * 30;
    const t: number[] = [];
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t.push(i * 15_000 + (k > 8 ? 3_600_000 : 0));
      v[i] = i === 20 ? STALE_NAN : k * 100 + i * 0.5;
    }
    out.push({ labels, t, v });
  }
  return out;
}

async function sources(): Promise<[SeriesSource, SeriesSource]> {
  const mem = new MemorySeriesSource();
  const head = new Head({ tenant: 't', clock: new ManualClock(), logger: NOOP_LOGGER, retentionMs: 0, limits: () => ({ maxSeries: 0 }) });
  for (const d of data()) {
    for (let i = 0; i < d.t.length; i++) mem.add(d.labels, d.t[i]!, d.v[i]!);
    await head.append([{ labels: d.labels, t: d.t, v: d.v }]);
  }
  return [mem, head];
}

function bits(series: readonly StoredSeries[]): unknown[] {
  return series
    .filter((s) => s.t.length > 0)
    .map((s) => ({ labels: s.labels, t: Array.from(s.t), v: Array.from(new Uint32Array(s.v.slice().buffer)) }));
}

describe('Head vs MemorySeriesSource', () => {
  it.each<[string, [string, MatchType, string][], number, number]>([
    ['everything', [['__name__', '=~', '.+']], -Infinity, Infinity],
    ['by name, mid range', [['__name__', '=', 'up']], 300_000, 1_200_000],
    ['regex and negative', [['__name__', '=~', 'http.*'], ['job', '!=', 'db']], 0, 5_000_000],
    ['absent label', [['env', '=', '']], 100_000, 3_700_000],
    ['regex matching empty', [['env', '=~', 'prod|'], ['job', '=', 'api']], 0, 10_000_000],
    ['exact instant', [['instance', '=', 'i-3']], 300_000, 300_000],
    ['empty range', [['job', '=', 'db']], 2_000_000, 3_000_000],
    ['nothing matches', [['job', '=', 'nope']], -Infinity, Infinity],
  ])('%s', async (_name, ms, startMs, endMs) => {
    const [mem, head] = await sources();
    const matchers = ms.map(([n, t, v]) => mustMatcher(n, t, v));
    const hints = { startMs, endMs, stepMs: 0, rangeMs: 0 };
    const want = bits(await mem.select(matchers, hints, ABORT));
    if (_name !== 'nothing matches') expect(want.length).toBeGreaterThan(0);
    const got = await head.select(matchers, hints, ABORT);
    expect(got.every((s) => s.t.length > 0)).toBe(true);
    expect(bits(got)).toEqual(want);
  });
});
