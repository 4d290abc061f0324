/**
 * The float samples of every `load` block of Prometheus' PromQL conformance scripts (read from
 * ../shared/conformance/promql, never copied) stored in a head and read back: whole series and
 * sub-ranges, bit for bit (stale markers, NaN, +-Inf, huge and tiny values, decimals), before
 * and after a checkpoint and WAL replay. Upstream's data exercises the chunk encodings with values
 * nobody thought of here.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { STALE_NAN } from '../core/stale-nan.js';
import { parseScript } from '../promql/promqltest/script.js';
import type { LoadCommand } from '../promql/promqltest/script.js';
import type { AppendSeries, TenantTsdb } from './api.js';
import { wordsOf } from './float-bits.js';
import { MemoryWalStorage, ManualClock } from './test-fakes.js';
import { HeadSet } from './tsdb-set.js';

const DIR = fileURLToPath(new URL('../../../shared/conformance/promql/', import.meta.url));
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.test')).sort() : [];
const ABORT = new AbortController().signal;

/** A load block's float samples per series (the last line of a series wins, as upstream). */
function loadSeries(cmd: LoadCommand): AppendSeries[] {
  const byKey = new Map<string, AppendSeries>();
  for (const s of cmd.series) {
    const t: number[] = [];
    const v: number[] = [];
    s.values.forEach((x, i) => {
      if (typeof x === 'number' || x === 'stale') {
        t.push(i * cmd.intervalMs);
        v.push(x === 'stale' ? STALE_NAN : x);
      }
    });
    if (t.length > 0) byKey.set(JSON.stringify(Object.entries(s.labels).sort()), { labels: s.labels, t, v: Float64Array.from(v) });
  }
  return [...byKey.values()];
}

const keyOf = (labels: object): string => JSON.stringify(Object.entries(labels).sort());
const bits = (v: Float64Array): number[] => Array.from(wordsOf(v));

/** Checks that `db` holds exactly `want`: every series whole and in three sub-ranges. */
async function expectHolds(db: TenantTsdb, want: readonly AppendSeries[], where: string): Promise<void> {
  const all = await db.select([mustMatcher('__name__', '=~', '.*')], { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 }, ABORT);
  const got = new Map(all.map((s) => [keyOf(s.labels), s]));
  for (const w of want) {
    const g = got.get(keyOf(w.labels));
    const name = `${where} ${JSON.stringify(w.labels)}`;
    expect(g, name).toBeDefined();
    expect(Array.from(g!.t), name).toEqual(Array.from(w.t));
    expect(bits(g!.v), name).toEqual(bits(w.v as Float64Array));
    const n = w.t.length;
    for (const [a, b] of [[0, 0], [Math.floor(n / 3), Math.floor((2 * n) / 3)], [n - 1, n - 1]] as const) {
      const from = w.t[a] as number;
      const to = w.t[b] as number;
      // The equality matchers may also select series with more labels.
      const parts = await db.select(Object.entries(w.labels).map(([k, v]) => mustMatcher(k, '=', v)), { startMs: from, endMs: to, stepMs: 0, rangeMs: 0 }, ABORT);
      const part = parts.find((p) => keyOf(p.labels) === keyOf(w.labels));
      expect(Array.from(part!.t), `${name} [${from}, ${to}]`).toEqual(Array.from(w.t).slice(a, b + 1));
      expect(bits(part!.v), `${name} [${from}, ${to}]`).toEqual(bits((w.v as Float64Array).subarray(a, b + 1)));
    }
  }
}

describe.skipIf(files.length === 0)('upstream conformance data in the head', () => {
  it.each(files)('%s: every load block reads back bit for bit, before and after a checkpoint and replay', async (file) => {
    const parsed = parseScript(readFileSync(DIR + file, 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed)}`);
    let loads = 0;
    for (const cmd of parsed.value.commands) {
      if (cmd.kind !== 'load') continue;
      const want = loadSeries(cmd);
      if (want.length === 0) continue;
      loads++;
      const storage = new MemoryWalStorage();
      const open = (): HeadSet => new HeadSet({ clock: new ManualClock(), logger: NOOP_LOGGER, storage, retentionMs: 0, maintenanceIntervalMs: 0 });
      const hs = open();
      const db = await hs.get('t');
      const res = await db.append(want);
      expect(res.rejected, `${file}:${cmd.line}`).toEqual([]);
      await expectHolds(db, want, `${file}:${cmd.line}`);
      await hs.maintain(true);
      await expectHolds(await open().get('t'), want, `${file}:${cmd.line} after checkpoint + replay`);
      await hs.close();
    }
    // Some scripts load nothing (literals.test); the others must have been read.
    expect(loads > 0 || !parsed.value.commands.some((c) => c.kind === 'load')).toBe(true);
  });
});
